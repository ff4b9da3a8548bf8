import XlingCore

extension Tape {
    /// Y = [X₁; X₂; …; X_k], stacked (time steps of a time-major batch become one matrix, row
    /// t·B + b, so a projection of every step is one GEMM).
    ///
    /// Shapes: Xᵢ nᵢ×m, Y Σnᵢ×m. Derivative: ∂L/∂Xᵢ += the rows of G that Xᵢ filled.
    public mutating func concatRows(_ parts: [Var]) -> Var {
        precondition(!parts.isEmpty, "concatRows needs at least one part")
        let vs = parts.map { self[$0] }
        let m = vs[0].cols
        precondition(vs.allSatisfy { $0.cols == m }, "concatRows: parts differ in columns")
        var storage: [Float] = []
        storage.reserveCapacity(vs.reduce(0) { $0 + $1.storage.count })
        for v in vs { storage.append(contentsOf: v.storage) }
        let y = Matrix(rows: storage.count / max(1, m), cols: m, values: storage, unchecked: ())
        let heights = vs.map(\.rows)
        return record(y, needs: anyNeedsGradient(parts)) { g, grads in
            var offset = 0
            for (part, h) in zip(parts, heights) {
                let start = offset * m
                grads.add(to: part, rows: h, cols: m) { acc in
                    for k in 0..<h * m { acc.storage[k] += g.storage[start + k] }
                }
                offset += h
            }
        }
    }
}

extension Matrix {
    /// A matrix over values whose count the caller guarantees.
    init(rows: Int, cols: Int, values: [Float], unchecked: Void) {
        precondition(values.count == rows * cols)
        self.init(rows: rows, cols: cols)
        storage = values
    }
}
