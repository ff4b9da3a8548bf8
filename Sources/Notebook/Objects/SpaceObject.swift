import Embeddings

/// A stored embedding space (`%load vectors`, or a space made by a magic).
final class SpaceObject: SessionObject {
    /// The space itself (never changed after it is stored: magics make new objects).
    let space: EmbeddingSpace
    private var unitCache: Matrix?
    /// Where it came from (a path), for `%who` and error messages.
    let origin: String
    /// The per-iteration losses when a trainer made it (`%train glove`), else nil.
    var history: TrainingHistory?

    init(_ space: EmbeddingSpace, origin: String) {
        self.space = space
        self.origin = origin
    }

    /// The vectors with unit rows, as retrieval needs them. Computed once.
    func unitVectors() -> Matrix {
        if let unitCache { return unitCache }
        let unit = NeighborSearch.unitNormalized(space.vectors)
        unitCache = unit
        return unit
    }

    var kind: String { "vectors" }
    var languages: [String] { space.language.map { [$0] } ?? [] }
    var sizeDescription: String { "\(space.count.formatted) × \(space.dimension)" }

    /// Vocabulary words with `prefix`, in frequency order.
    func vocabularyWords(prefix: String, limit: Int) -> [String] {
        var found: [String] = []
        for word in space.vocabulary.words where word.hasPrefix(prefix) {
            found.append(word)
            if found.count >= limit { break }
        }
        return found
    }
}
