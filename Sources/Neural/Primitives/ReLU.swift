import XlingCore

extension Tape {
    /// Y = max(X, 0), element-wise.
    ///
    /// Shapes: X, Y n×m. Derivative: ∂L/∂X += G ⊙ [X > 0] (0 at the kink, as PyTorch).
    public mutating func relu(_ x: Var) -> Var {
        elementwise(x, { max($0, 0) }, derivative: { _, x in x > 0 ? 1 : 0 })
    }
}
