import Embeddings

/// A stored bilingual dictionary (`%load dict`, `%%dict`).
final class DictionaryObject: SessionObject {
    let dictionary: BilingualDictionary
    /// The file it was read from, or `cell` for `%%dict`.
    let origin: String

    init(_ dictionary: BilingualDictionary, origin: String) {
        self.dictionary = dictionary
        self.origin = origin
    }

    var kind: String { "dictionary" }
    var languages: [String] { [] }
    var sizeDescription: String { "\(dictionary.count.formatted) pairs, \(dictionary.sources.count.formatted) source words" }

    /// The pairs as the mapping and evaluation code takes them.
    var wordPairs: [(source: String, target: String)] { dictionary.pairs.map { ($0.source, $0.target) } }
}
