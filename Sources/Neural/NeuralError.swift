import XlingCore

/// Inputs a neural layer, loss, optimizer or trainer cannot use: shapes that do not fit,
/// labels out of range, bad hyperparameters (`EngineError`: the problem and, where there is
/// one, the fix).
public struct NeuralError: EngineError, Equatable, Sendable {
    /// What is wrong, e.g. `dense layer expects 40 inputs per row, got 300`.
    public let problem: String
    /// How to fix it, when the thrower knows; nil otherwise.
    public let fix: String?

    /// An error with `problem` (and `fix`).
    public init(_ problem: String, fix: String? = nil) {
        self.problem = problem
        self.fix = fix
    }

    /// Wraps a shape error from the linear algebra layer.
    public init(_ error: ShapeError) {
        problem = error.problem
        fix = error.fix
    }
}
