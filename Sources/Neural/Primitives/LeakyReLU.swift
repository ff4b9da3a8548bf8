import XlingCore

extension Tape {
    /// Y = X where X > 0, `slope`·X elsewhere (leaky ReLU, Maas et al. 2013), element-wise.
    ///
    /// Shapes: X, Y n×m. Derivative: ∂L/∂X += G ⊙ (1 where X > 0, `slope` elsewhere; `slope` at
    /// the kink, as PyTorch's `LeakyReLU`).
    public mutating func leakyReLU(_ x: Var, slope: Float = 0.01) -> Var {
        elementwise(x, { $0 > 0 ? $0 : slope * $0 }, derivative: { _, x in x > 0 ? 1 : slope })
    }
}
