import XlingCore

extension Tape {
    /// Y = X where X > 0, `slope`·X elsewhere (leaky ReLU, Maas et al. 2013), element-wise.
    ///
    /// Shapes: X, Y n×m. Derivative: ∂L/∂X += G ⊙ (1 where X > 0, `slope` elsewhere; `slope` at
    /// the kink, as PyTorch's `LeakyReLU`).
    public mutating func leakyReLU(_ x: Var, slope: Float = 0.01) -> Var {
        elementwise(x) { v, n in
            for k in 0..<n where !(v[k] > 0) { v[k] *= slope }
        } backward: { g, _, x, acc, n in
            for k in 0..<n { acc[k] += x[k] > 0 ? g[k] : slope * g[k] }
        }
    }
}
