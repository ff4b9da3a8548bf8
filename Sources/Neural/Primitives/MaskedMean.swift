import XlingCore

extension Tape {
    /// Y_b = (1/len_b) Σ_{t < len_b} X_t[b]: the mean over the real steps of a padded
    /// time-major batch (the zero row when len_b = 0).
    ///
    /// Shapes: T steps X_t B×d, `lengths` B values in 0…T, Y B×d. Derivative:
    /// ∂L/∂X_t[b] += G_b / len_b for t < len_b.
    public mutating func maskedMean(_ steps: [Var], lengths: [Int]) -> Var {
        precondition(!steps.isEmpty, "maskedMean needs at least one step")
        let b = lengths.count, d = self[steps[0]].cols
        precondition(steps.allSatisfy { self[$0].rows == b && self[$0].cols == d }, "maskedMean: steps must be \(b)×\(d)")
        precondition(lengths.allSatisfy { $0 >= 0 && $0 <= steps.count }, "maskedMean: lengths must be in 0...\(steps.count)")
        var y = Matrix(rows: b, cols: d)
        for (t, step) in steps.enumerated() {
            let x = self[step]
            for i in 0..<b where t < lengths[i] {
                for j in 0..<d { y.storage[i * d + j] += x.storage[i * d + j] }
            }
        }
        for i in 0..<b where lengths[i] > 0 {
            let s = 1 / Float(lengths[i])
            for j in 0..<d { y.storage[i * d + j] *= s }
        }
        return record(y, needs: anyNeedsGradient(steps)) { g, grads in
            for (t, step) in steps.enumerated() {
                grads.add(to: step, rows: b, cols: d) { acc in
                    for i in 0..<b where t < lengths[i] {
                        let s = 1 / Float(lengths[i])
                        for j in 0..<d { acc.storage[i * d + j] += s * g.storage[i * d + j] }
                    }
                }
            }
        }
    }
}
