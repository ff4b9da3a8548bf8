import XlingCore

#if canImport(Glibc)
import Glibc
#endif

extension Tape {
    /// α_{t,b} = exp(s_{t,b}) / Σ_{u < len_b} exp(s_{u,b}) for t < len_b, else 0: a softmax over
    /// the real steps of each example (attention weights), on a time-major stacked column.
    ///
    /// Shapes: S (T·B)×1 with row t·B + b, `lengths` B values in 0…T, α (T·B)×1 (all zero for
    /// len_b = 0). Max-shifted, summed in Double. Derivative:
    /// ∂L/∂s_{t,b} += α_{t,b}·(G_{t,b} − Σ_u α_{u,b} G_{u,b}).
    public mutating func maskedSoftmaxOverSteps(_ scores: Var, lengths: [Int]) -> Var {
        let s = self[scores]
        let b = lengths.count
        precondition(b > 0 && s.cols == 1 && s.rows % b == 0, "maskedSoftmaxOverSteps: \(s.shapeDescription) scores for \(b) examples")
        let steps = s.rows / b
        precondition(lengths.allSatisfy { $0 >= 0 && $0 <= steps }, "maskedSoftmaxOverSteps: lengths must be in 0...\(steps)")
        var alpha = Matrix(rows: s.rows, cols: 1)
        for i in 0..<b where lengths[i] > 0 {
            var top = -Double.infinity
            for t in 0..<lengths[i] { top = max(top, Double(s.storage[t * b + i])) }
            var sum = 0.0
            for t in 0..<lengths[i] { sum += exp(Double(s.storage[t * b + i]) - top) }
            for t in 0..<lengths[i] { alpha.storage[t * b + i] = Float(exp(Double(s.storage[t * b + i]) - top) / sum) }
        }
        let av = alpha
        return record(alpha, needs: anyNeedsGradient([scores])) { g, grads in
            grads.add(to: scores, rows: s.rows, cols: 1) { acc in
                for i in 0..<b where lengths[i] > 0 {
                    var dot = 0.0
                    for t in 0..<lengths[i] { dot += Double(av.storage[t * b + i]) * Double(g.storage[t * b + i]) }
                    for t in 0..<lengths[i] {
                        let k = t * b + i
                        acc.storage[k] += av.storage[k] * (g.storage[k] - Float(dot))
                    }
                }
            }
        }
    }
}
