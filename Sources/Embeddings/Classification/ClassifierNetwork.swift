import Neural
import XlingCore

/// A neural text classifier as `TextClassifier.train` drives it: one training path for every
/// network (`BagOfEmbeddingsNetwork` for boe/mlp, `SequenceClassifierNetwork` for cnn/bigru-att,
/// `HierarchicalClassifierNetwork` for han). A network is its forward pass on a tape; the store
/// holds every parameter under its module path, the tape derives the backward pass.
///
/// Invariant: `embedding.table` lives in `store`; `logits` gives n × K for n documents.
public protocol ClassifierNetwork: Sendable {
    /// One document as the network reads it: embedding-row ids in token order (boe, mlp, cnn,
    /// bigru-att) or a list of sentences of them (han).
    associatedtype Document: Sendable

    /// The model's name (`TextClassifierModel.rawValue`: `mlp`, `cnn`, …).
    var name: String { get }
    /// Every parameter.
    var store: ParameterStore { get set }
    /// The embedding layer.
    var embedding: Embedding { get }
    /// The loss's class weights (nil: equal).
    var classWeights: [Float]? { get }
    /// Documents per forward pass when predicting.
    var predictionBatchSize: Int { get }

    /// The n × K logits of n documents, recorded on `tape` (dropout only when the tape trains).
    func logits(_ documents: [Document], on tape: inout Tape, generator: inout SplitMix64) -> Var

    /// The sentence encoder that Sent-Ali shares (n × features for n non-empty row-id
    /// sequences), or nil when the network has none (boe, mlp, cnn).
    func sentenceVectors(_ sentences: [[Int]], on tape: inout Tape) -> Var?

    /// `texts` (token lists) as this network reads them through `classifier`'s embedding rows in
    /// `language`'s side (nil: the classifier's language).
    static func documents(_ texts: [[String]], language: String?, in classifier: TextClassifier) -> [Document]
}

extension ClassifierNetwork {
    /// Documents per forward pass when predicting: 64.
    public var predictionBatchSize: Int { 64 }

    /// No sentence encoder.
    public func sentenceVectors(_ sentences: [[Int]], on tape: inout Tape) -> Var? { nil }

    /// The embedding layer's current table.
    public var table: Matrix { store[embedding.table] }

    /// Replaces the table (another language's embeddings, same width).
    public mutating func replaceTable(_ table: Matrix) { store.replace(embedding.table, with: table) }

    /// The batch's weighted mean cross-entropy (1×1) on `tape`.
    public func loss(_ documents: [Document], labels: [Int], on tape: inout Tape, generator: inout SplitMix64) -> Var {
        tape.softmaxCrossEntropy(logits(documents, on: &tape, generator: &generator), labels: labels, classWeights: classWeights)
    }

    /// Data-parallel training's share of a batch's loss carried by some of its documents: their
    /// weighted cross-entropy over the whole batch's Σ w[y] (`batchWeight`, `ClassWeights.total`
    /// of the batch's labels), so the shares of a split add up to `loss` of the batch.
    public func shardLoss(
        _ documents: [Document], labels: [Int], batchWeight: Double, on tape: inout Tape, generator: inout SplitMix64
    ) -> Var {
        tape.softmaxCrossEntropy(
            logits(documents, on: &tape, generator: &generator), labels: labels, classWeights: classWeights, normalizer: batchWeight)
    }

    /// The predicted class of each document (highest logit, lowest id among ties), in batches of
    /// `predictionBatchSize`.
    public func predict(_ documents: [Document]) -> [Int] {
        var predictions: [Int] = []
        predictions.reserveCapacity(documents.count)
        var unused = SplitMix64(seed: 0)
        for range in MiniBatches.sequential(count: documents.count, size: predictionBatchSize) {
            var tape = Tape(store, training: false)
            let out = logits(Array(documents[range]), on: &tape, generator: &unused)
            predictions.append(contentsOf: ClassWeights.argmax(tape[out]))
        }
        return predictions
    }

    /// The predictions for `texts` in `language` read through `classifier`'s rows.
    func predict(_ texts: [[String]], language: String?, in classifier: TextClassifier) -> [Int] {
        predict(Self.documents(texts, language: language, in: classifier))
    }
}
