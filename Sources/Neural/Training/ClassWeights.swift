import XlingCore

#if canImport(Glibc)
import Glibc
#endif

/// Per-class weights for a weighted cross-entropy, and the softmax used to read logits.
public enum ClassWeights {
    /// sklearn's "balanced" weights, w[k] = n / (K · n_k) for the n `labels` over `classes`
    /// classes; a class without examples gets weight 0 (it never appears as a gold label).
    public static func balanced(labels: [Int], classes: Int) -> [Float] {
        let counts = self.counts(labels, classes)
        return counts.map { $0 == 0 ? 0 : Float(labels.count) / Float(classes * $0) }
    }

    /// The CLTC paper's weights (M'hamdi et al. 2019, Eq. 5 as its code reads it):
    /// w[k] = ln(n / max(n_k, 1)) + 1, natural log.
    public static func logarithmic(labels: [Int], classes: Int) -> [Float] {
        let n = Double(labels.count)
        return counts(labels, classes).map { Float(log(n / Double(max($0, 1))) + 1) }
    }

    /// Σᵢ w[labelsᵢ] in Double, summed in label order as `Tape.softmaxCrossEntropy` sums it (w nil:
    /// the number of labels): the denominator of a batch's weighted mean cross-entropy.
    public static func total(labels: [Int], classWeights: [Float]?) -> Double {
        guard let classWeights else { return Double(labels.count) }
        var sum = 0.0
        for y in labels { sum += Double(classWeights[y]) }
        return sum
    }

    private static func counts(_ labels: [Int], _ classes: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: classes)
        for label in labels where (0..<classes).contains(label) { counts[label] += 1 }
        return counts
    }

    /// Row-wise softmax of `logits` (n×K), each row summing to 1 (max-shifted, in Double).
    public static func probabilities(_ logits: Matrix) -> Matrix {
        var p = logits
        forEachSoftmaxRow(logits) { i, _, e, sum in
            for j in e.indices { p.storage[i * logits.cols + j] = Float(e[j] / sum) }
        }
        return p
    }

    /// The engine's one softmax (`probabilities`, `Tape.softmaxCrossEntropy`): for each row i of
    /// `logits` (n×K), `body(i, top, e, sum)` with top = maxⱼ z_ij, e_j = exp(z_ij − top) in
    /// Double and sum = Σⱼ e_j (so softmax = e/sum and log Σ exp z = top + ln sum).
    static func forEachSoftmaxRow(_ logits: Matrix, _ body: (_ row: Int, _ top: Double, _ e: [Double], _ sum: Double) -> Void) {
        let k = logits.cols
        var e = [Double](repeating: 0, count: k)
        for i in 0..<logits.rows {
            let base = i * k
            var top = -Double.infinity
            for j in 0..<k { top = max(top, Double(logits.storage[base + j])) }
            var sum = 0.0
            for j in 0..<k {
                e[j] = exp(Double(logits.storage[base + j]) - top)
                sum += e[j]
            }
            body(i, top, e, sum)
        }
    }

    /// The index of the highest logit of each row (the lowest index among ties).
    public static func argmax(_ logits: Matrix) -> [Int] {
        (0..<logits.rows).map { i in
            var best = 0
            for j in 1..<max(1, logits.cols) where logits[i, j] > logits[i, best] { best = j }
            return best
        }
    }
}
