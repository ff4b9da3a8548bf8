import Embeddings

/// A stored monolingual corpus (`%load corpus`, `%%corpus`).
final class CorpusObject: SessionObject {
    let corpus: Corpus
    /// The file it was read from, or `cell`.
    let origin: String
    /// How its lines were tokenized.
    let tokenizer: Tokenizer

    init(_ corpus: Corpus, origin: String, tokenizer: Tokenizer) {
        self.corpus = corpus
        self.origin = origin
        self.tokenizer = tokenizer
    }

    var kind: String { "corpus" }
    var languages: [String] { [corpus.language] }
    var sizeDescription: String {
        "\(corpus.sentenceCount.formatted) sentences, \(corpus.tokenCount.formatted) tokens, \(corpus.vocabulary.count.formatted) types"
    }

    func vocabularyWords(prefix: String, limit: Int) -> [String] {
        var found: [String] = []
        for word in corpus.vocabulary.words where word.hasPrefix(prefix) {
            found.append(word)
            if found.count >= limit { break }
        }
        return found
    }
}
