/// Input a factorization trainer cannot use, or a run that diverged: names the problem and the
/// fix (`EngineError`).
///
/// `description` reads like `the cross-lingual matrix is 500×600 but the vocabularies have 400
/// and 600 words; count the bilingual co-occurrences over the same vocabularies as the
/// monolingual matrices`.
public struct FactorizationError: EngineError, Equatable, Sendable {
    /// What is wrong.
    public let problem: String
    /// How to fix it.
    public let fix: String?

    /// Creates an error.
    public init(problem: String, fix: String) {
        self.problem = problem
        self.fix = fix
    }
}
