import XlingCore

/// Settings or corpora a multilingual language model cannot train on (`EngineError`: the
/// problem and the fix).
public struct LanguageModelError: EngineError, Equatable, Sendable {
    /// What is wrong, e.g. `corpus 2 has no sentence`.
    public let problem: String
    /// How to fix it.
    public let fix: String?

    /// An error with `problem` and `fix`.
    public init(problem: String, fix: String?) {
        self.problem = problem
        self.fix = fix
    }
}
