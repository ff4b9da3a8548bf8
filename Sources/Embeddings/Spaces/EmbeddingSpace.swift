/// A monolingual (or joint) embedding space: a vocabulary, one fp32 row per word, the language
/// tag, and the normalisations applied so far (so a saved or mapped space says what was done).
///
/// Invariant: `vectors.rows == vocabulary.count`; `vectors.cols == dimension`.
public struct EmbeddingSpace: Sendable {
    /// One normalisation step (VecMap's `--normalize`): `unit` scales rows to length 1,
    /// `center` subtracts the mean row, `unitdim` scales each column to unit variance.
    public enum Normalization: String, Sendable, CaseIterable {
        case unit, center, unitdim
    }

    public var vocabulary: Vocabulary
    /// Rows are words, columns dimensions (row-major).
    public var vectors: Matrix
    /// ISO 639-1 code such as `en`, or nil for an untagged space.
    public var language: String?
    /// The normalisations applied, in order.
    public var normalizations: [Normalization]

    /// A space over `vocabulary` and `vectors`; throws when the row count differs.
    public init(
        vocabulary: Vocabulary, vectors: Matrix, language: String? = nil,
        normalizations: [Normalization] = []
    ) throws(ShapeError) {
        guard vectors.rows == vocabulary.count else {
            throw ShapeError("\(vocabulary.count) words but \(vectors.rows) vectors")
        }
        self.vocabulary = vocabulary
        self.vectors = vectors
        self.language = language
        self.normalizations = normalizations
    }

    /// The vector dimension.
    public var dimension: Int { vectors.cols }

    /// The number of words.
    public var count: Int { vocabulary.count }

    /// The vector of `word`, or nil when it is not in the vocabulary.
    public func vector(_ word: String) -> ArraySlice<Float>? {
        guard let i = vocabulary.id(word) else { return nil }
        return vectors.storage[(i * vectors.cols)..<((i + 1) * vectors.cols)]
    }
}
