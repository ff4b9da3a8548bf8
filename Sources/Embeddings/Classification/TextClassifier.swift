/// A trained text classifier of one language: an embedding layer over a vocabulary plus the
/// layers above it (an averaged perceptron, or a `ClassifierNetwork`: a bag-of-embeddings network, the FT-MLP, an
/// MF-CNN, a bi-GRU-Att or a HAN). The
/// embedding layer can be swapped for another language's (`replacingEmbeddings`), which is
/// how a task model is transferred across languages (Sakuma & Yoshinaga 2019).
///
/// Invariant: `embeddings.rows == vocabulary.count`; `initialEmbeddings`, when present, has
/// the same shape; `seenInTraining.count == vocabulary.count`.
public struct TextClassifier: Sendable {
    /// The layers above the embedding table.
    public enum Head: Sendable {
        /// Every model but the perceptron (`ClassifierNetwork`): the network holds the table in its embedding layer.
        case network(any ClassifierNetwork)
        /// `.perceptron`.
        case perceptron(PerceptronClassifier)
    }

    /// Which model it is.
    public var model: TextClassifierModel
    /// The language of its embedding layer (and so of the documents it classifies); for a
    /// multilingual classifier the first of `languages`.
    public var language: String
    /// Every language the embedding layer has rows for: `[language]`, or several for a classifier
    /// trained on pooled languages (`data=L1,L2,…`), whose rows are keyed `multilingualKey(word, language)`.
    public var languages: [String] = []
    /// The class names, in label-id order (sorted, as `LabeledDocuments` numbers them).
    public var labelNames: [String]
    /// The model itself.
    public private(set) var head: Head
    /// The rows of the embedding layer as a word → row index.
    public private(set) var lexicon: Vocabulary
    /// The table the embedding layer started from (the general space's rows), when training
    /// changed it (`update_emb=true`); nil when the layer was frozen or replaced.
    public var initialEmbeddings: Matrix?
    /// `seenInTraining[r]`: word r occurred in the training documents (the only rows training
    /// can change); all false after `replacingEmbeddings`.
    public var seenInTraining: [Bool]
    /// How it was trained (nil for a classifier made by `replacingEmbeddings` from one
    /// without, or built directly).
    public var training: TextClassifierTraining?

    /// A classifier from its parts; throws when the table does not fit the vocabulary or the head.
    public init(
        model: TextClassifierModel, language: String, labelNames: [String], lexicon: Vocabulary, head: Head,
        initialEmbeddings: Matrix? = nil, seenInTraining: [Bool]? = nil, training: TextClassifierTraining? = nil
    ) throws(ClassificationError) {
        self.model = model
        self.language = language
        self.labelNames = labelNames
        self.lexicon = lexicon
        self.head = head
        self.initialEmbeddings = initialEmbeddings
        self.seenInTraining = seenInTraining ?? Array(repeating: false, count: lexicon.count)
        self.training = training
        self.languages = [language]
        let table = embeddings
        guard table.rows == lexicon.count else {
            throw ClassificationError("the embedding table has \(table.rows) rows but the vocabulary \(lexicon.count) words")
        }
        if let initialEmbeddings, initialEmbeddings.rows != table.rows || initialEmbeddings.cols != table.cols {
            throw ClassificationError("initial embeddings are \(initialEmbeddings.shapeDescription), the table \(table.shapeDescription)")
        }
        guard self.seenInTraining.count == lexicon.count else {
            throw ClassificationError("\(self.seenInTraining.count) seen-in-training flags for \(lexicon.count) words")
        }
    }

    /// The normalisations the general space got before it became the embedding layer (from the
    /// training options; empty when unknown). Give a transfer embeddings normalised the same way.
    public var normalization: [EmbeddingSpace.Normalization] { training?.options.normalization ?? [] }

    /// The words of the embedding layer's rows, in order.
    public var vocabulary: [String] { lexicon.words }

    /// |vocabulary| × d: the embedding layer's current rows (task-specific after training with
    /// `updateEmbeddings`).
    public var embeddings: Matrix {
        switch head {
        case .network(let network): network.table
        case .perceptron(let perceptron): perceptron.embeddings
        }
    }

    /// d, the embedding width.
    public var dimension: Int { embeddings.cols }

    /// The documents as bags of embedding rows, in token order (tokens not in the vocabulary
    /// dropped; the sequence models read them in this order), and the share of tokens kept.
    /// A token not in the vocabulary is looked up again without its edge punctuation (documents
    /// loaded with `punct=keep` for `han` read the same words).
    /// `language` picks the side of a multilingual classifier (nil: `language`).
    public func bags(_ documents: [[String]], language side: String? = nil) -> (bags: [[Int]], coverage: Double) {
        var tokens = 0, covered = 0
        let prefix = prefix(side)
        let bags = documents.map { document in
            tokens += document.count
            let ids = document.compactMap { row($0, prefix: prefix) }
            covered += ids.count
            return ids
        }
        return (bags, tokens == 0 ? 0 : Double(covered) / Double(tokens))
    }

    /// The documents as sentences (`SentenceSplitter`) of embedding rows, for `han`; sentences
    /// with no word in the vocabulary are dropped.
    public func sentenceBags(_ documents: [[String]], language side: String? = nil) -> [[[Int]]] {
        let prefix = prefix(side)
        return documents.map { document in
            SentenceSplitter.sentences(document).map { range in document[range].compactMap { row($0, prefix: prefix) } }
                .filter { !$0.isEmpty }
        }
    }

    /// The row key of `word` in `language`'s side of a multilingual embedding layer.
    public static func multilingualKey(_ word: String, language: String) -> String { language + "\u{1F}" + word }

    /// The key prefix of `side` ("" for a monolingual classifier).
    private func prefix(_ side: String?) -> String {
        languages.count > 1 ? Self.multilingualKey("", language: side ?? language) : ""
    }

    private static let edgeStripper = Tokenizer(lowercase: false, stripPunctuation: true)

    /// The row of `token` (keyed with `prefix`), or of `token` without its edge punctuation.
    private func row(_ token: String, prefix: String) -> Int? {
        if let id = lexicon.id(prefix.isEmpty ? token : prefix + token) { return id }
        guard let stripped = Self.edgeStripper.tokens(token).first, stripped != token else { return nil }
        return lexicon.id(prefix.isEmpty ? stripped : prefix + stripped)
    }

    /// The share of the documents' tokens that are in the vocabulary, in [0, 1].
    public func coverage(_ documents: LabeledDocuments) -> Double { bags(documents.documents, language: documents.language).coverage }

    /// The predicted label id (into `labelNames`) of each document.
    public func predict(_ documents: LabeledDocuments) -> [Int] {
        // Bags are in range and the embedding table fits the network by construction, so a
        // throw here is a bug in xling, never a reason to answer class 0 for every document.
        do {
            switch head {
            case .network(let network):
                return network.predict(documents.documents, language: documents.language, in: self)
            case .perceptron(let perceptron):
                return try perceptron.predict(documents.documents)
            }
        } catch {
            preconditionFailure("a trained classifier rejected its own documents: \(error)")
        }
    }

    /// The classifier's report on `documents`; throws when their language or labels differ
    /// from the classifier's, naming the fix.
    public func evaluate(_ documents: LabeledDocuments) throws(ClassificationError) -> ClassificationReport {
        try checkCompatible(documents)
        return try ClassificationReport(gold: documents.labels, predicted: predict(documents), labelNames: labelNames)
    }

    /// Throws unless `documents` are in the classifier's language with the same label names.
    public func checkCompatible(_ documents: LabeledDocuments) throws(ClassificationError) {
        guard languages.contains(documents.language) else {
            throw ClassificationError(
                """
                the documents are in \(documents.language) but the classifier reads \(languages.joined(separator: ", ")); transfer it to \(documents.language) \
                first (e.g. %llm … target=\(documents.language))
                """)
        }
        guard documents.labelNames == labelNames else {
            let extra = documents.labelNames.filter { !labelNames.contains($0) }
            let missing = labelNames.filter { !documents.labelNames.contains($0) }
            var parts: [String] = []
            if !extra.isEmpty { parts.append("not known to the classifier: \(extra.joined(separator: ", "))") }
            if !missing.isEmpty { parts.append("absent from the documents: \(missing.joined(separator: ", "))") }
            throw ClassificationError(
                """
                the documents' labels differ from the classifier's (\(parts.joined(separator: "; "))); evaluate on a set with the same \
                labels
                """)
        }
    }

    /// The same classifier with another language's embedding layer: `vocabulary` (distinct
    /// words) and `embeddings` (|vocabulary| × d, the same d); every other layer unchanged.
    public func replacingEmbeddings(language: String, vocabulary: [String], embeddings: Matrix) throws(ClassificationError)
        -> TextClassifier
    {
        guard embeddings.cols == dimension else {
            throw ClassificationError(
                """
                the new embeddings have dimension \(embeddings.cols) but the classifier's layer has \(dimension); map them to \(dimension) \
                dimensions first
                """)
        }
        let lexicon = Vocabulary(vocabulary)
        guard lexicon.count == vocabulary.count else {
            throw ClassificationError("the new vocabulary repeats words (\(vocabulary.count) words, \(lexicon.count) distinct)")
        }
        guard embeddings.rows == vocabulary.count else {
            throw ClassificationError("\(vocabulary.count) words but \(embeddings.rows) embedding rows")
        }
        let newHead: Head
        switch head {
        case .network(var network):
            network.replaceTable(embeddings)
            newHead = .network(network)
        case .perceptron(var perceptron):
            perceptron.vocabulary = lexicon
            perceptron.embeddings = embeddings
            newHead = .perceptron(perceptron)
        }
        return try TextClassifier(
            model: model, language: language, labelNames: labelNames, lexicon: lexicon, head: newHead,
            training: training)
    }
}
