import XlingCore

#if canImport(Glibc)
import Glibc
#endif

extension Tape {
    /// Y = σ(X) = 1 / (1 + e^(−X)), element-wise.
    ///
    /// Shapes: X, Y n×m. Derivative: ∂L/∂X += G ⊙ Y ⊙ (1 − Y).
    public mutating func sigmoid(_ x: Var) -> Var {
        elementwise(x, { 1 / (1 + expf(-$0)) }, derivative: { y, _ in y * (1 - y) })
    }
}
