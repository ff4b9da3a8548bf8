import Embeddings

/// A stored text classifier (`%train classifier`, or a transferred one from `%llm`).
final class ClassifierObject: SessionObject {
    /// The classifier (never changed after it is stored: magics make new objects).
    let classifier: TextClassifier
    /// How it was made, for `%who` and tables, e.g. `boe on en_train, embeddings from glove_en (trained)`.
    let origin: String

    /// A stored classifier; `origin` says how it was made (trained on which data and space,
    /// or transferred from which classifier by which method).
    init(_ classifier: TextClassifier, origin: String) {
        self.classifier = classifier
        self.origin = origin
    }

    var kind: String { "classifier" }
    var languages: [String] { [classifier.language] }
    var sizeDescription: String {
        let c = classifier
        return "\(c.model.rawValue), \(c.labelNames.count) labels, \(c.vocabulary.count.formatted) words × \(c.dimension)"
    }

    func vocabularyWords(prefix: String, limit: Int) -> [String] {
        var found: [String] = []
        for word in classifier.vocabulary where word.hasPrefix(prefix) {
            found.append(word)
            if found.count >= limit { break }
        }
        return found
    }
}
