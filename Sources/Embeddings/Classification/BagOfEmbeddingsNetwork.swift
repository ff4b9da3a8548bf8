/// The bag-of-embeddings text classifier of Sakuma & Yoshinaga (2019, §4 "Models"): the
/// dimension-wise mean of the document's token embeddings, feed-forward hidden layers, softmax.
///
/// Layers (module path → parameters): `embedding` (|V|×d, sparse rows; frozen for "CLWE
/// fixed") → for each hidden layer l: `hidden<l>` (`Dense`) → `activation` → dropout → `output`
/// (`Dense`, → K logits) → weighted softmax cross-entropy. The paper's model has one tanh hidden
/// layer; `TextClassifierModel.mlp` is M'hamdi et al.'s FT-MLP, the same network with one 512-unit
/// ReLU layer, dropout 0.7 and trained embeddings (`TextClassifierOptions`). Only the forward
/// pass is written here: the tape derives the backward pass, the store holds every parameter.
///
/// Invariant: the modules' parameters live in `store`; consecutive layers fit.
public struct BagOfEmbeddingsNetwork: ClassifierNetwork {
    /// `boe` or `mlp`.
    public let name: String
    /// Every parameter (`embedding`, `hidden0.weight`, …, `output.bias`).
    public var store: ParameterStore
    /// The embedding table.
    public let embedding: Embedding
    /// The hidden layers, input side first.
    public let hidden: [Dense]
    /// The output layer: last hidden width → K logits.
    public let output: Dense
    /// The non-linearity after each hidden layer.
    public let activation: Activation
    /// The dropout rate after each hidden activation (training only), in [0, 1).
    public let dropout: Float
    /// The loss's class weights (nil: equal).
    public let classWeights: [Float]?

    /// A network over `table` (|V|×d) with hidden widths `hiddenSizes` and `classes` outputs,
    /// weights drawn from `generator` (Glorot uniform, zero biases), layer by layer.
    public init(
        name: String = "boe", table: Matrix, trainableEmbeddings: Bool, hiddenSizes: [Int], classes: Int, activation: Activation,
        dropout: Float, classWeights: [Float]?, generator: inout SplitMix64
    ) {
        self.name = name
        var store = ParameterStore()
        embedding = Embedding(&store, name: "embedding", values: table, trainable: trainableEmbeddings)
        var width = table.cols
        var layers: [Dense] = []
        for (l, size) in hiddenSizes.enumerated() {
            layers.append(Dense(&store, name: "hidden\(l)", inputs: width, outputs: size, generator: &generator))
            width = size
        }
        hidden = layers
        output = Dense(&store, name: "output", inputs: width, outputs: classes, generator: &generator)
        self.store = store
        self.activation = activation
        self.dropout = dropout
        self.classWeights = classWeights
    }

    /// K, the number of classes.
    public var classes: Int { output.outputs }

    /// The n×K logits of n bags, recorded on `tape` (dropout only when the tape trains).
    public func logits(_ bags: [[Int]], on tape: inout Tape, generator: inout SplitMix64) -> Var {
        var x = embedding.mean(bags, on: &tape)
        for layer in hidden {
            x = tape.dropout(activation(layer(x, on: &tape), on: &tape), rate: dropout, generator: &generator)
        }
        return output(x, on: &tape)
    }

    /// Bags are read in batches of 256 when predicting.
    public var predictionBatchSize: Int { 256 }

    /// The documents as bags of embedding rows (`TextClassifier.bags`).
    public static func documents(_ texts: [[String]], language: String?, in classifier: TextClassifier) -> [[Int]] {
        classifier.bags(texts, language: language).bags
    }
}
