#if canImport(Glibc)
import Glibc
#endif

/// An element-wise non-linearity between layers.
///
/// Backward uses the forward *output* y: tanh′ = 1 − y², ReLU′ = [y > 0] (0 at the kink),
/// identity′ = 1. Shapes: any n×m matrix, output the same shape.
public enum Activation: String, Sendable, CaseIterable {
    case identity, tanh, relu

    /// f(x) element-wise.
    public func apply(_ x: Matrix) -> Matrix {
        var y = x
        switch self {
        case .identity: break
        case .tanh: for i in y.storage.indices { y.storage[i] = tanhf(y.storage[i]) }
        case .relu: for i in y.storage.indices where y.storage[i] < 0 { y.storage[i] = 0 }
        }
        return y
    }

    /// ∂L/∂x = f′(x) ⊙ ∂L/∂y, from the forward output `y` and the output gradient `g` (same shape).
    public func backward(output y: Matrix, outputGradient g: Matrix) -> Matrix {
        var dx = g
        switch self {
        case .identity: break
        case .tanh:
            for i in dx.storage.indices {
                let v = y.storage[i]
                dx.storage[i] *= 1 - v * v
            }
        case .relu:
            for i in dx.storage.indices where y.storage[i] <= 0 { dx.storage[i] = 0 }
        }
        return dx
    }
}
