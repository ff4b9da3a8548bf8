import XlingCore

extension Tape {
    /// Y = max(X, 0), element-wise.
    ///
    /// Shapes: X, Y n×m. Derivative: ∂L/∂X += G ⊙ [X > 0] (0 at the kink, as PyTorch).
    public mutating func relu(_ x: Var) -> Var {
        elementwise(x) { v, n in
            for k in 0..<n { v[k] = max(v[k], 0) }
        } backward: { g, _, x, acc, n in
            for k in 0..<n { acc[k] += x[k] > 0 ? g[k] : 0 }
        }
    }
}
