import XlingCore

extension Tape {
    /// Y = [X₁ X₂ … X_k], side by side (the two directions of a bi-RNN, CNN feature maps).
    ///
    /// Shapes: Xᵢ n×mᵢ, Y n×Σmᵢ. Derivative: ∂L/∂Xᵢ += the columns of G that Xᵢ filled.
    public mutating func concatColumns(_ parts: [Var]) -> Var {
        precondition(!parts.isEmpty, "concatColumns needs at least one part")
        let vs = parts.map { self[$0] }
        let n = vs[0].rows
        precondition(vs.allSatisfy { $0.rows == n }, "concatColumns: parts differ in rows")
        let widths = vs.map(\.cols), total = widths.reduce(0, +)
        var y = Matrix(rows: n, cols: total)
        var offset = 0
        for v in vs {
            for i in 0..<n {
                for j in 0..<v.cols { y.storage[i * total + offset + j] = v.storage[i * v.cols + j] }
            }
            offset += v.cols
        }
        return record(y, needs: anyNeedsGradient(parts)) { g, grads in
            var offset = 0
            for (part, width) in zip(parts, widths) {
                let start = offset
                grads.add(to: part, rows: n, cols: width) { acc in
                    for i in 0..<n {
                        for j in 0..<width { acc.storage[i * width + j] += g.storage[i * total + start + j] }
                    }
                }
                offset += width
            }
        }
    }
}
