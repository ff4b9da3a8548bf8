import Neural
import XlingCore

/// HAN (Yang et al. 2016; the classifier of M'hamdi et al. 2019 §3.2 without its alignment task):
/// a document is a list of sentences, each a list of embedding-row ids.
///
/// - Word level: every sentence of the batch through a `BiRNN` of PyTorch-form `GRUCell`s
///   (`units` per direction; paper: 50) and additive `Attention` over its real words
///   (attention size 2 × units) → one sentence vector of 2·units (Eqs. 1–3, Σ α_t h_t).
/// - Sentence level: each document's sentence vectors, in order, through a second bi-GRU and
///   attention over its real sentences → the document vector (2·units).
/// - Dropout (paper: 0.5) on the document vector, then a softmax layer.
///
/// Module paths: `embedding` (|V|×d, sparse rows; frozen unless trained), `encoder.word.rnn.fw.wIH`,
/// `encoder.word.attention.context`, `encoder.sentence.rnn.bw.wHH`, …, `output`. Empty sentences
/// are skipped (they have no words to attend to); a document with no sentence gets a zero
/// document vector. Batches are padded per level and masked by length, so padding never changes a
/// document's logits. The word level (`sentenceVectors`) is the sentence encoder that the
/// Sent-Ali task shares.
public struct HierarchicalClassifierNetwork: ClassifierNetwork {
    /// Every parameter.
    public var store: ParameterStore
    /// The embedding table.
    public let embedding: Embedding
    /// The word-level encoder.
    public let wordRNN: BiRNN<GRUCell>
    /// Attention over a sentence's words.
    public let wordAttention: Attention
    /// The sentence-level encoder.
    public let sentenceRNN: BiRNN<GRUCell>
    /// Attention over a document's sentences.
    public let sentenceAttention: Attention
    /// Document vector → K logits.
    public let output: Dense
    /// Dropout on the document vector (training only), in [0, 1).
    public let dropout: Float
    /// The loss's class weights (nil: equal).
    public let classWeights: [Float]?

    /// A HAN over `table` (|V|×d) with `units` per direction at both levels, parameters drawn from `generator`.
    public init(
        over table: Matrix, trainableEmbeddings: Bool, units: Int, classes: Int, dropout: Float, classWeights: [Float]?,
        generator: inout SplitMix64
    ) {
        var store = ParameterStore()
        embedding = Embedding(&store, name: "embedding", values: table, trainable: trainableEmbeddings)
        func rnn(_ name: String, input: Int) -> BiRNN<GRUCell> {
            BiRNN(
                forward: GRUCell(&store, name: name + ".fw", inputSize: input, hiddenSize: units, generator: &generator),
                backward: GRUCell(&store, name: name + ".bw", inputSize: input, hiddenSize: units, generator: &generator))
        }
        wordRNN = rnn("encoder.word.rnn", input: table.cols)
        wordAttention = Attention(
            &store, name: "encoder.word.attention", inputSize: 2 * units, attentionSize: 2 * units, generator: &generator)
        sentenceRNN = rnn("encoder.sentence.rnn", input: 2 * units)
        sentenceAttention = Attention(
            &store, name: "encoder.sentence.attention", inputSize: 2 * units, attentionSize: 2 * units, generator: &generator)
        output = Dense(&store, name: "output", inputs: 2 * units, outputs: classes, generator: &generator)
        self.store = store
        self.dropout = dropout
        self.classWeights = classWeights
    }

    /// K, the number of classes.
    public var classes: Int { output.outputs }

    /// The width of a sentence or document vector, 2·units.
    public var featureSize: Int { wordRNN.outputSize }

    /// The n × 2·units vectors of n non-empty sentences (row-id sequences): the word level.
    public func sentenceVectors(_ sentences: [[Int]], on tape: inout Tape) -> Var? { wordLevel(sentences, on: &tape) }

    /// The word level: n × 2·units for n non-empty sentences.
    func wordLevel(_ sentences: [[Int]], on tape: inout Tape) -> Var {
        precondition(!sentences.isEmpty && sentences.allSatisfy { !$0.isEmpty }, "sentenceVectors: empty sentence")
        let batch = PaddedBatch(sentences)
        let states = wordRNN(embedding.steps(batch, on: &tape), lengths: batch.lengths, on: &tape)
        return wordAttention(states, lengths: batch.lengths, on: &tape).output
    }

    /// The B × 2·units document vectors of B documents (each a list of sentences), before dropout.
    public func documentVectors(_ documents: [[[Int]]], on tape: inout Tape) -> Var {
        var sentences: [[Int]] = []
        var rowsOf: [[Int]] = [] // rowsOf[b][s]: the row of document b's s-th non-empty sentence
        for document in documents {
            var rows: [Int] = []
            for sentence in document where !sentence.isEmpty {
                rows.append(sentences.count)
                sentences.append(sentence)
            }
            rowsOf.append(rows)
        }
        let lengths = rowsOf.map(\.count)
        let steps = max(1, lengths.max() ?? 0)
        guard !sentences.isEmpty else { return tape.constant(Matrix(rows: documents.count, cols: featureSize)) }
        let vectors = wordLevel(sentences, on: &tape)
        let sequence = (0..<steps).map { s in tape.pickRows(vectors, ids: rowsOf.map { s < $0.count ? $0[s] : -1 }) }
        let states = sentenceRNN(sequence, lengths: lengths, on: &tape)
        return sentenceAttention(states, lengths: lengths, on: &tape).output
    }

    /// The B×K logits of B documents, recorded on `tape`.
    public func logits(_ documents: [[[Int]]], on tape: inout Tape, generator: inout SplitMix64) -> Var {
        output(tape.dropout(documentVectors(documents, on: &tape), rate: dropout, generator: &generator), on: &tape)
    }

    /// `han`.
    public var name: String { TextClassifierModel.han.rawValue }

    /// The documents as sentences of embedding rows (`TextClassifier.sentenceBags`).
    public static func documents(_ texts: [[String]], language: String?, in classifier: TextClassifier) -> [[[Int]]] {
        classifier.sentenceBags(texts, language: language)
    }
}
