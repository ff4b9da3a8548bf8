#if canImport(Glibc)
import Glibc
#endif

/// Softmax followed by (optionally class-weighted) cross-entropy, the loss of a K-way classifier.
///
/// For logits zᵢ (row i of an n×K matrix) and gold labels yᵢ: pᵢ = softmax(zᵢ) (computed in
/// `Double`, max-shifted), ℓᵢ = −ln pᵢ[yᵢ]. The loss is the weighted mean
/// `L = Σᵢ w[yᵢ]·ℓᵢ / Σᵢ w[yᵢ]` (PyTorch's `CrossEntropyLoss(weight=…)` convention; w ≡ 1 gives the
/// plain mean), and ∂L/∂zᵢ = w[yᵢ]·(pᵢ − e_{yᵢ}) / Σⱼ w[yⱼ].
public struct SoftmaxCrossEntropy: Sendable, Equatable {
    /// One weight per class, or nil for equal weights.
    public var classWeights: [Float]?

    /// The loss with optional per-class weights (all ≥ 0).
    public init(classWeights: [Float]? = nil) { self.classWeights = classWeights }

    /// sklearn's "balanced" weights, w[k] = n / (K · n_k) for the n `labels` over `classes`
    /// classes; a class without examples gets weight 0 (it never appears as a gold label).
    public static func balancedWeights(labels: [Int], classes: Int) -> [Float] {
        var counts = [Int](repeating: 0, count: classes)
        for label in labels where (0..<classes).contains(label) { counts[label] += 1 }
        return counts.map { $0 == 0 ? 0 : Float(labels.count) / Float(classes * $0) }
    }

    /// Row-wise softmax of `logits` (n×K), each row summing to 1.
    public static func probabilities(_ logits: Matrix) -> Matrix {
        var p = logits
        let k = logits.cols
        for i in 0..<logits.rows {
            let base = i * k
            var top = -Double.infinity
            for j in 0..<k { top = max(top, Double(logits.storage[base + j])) }
            var sum = 0.0
            var e = [Double](repeating: 0, count: k)
            for j in 0..<k {
                e[j] = exp(Double(logits.storage[base + j]) - top)
                sum += e[j]
            }
            for j in 0..<k { p.storage[base + j] = Float(e[j] / sum) }
        }
        return p
    }

    /// The loss and ∂L/∂logits (n×K) for `labels` (n ids in `0..<K`).
    public func loss(logits: Matrix, labels: [Int]) throws(NeuralError) -> (loss: Double, gradient: Matrix) {
        let k = logits.cols
        guard logits.rows == labels.count else { throw NeuralError("\(logits.rows) rows of logits but \(labels.count) labels") }
        if let bad = labels.first(where: { !(0..<k).contains($0) }) { throw NeuralError("label \(bad) is not in 0..<\(k)") }
        if let w = classWeights, w.count != k { throw NeuralError("\(w.count) class weights for \(k) classes") }
        var total = 0.0, weightSum = 0.0
        var gradient = Matrix(rows: logits.rows, cols: k)
        var e = [Double](repeating: 0, count: k)
        for (i, y) in labels.enumerated() {
            let base = i * k
            var top = -Double.infinity
            for j in 0..<k { top = max(top, Double(logits.storage[base + j])) }
            var sum = 0.0
            for j in 0..<k {
                e[j] = exp(Double(logits.storage[base + j]) - top)
                sum += e[j]
            }
            let w = Double(classWeights?[y] ?? 1)
            total += w * (log(sum) - (Double(logits.storage[base + y]) - top))
            weightSum += w
            for j in 0..<k { gradient.storage[base + j] = Float(w * (e[j] / sum - (j == y ? 1 : 0))) }
        }
        guard weightSum > 0 else { return (0, gradient) }
        let scale = Float(1 / weightSum)
        for i in gradient.storage.indices { gradient.storage[i] *= scale }
        return (total / weightSum, gradient)
    }
}
