import Embeddings

/// A stored set of labelled documents of one language (`%load labeled`, `%%labeled`).
final class LabeledObject: SessionObject {
    let documents: LabeledDocuments
    /// The file it was read from, or `cell`.
    let origin: String
    /// How its texts were tokenized.
    let tokenizer: Tokenizer

    init(_ documents: LabeledDocuments, origin: String, tokenizer: Tokenizer) {
        self.documents = documents
        self.origin = origin
        self.tokenizer = tokenizer
    }

    var kind: String { "labeled" }
    var languages: [String] { [documents.language] }
    var sizeDescription: String {
        let labels = documents.labelNames.count
        return "\(documents.count.formatted) document\(documents.count == 1 ? "" : "s"), \(labels) label\(labels == 1 ? "" : "s")"
    }
}
