#if canImport(Glibc)
import Glibc
#endif

/// Turns documents into vectors as Klementiev et al. (2012) and Shi et al. (2015, §5.1) do
/// for cross-lingual document classification: each document is the idf-weighted average of
/// the vectors of its tokens.
///
/// For a document with tokens t₁…tₙ, keeping the in-vocabulary ones,
/// `x = Σᵢ idf(tᵢ)·v(tᵢ) / Σᵢ idf(tᵢ)` (a token that occurs twice counts twice), computed in
/// `Double` in token order. `idf(w) = ln(N / df(w))` over the *idf collection* of N documents,
/// `df(w)` the number of its documents containing `w`; a word the collection lacks gets
/// `ln N` (as if it occurred in one document). Out-of-vocabulary tokens are skipped. A
/// document whose weights sum to 0 (no in-vocabulary token, or only words in every document
/// of the collection) gets the zero vector and is counted in `Result.zeroDocuments`.
public struct DocumentEmbedder: Sendable {
    /// The word vectors documents are averaged from.
    public let space: EmbeddingSpace
    /// idf of each word of the collection.
    public let idf: [String: Double]
    /// N: the number of documents of the idf collection.
    public let collectionSize: Int

    /// Documents as vectors, with how much of their text the space covered.
    public struct Result: Sendable {
        /// One vector of `dimension` values per document, in document order.
        public var vectors: [[Double]]
        /// Tokens over all documents.
        public var tokens: Int
        /// Tokens found in the space's vocabulary.
        public var coveredTokens: Int
        /// Documents that got the zero vector (no weighted in-vocabulary token).
        public var zeroDocuments: Int

        /// The share of tokens in the vocabulary, in [0, 1] (0 for no tokens).
        public var coverage: Double { tokens == 0 ? 0 : Double(coveredTokens) / Double(tokens) }
    }

    /// An embedder over `space` whose idf comes from `collection` (e.g. the documents about
    /// to be embedded, or a larger unlabelled collection of the same language).
    public init(space: EmbeddingSpace, idfFrom collection: [[String]]) {
        self.space = space
        self.idf = Self.inverseDocumentFrequencies(collection)
        self.collectionSize = collection.count
    }

    /// `ln(N / df(w))` for every word of `documents` (N = `documents.count`).
    public static func inverseDocumentFrequencies(_ documents: [[String]]) -> [String: Double] {
        var df: [String: Int] = [:]
        for document in documents {
            for word in Set(document) { df[word, default: 0] += 1 }
        }
        let n = Double(documents.count)
        return df.mapValues { log(n / Double($0)) }
    }

    /// The idf of `word`: from the collection, or `ln N` for a word it lacks.
    public func weight(_ word: String) -> Double {
        idf[word] ?? log(Double(max(1, collectionSize)))
    }

    /// The idf-weighted average vector of each document (see the type's documentation).
    public func embed(_ documents: [[String]]) -> Result {
        let d = space.dimension
        var result = Result(vectors: [], tokens: 0, coveredTokens: 0, zeroDocuments: 0)
        result.vectors.reserveCapacity(documents.count)
        let storage = space.vectors.storage
        for document in documents {
            var sum = Array(repeating: 0.0, count: d)
            var totalWeight = 0.0
            result.tokens += document.count
            for token in document {
                guard let row = space.vocabulary.id(token) else { continue }
                result.coveredTokens += 1
                let w = weight(token)
                let base = row * d
                for j in 0..<d { sum[j] += w * Double(storage[base + j]) }
                totalWeight += w
            }
            if totalWeight > 0 {
                for j in 0..<d { sum[j] /= totalWeight }
            } else {
                sum = Array(repeating: 0.0, count: d)
                result.zeroDocuments += 1
            }
            result.vectors.append(sum)
        }
        return result
    }
}
