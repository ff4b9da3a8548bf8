import XlingCore

extension Tape {
    /// Y = clip(0.2·X + 0.5, 0, 1), element-wise: Keras 2.0's `hard_sigmoid`, the default gate
    /// activation of the GRU the CLTC paper ran.
    ///
    /// Shapes: X, Y n×m. Derivative: ∂L/∂X += 0.2·G where −2.5 < X < 2.5, else 0.
    public mutating func hardSigmoid(_ x: Var) -> Var {
        elementwise(x) { v, n in
            for k in 0..<n { v[k] = min(max(0.2 * v[k] + 0.5, 0), 1) }
        } backward: { g, _, x, acc, n in
            for k in 0..<n { acc[k] += x[k] > -2.5 && x[k] < 2.5 ? 0.2 * g[k] : 0 }
        }
    }
}
