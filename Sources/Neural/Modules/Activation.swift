import XlingCore

/// An element-wise non-linearity between layers, by name (`tanh`, `relu`, `identity`).
public enum Activation: String, Sendable, CaseIterable {
    case identity, tanh, relu

    /// f(x) on the tape.
    public func callAsFunction(_ x: Var, on tape: inout Tape) -> Var {
        switch self {
        case .identity: x
        case .tanh: tape.tanh(x)
        case .relu: tape.relu(x)
        }
    }
}
