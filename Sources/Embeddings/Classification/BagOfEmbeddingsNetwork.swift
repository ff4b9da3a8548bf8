/// The bag-of-embeddings text classifier of Sakuma & Yoshinaga (2019, §4 "Models"): the
/// dimension-wise mean of the document's token embeddings, feed-forward hidden layers, softmax.
///
/// Layers: `EmbeddingBagLayer` (|V|×d) → for each hidden layer: `DenseLayer` → `activation` →
/// `Dropout` → output `DenseLayer` (→ K logits) → `SoftmaxCrossEntropy`. The paper's model
/// ("CLWE fixed"/"CLWE opt") has one hidden layer; `TextClassifierModel.mlp` is the same network
/// with two ReLU layers. Every backward pass is written by hand (BLAS for the dense products,
/// sparse rows for the embedding table).
///
/// Invariant: `hidden[0].inputs == embedding.dimension` (or `output.inputs` when there is no
/// hidden layer), consecutive layers fit, `output.outputs` = K.
public struct BagOfEmbeddingsNetwork: Sendable, Equatable {
    /// The embedding layer (its table is the classifier's embeddings).
    public var embedding: EmbeddingBagLayer
    /// The hidden layers, input side first.
    public var hidden: [DenseLayer]
    /// The output layer: last hidden width → K logits.
    public var output: DenseLayer
    /// The non-linearity after each hidden layer.
    public var activation: Activation
    /// Dropout after each hidden activation (training only).
    public var dropout: Dropout
    /// The loss (with the class weights, if any).
    public var loss: SoftmaxCrossEntropy

    /// All parameter gradients of one batch.
    public struct Gradients: Sendable, Equatable {
        /// The embedding rows the batch touched (nil when the table is frozen).
        public var embedding: RowGradient?
        /// One per hidden layer.
        public var hidden: [DenseLayer.Gradients]
        /// The output layer's.
        public var output: DenseLayer.Gradients
    }

    /// A network over `table` (|V|×d) with hidden widths `hiddenSizes` and `classes` outputs,
    /// weights drawn from `generator` (Glorot uniform, zero biases).
    public init(
        table: Matrix, trainableEmbeddings: Bool, hiddenSizes: [Int], classes: Int, activation: Activation,
        dropout: Dropout, loss: SoftmaxCrossEntropy, generator: inout SplitMix64
    ) {
        embedding = EmbeddingBagLayer(table: table, trainable: trainableEmbeddings)
        var width = table.cols
        var layers: [DenseLayer] = []
        for size in hiddenSizes {
            layers.append(DenseLayer(inputs: width, outputs: size, generator: &generator))
            width = size
        }
        hidden = layers
        output = DenseLayer(inputs: width, outputs: classes, generator: &generator)
        self.activation = activation
        self.dropout = dropout
        self.loss = loss
    }

    /// K, the number of classes.
    public var classes: Int { output.outputs }

    /// The n×K logits of n bags (no dropout: inference).
    public func logits(_ bags: [[Int]]) throws(NeuralError) -> Matrix {
        var x = embedding.forward(bags)
        for layer in hidden { x = activation.apply(try layer.forward(x)) }
        return try output.forward(x)
    }

    /// The predicted class of each bag (highest logit, lowest id among ties), in batches of 256.
    public func predict(_ bags: [[Int]]) throws(NeuralError) -> [Int] {
        var predictions: [Int] = []
        predictions.reserveCapacity(bags.count)
        for range in MiniBatches.sequential(count: bags.count, size: 256) {
            let z = try logits(Array(bags[range]))
            for i in 0..<z.rows {
                var best = 0
                for j in 1..<max(1, z.cols) where z[i, j] > z[i, best] { best = j }
                predictions.append(best)
            }
        }
        return predictions
    }

    /// The batch's loss and every gradient: forward with dropout masks drawn from `generator`
    /// (none when the rate is 0), then the hand-written backward pass.
    public func gradients(_ bags: [[Int]], labels: [Int], generator: inout SplitMix64) throws(NeuralError) -> (
        loss: Double, gradients: Gradients
    ) {
        let x0 = embedding.forward(bags)
        var inputs: [Matrix] = [] // the input of each hidden layer
        var activations: [Matrix] = [] // its activation (before dropout)
        var masks: [[Float]] = []
        var x = x0
        for layer in hidden {
            inputs.append(x)
            let a = activation.apply(try layer.forward(x))
            activations.append(a)
            let (dropped, mask) = dropout.forward(a, generator: &generator)
            masks.append(mask)
            x = dropped
        }
        let z = try output.forward(x)
        let (value, gz) = try loss.loss(logits: z, labels: labels)
        let (outputGradients, gx) = try output.backward(input: x, outputGradient: gz)
        var g = gx
        var hiddenGradients: [DenseLayer.Gradients] = []
        for l in stride(from: hidden.count - 1, through: 0, by: -1) {
            let ga = Dropout.backward(mask: masks[l], outputGradient: g)
            let gzl = activation.backward(output: activations[l], outputGradient: ga)
            let (layerGradients, gin) = try hidden[l].backward(input: inputs[l], outputGradient: gzl)
            hiddenGradients.insert(layerGradients, at: 0)
            g = gin
        }
        let embeddingGradient = embedding.trainable ? try embedding.backward(bags, outputGradient: g) : nil
        return (value, Gradients(embedding: embeddingGradient, hidden: hiddenGradients, output: outputGradients))
    }

    /// One optimizer step on a batch; returns its loss (before the step).
    public mutating func trainStep(_ bags: [[Int]], labels: [Int], optimizer: inout Optimizer, generator: inout SplitMix64)
        throws(NeuralError) -> Double
    {
        let (value, g) = try gradients(bags, labels: labels, generator: &generator)
        optimizer.beginStep()
        for l in hidden.indices {
            try optimizer.update(&hidden[l].weight.storage, gradient: g.hidden[l].weight.storage, group: "hidden\(l).weight")
            try optimizer.update(&hidden[l].bias, gradient: g.hidden[l].bias, group: "hidden\(l).bias")
        }
        try optimizer.update(&output.weight.storage, gradient: g.output.weight.storage, group: "output.weight")
        try optimizer.update(&output.bias, gradient: g.output.bias, group: "output.bias")
        if let rows = g.embedding {
            try optimizer.updateRows(&embedding.table.storage, width: embedding.dimension, gradient: rows, group: "embedding")
        }
        return value
    }
}
