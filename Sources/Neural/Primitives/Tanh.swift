import XlingCore

#if canImport(Glibc)
import Glibc
#endif

extension Tape {
    /// Y = tanh(X), element-wise.
    ///
    /// Shapes: X, Y n×m. Derivative: ∂L/∂X += G ⊙ (1 − Y²).
    public mutating func tanh(_ x: Var) -> Var {
        elementwise(x, { tanhf($0) }, derivative: { y, _ in 1 - y * y })
    }
}
