import Embeddings

/// A stored sentence-aligned parallel corpus (`%load parallel`).
final class ParallelObject: SessionObject {
    let parallel: ParallelCorpus
    /// The file(s) it was read from.
    let origin: String
    /// How its lines were tokenized.
    let tokenizer: Tokenizer

    init(_ parallel: ParallelCorpus, origin: String, tokenizer: Tokenizer) {
        self.parallel = parallel
        self.origin = origin
        self.tokenizer = tokenizer
    }

    var kind: String { "parallel corpus" }
    var languages: [String] { [parallel.source.language, parallel.target.language] }
    var sizeDescription: String {
        """
        \(parallel.sentenceCount.formatted) pairs, \(parallel.source.tokenCount.formatted) + \(parallel.target.tokenCount.formatted) \
        tokens
        """
    }
}
