import XlingCore

#if canImport(Glibc)
import Glibc
#endif

extension Tape {
    /// L = Σᵢ w[yᵢ]·ℓᵢ / Σᵢ w[yᵢ] with ℓᵢ = −ln softmax(zᵢ)[yᵢ]: the (optionally class-weighted)
    /// mean cross-entropy, PyTorch's `CrossEntropyLoss(weight=…)` convention (w ≡ 1: the plain
    /// mean). Softmax is `ClassWeights.forEachSoftmaxRow` (max-shifted, summed in Double).
    ///
    /// Shapes: Z n×K logits, `labels` n ids in 0..<K, `classWeights` K values ≥ 0 (nil: 1),
    /// L 1×1. Derivative: ∂L/∂zᵢ += G·w[yᵢ]·(pᵢ − e_{yᵢ}) / Σⱼ w[yⱼ] (zero when Σ w = 0).
    ///
    /// With `normalizer` W the denominator is W instead of these rows' Σ w[yᵢ]: the share of a
    /// larger batch's loss that these rows carry, W being the whole batch's Σ w[yⱼ]
    /// (`ClassWeights.total`), so the shares of a data-parallel split add up to the batch's L.
    public mutating func softmaxCrossEntropy(_ logits: Var, labels: [Int], classWeights: [Float]? = nil, normalizer: Double? = nil) -> Var {
        let z = self[logits]
        let n = z.rows, k = z.cols
        precondition(
            labels.count == n && labels.allSatisfy { $0 >= 0 && $0 < k }, "softmaxCrossEntropy: labels for \(n) rows of \(k) classes")
        precondition(classWeights.map { $0.count == k } ?? true, "softmaxCrossEntropy: \(k) class weights needed")
        var total = 0.0, weightSum = 0.0
        var delta = Matrix(rows: n, cols: k)
        ClassWeights.forEachSoftmaxRow(z) { i, top, e, sum in
            let y = labels[i], base = i * k
            let w = Double(classWeights?[y] ?? 1)
            total += w * (log(sum) - (Double(z.storage[base + y]) - top))
            weightSum += w
            for j in 0..<k { delta.storage[base + j] = Float(w * (e[j] / sum - (j == y ? 1 : 0))) }
        }
        if let normalizer { weightSum = normalizer }
        let loss = weightSum > 0 ? total / weightSum : 0
        let scale = weightSum > 0 ? Float(1 / weightSum) : 0
        let d = delta
        return record(Matrix(rows: 1, cols: 1, repeating: Float(loss)), needs: anyNeedsGradient([logits])) { g, grads in
            let s = g.storage[0] * scale
            grads.add(to: logits, rows: n, cols: k) { acc in
                for q in acc.storage.indices { acc.storage[q] += s * d.storage[q] }
            }
        }
    }
}
