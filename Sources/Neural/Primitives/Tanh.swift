import XlingCore

extension Tape {
    /// Y = tanh(X), element-wise (`FastMath.tanh`, ≤ 3e-7 absolute error).
    ///
    /// Shapes: X, Y n×m. Derivative: ∂L/∂X += G ⊙ (1 − Y²).
    public mutating func tanh(_ x: Var) -> Var {
        elementwise(x) { v, n in
            FastMath.tanh(v, into: v, count: n)
        } backward: { g, y, _, acc, n in
            for k in 0..<n { acc[k] += g[k] * (1 - y[k] * y[k]) }
        }
    }
}
