/// Inputs a classifier or a report cannot use: mismatched lengths, labels out of range
/// (`EngineError`).
public struct ClassificationError: EngineError, Equatable, Sendable {
    /// What is wrong, e.g. `701 feature rows but 700 labels`.
    public let problem: String
    /// How to fix it, when the thrower knows; nil otherwise.
    public let fix: String?

    /// An error with `problem` (and `fix`).
    public init(_ problem: String, fix: String? = nil) {
        self.problem = problem
        self.fix = fix
    }

    /// Wraps another engine error (a neural or shape error met while training), keeping its
    /// problem and fix.
    public init(_ error: some EngineError) {
        problem = error.problem
        fix = error.fix
    }
}
