/// The bag-of-embeddings text classifier of Sakuma & Yoshinaga (2019, §4 "Models"): the
/// dimension-wise mean of the document's token embeddings, feed-forward hidden layers, softmax.
///
/// Layers (module path → parameters): `embedding` (|V|×d, sparse rows; frozen for "CLWE
/// fixed") → for each hidden layer l: `hidden<l>` (`Dense`) → `activation` → dropout → `output`
/// (`Dense`, → K logits) → weighted softmax cross-entropy. The paper's model has one tanh hidden
/// layer; `TextClassifierModel.mlp` is the same network with two ReLU layers. Only the forward
/// pass is written here: the tape derives the backward pass, the store holds every parameter.
///
/// Invariant: the modules' parameters live in `store`; consecutive layers fit.
public struct BagOfEmbeddingsNetwork: Sendable {
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
        table: Matrix, trainableEmbeddings: Bool, hiddenSizes: [Int], classes: Int, activation: Activation,
        dropout: Float, classWeights: [Float]?, generator: inout SplitMix64
    ) {
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

    /// The embedding layer's current table.
    public var table: Matrix { store[embedding.table] }

    /// Replaces the table (another language's embeddings, same width).
    public mutating func replaceTable(_ table: Matrix) { store.replace(embedding.table, with: table) }

    /// The n×K logits of n bags, recorded on `tape` (dropout only when the tape trains).
    public func logits(_ bags: [[Int]], on tape: inout Tape, generator: inout SplitMix64) -> Var {
        var x = embedding.mean(bags, on: &tape)
        for layer in hidden {
            x = tape.dropout(activation(layer(x, on: &tape), on: &tape), rate: dropout, generator: &generator)
        }
        return output(x, on: &tape)
    }

    /// The batch's weighted mean cross-entropy (1×1) on `tape`.
    public func loss(_ bags: [[Int]], labels: [Int], on tape: inout Tape, generator: inout SplitMix64) -> Var {
        tape.softmaxCrossEntropy(logits(bags, on: &tape, generator: &generator), labels: labels, classWeights: classWeights)
    }

    /// The predicted class of each bag (highest logit, lowest id among ties), in batches of 256.
    public func predict(_ bags: [[Int]]) -> [Int] {
        var predictions: [Int] = []
        predictions.reserveCapacity(bags.count)
        var unused = SplitMix64(seed: 0)
        for range in MiniBatches.sequential(count: bags.count, size: 256) {
            var tape = Tape(store, training: false)
            let out = logits(Array(bags[range]), on: &tape, generator: &unused)
            let z = tape[out]
            predictions.append(contentsOf: ClassWeights.argmax(z))
        }
        return predictions
    }
}
