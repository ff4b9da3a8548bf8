/// The sequence classifiers of M'hamdi et al. (2019, §3.1): a document's token embeddings,
/// in order, through an encoder, dropout, and a softmax layer.
///
/// - `cnn` (MF-CNN, Kim 2014): `TextCNN` with kernel widths (paper 3, 4, 5) × filters (200), ReLU,
///   max over the windows within the document, the widths' features side by side.
/// - `biGRUAttention` (bi-GRU-Att): a `BiRNN` of PyTorch-form `GRUCell`s (paper: 150 units per
///   direction), additive `Attention` over the real steps (attention size 2 × units, as the
///   paper's code), Σ α_t h_t.
///
/// Module paths: `embedding` (|V|×d, sparse rows; frozen unless trained), `encoder.…`
/// (`encoder.k3.weight`, `encoder.rnn.fw.wIH`, `encoder.attention.context`, …), `output`. Documents
/// are padded per batch (`PaddedBatch`, at least the widest kernel for the CNN) and masked by
/// their lengths; padding never changes a document's logits.
public struct SequenceClassifierNetwork: ClassifierNetwork {
    /// The encoder between the embeddings and the output layer.
    public enum Encoder: Sendable {
        case cnn(TextCNN)
        case biGRUAttention(BiRNN<GRUCell>, Attention)
    }

    /// Every parameter.
    public var store: ParameterStore
    /// The embedding table.
    public let embedding: Embedding
    /// The encoder.
    public let encoder: Encoder
    /// Encoder features → K logits.
    public let output: Dense
    /// Dropout on the encoder's features (training only), in [0, 1).
    public let dropout: Float
    /// The loss's class weights (nil: equal).
    public let classWeights: [Float]?

    /// An MF-CNN over `table` (|V|×d), parameters drawn from `generator`.
    public init(
        cnnOver table: Matrix, trainableEmbeddings: Bool, widths: [Int], filters: Int, classes: Int, dropout: Float,
        classWeights: [Float]?, generator: inout SplitMix64
    ) {
        var store = ParameterStore()
        embedding = Embedding(&store, name: "embedding", values: table, trainable: trainableEmbeddings)
        let cnn = TextCNN(&store, name: "encoder", inputSize: table.cols, widths: widths, filters: filters, generator: &generator)
        encoder = .cnn(cnn)
        output = Dense(&store, name: "output", inputs: cnn.outputSize, outputs: classes, generator: &generator)
        self.store = store
        self.dropout = dropout
        self.classWeights = classWeights
    }

    /// A bi-GRU-Att over `table` (|V|×d) with `units` per direction, parameters drawn from `generator`.
    public init(
        biGRUOver table: Matrix, trainableEmbeddings: Bool, units: Int, classes: Int, dropout: Float, classWeights: [Float]?,
        generator: inout SplitMix64
    ) {
        var store = ParameterStore()
        embedding = Embedding(&store, name: "embedding", values: table, trainable: trainableEmbeddings)
        let rnn = BiRNN(
            forward: GRUCell(&store, name: "encoder.rnn.fw", inputSize: table.cols, hiddenSize: units, generator: &generator),
            backward: GRUCell(&store, name: "encoder.rnn.bw", inputSize: table.cols, hiddenSize: units, generator: &generator))
        let attention = Attention(
            &store, name: "encoder.attention", inputSize: rnn.outputSize, attentionSize: rnn.outputSize, generator: &generator)
        encoder = .biGRUAttention(rnn, attention)
        output = Dense(&store, name: "output", inputs: rnn.outputSize, outputs: classes, generator: &generator)
        self.store = store
        self.dropout = dropout
        self.classWeights = classWeights
    }

    /// K, the number of classes.
    public var classes: Int { output.outputs }

    /// The fewest steps a batch is padded to.
    var minimumSteps: Int {
        switch encoder {
        case .cnn(let cnn): cnn.widths.max() ?? 1
        case .biGRUAttention: 1
        }
    }

    /// The n × features encodings of n documents (row-id sequences) before dropout: the sentence
    /// encoder that the Sent-Ali task shares.
    public func features(_ documents: [[Int]], on tape: inout Tape) -> Var {
        let batch = PaddedBatch(documents, minimumSteps: minimumSteps)
        let steps = embedding.steps(batch, on: &tape)
        switch encoder {
        case .cnn(let cnn):
            return cnn(steps, lengths: batch.lengths, on: &tape)
        case .biGRUAttention(let rnn, let attention):
            return attention(rnn(steps, lengths: batch.lengths, on: &tape), lengths: batch.lengths, on: &tape).output
        }
    }

    /// The n×K logits of n documents (row-id sequences), recorded on `tape`.
    public func logits(_ documents: [[Int]], on tape: inout Tape, generator: inout SplitMix64) -> Var {
        output(tape.dropout(features(documents, on: &tape), rate: dropout, generator: &generator), on: &tape)
    }

    /// `cnn` or `bigru-att`.
    public var name: String {
        switch encoder {
        case .cnn: TextClassifierModel.cnn.rawValue
        case .biGRUAttention: TextClassifierModel.bigruAtt.rawValue
        }
    }

    /// The bi-GRU-Att's encoder (the whole of it) for Sent-Ali; nil for the CNN.
    public func sentenceVectors(_ sentences: [[Int]], on tape: inout Tape) -> Var? {
        if case .cnn = encoder { return nil }
        return features(sentences, on: &tape)
    }

    /// The documents as row-id sequences in token order (`TextClassifier.bags`).
    public static func documents(_ texts: [[String]], language: String?, in classifier: TextClassifier) -> [[Int]] {
        classifier.bags(texts, language: language).bags
    }
}
