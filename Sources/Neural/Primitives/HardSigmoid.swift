import XlingCore

extension Tape {
    /// Y = clip(0.2·X + 0.5, 0, 1), element-wise: Keras 2.0's `hard_sigmoid`, the default gate
    /// activation of the GRU the CLTC paper ran.
    ///
    /// Shapes: X, Y n×m. Derivative: ∂L/∂X += 0.2·G where −2.5 < X < 2.5, else 0.
    public mutating func hardSigmoid(_ x: Var) -> Var {
        elementwise(x, { min(max(0.2 * $0 + 0.5, 0), 1) }, derivative: { _, x in x > -2.5 && x < 2.5 ? 0.2 : 0 })
    }
}
