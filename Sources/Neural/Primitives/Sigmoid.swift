import XlingCore

extension Tape {
    /// Y = σ(X) = 1 / (1 + e^(−X)), element-wise (`FastMath.sigmoid`, ≤ 2e-7 absolute error).
    ///
    /// Shapes: X, Y n×m. Derivative: ∂L/∂X += G ⊙ Y ⊙ (1 − Y).
    public mutating func sigmoid(_ x: Var) -> Var {
        elementwise(x) { v, n in
            FastMath.sigmoid(v, into: v, count: n)
        } backward: { g, y, _, acc, n in
            for k in 0..<n { acc[k] += g[k] * y[k] * (1 - y[k]) }
        }
    }
}
