import XlingCore

extension Tape {
    /// y = (1/N) Σ X: the mean of every element, as a 1×1 loss term.
    ///
    /// Shapes: X n×m (N = n·m ≥ 1), y 1×1. Derivative: ∂L/∂X += G/N everywhere.
    public mutating func mean(_ x: Var) -> Var {
        let xv = self[x]
        let count = xv.storage.count
        precondition(count > 0, "mean of an empty matrix")
        let total = xv.storage.reduce(0.0) { $0 + Double($1) }
        return record(Matrix(rows: 1, cols: 1, repeating: Float(total / Double(count))), needs: anyNeedsGradient([x])) { g, grads in
            let s = g.storage[0] / Float(count)
            grads.add(to: x, rows: xv.rows, cols: xv.cols) { acc in for k in acc.storage.indices { acc.storage[k] += s } }
        }
    }
}
