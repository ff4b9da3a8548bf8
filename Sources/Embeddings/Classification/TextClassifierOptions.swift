/// The kinds of text classifier `TextClassifier.train` builds.
public enum TextClassifierModel: String, Sendable, CaseIterable {
    /// Bag of embeddings (Sakuma & Yoshinaga 2019): mean of embeddings → one tanh hidden layer → softmax.
    case boe
    /// Averaged perceptron over idf-weighted mean vectors (the CLDC classifier of Klementiev et al. 2012).
    case perceptron
    /// Mean of embeddings → two ReLU hidden layers with dropout → softmax.
    case mlp
}

/// How to train a `TextClassifier`. Defaults follow the paper where it speaks (Adam, 300-unit
/// hidden layers, embeddings fixed = "CLWE fixed"); the rest are this project's choices,
/// measured on SIB-200 (see `Sources/Embeddings/README.md`).
public struct TextClassifierOptions: Sendable, Equatable {
    /// Which model.
    public var model: TextClassifierModel = .boe
    /// Whether training updates the embedding layer ("CLWE opt"); ignored by the perceptron.
    public var updateEmbeddings = false
    /// Width of each hidden layer (paper: 300).
    public var hidden = 300
    /// Maximum passes over the training set (perceptron: exactly this many; default 10 for it
    /// when left at nil).
    public var epochs: Int? = nil
    /// Examples per step.
    public var batchSize = 32
    /// η; nil: 0.003 for Adam (measured on SIB-200: 0.001 trains the embedding rows too
    /// slowly in 50 epochs), else the optimizer's customary rate (`Optimizer.defaultLearningRate`).
    public var learningRate: Float? = nil
    /// Dropout rate after each hidden activation; nil: 0 for boe (the paper names none), 0.3 for mlp.
    public var dropout: Float? = nil
    /// The optimizer (paper: Adam).
    public var optimizer: Optimizer.Kind = .adam
    /// Weight classes by n / (K · n_k) in the loss (sklearn's "balanced").
    public var balancedClassWeights = false
    /// Epochs without dev improvement before stopping (with a dev set).
    public var patience = 10
    /// The run's seed (initialisation, batch order, dropout).
    public var seed: UInt64 = 0
    /// Normalisations applied to the space's vectors before they become the embedding layer
    /// (`EmbeddingSpace.normalized`). Default `unit`: GloVe-style vectors of frequent words are
    /// ~10× longer than average, so without it the mean of a document's embeddings is mostly its
    /// function words (measured on SIB-200 English with the 50-d GloVe of
    /// `notebooks/data/glove-en-sib200`: BoE with trained embeddings 61.3 % test accuracy without
    /// (seed 0), 63.2–64.7 % with (seeds 0–2)). A transfer
    /// (`replacingEmbeddings`) must give embeddings in the same normalisation.
    public var normalization: [EmbeddingSpace.Normalization] = [.unit]

    /// Defaults (see each property).
    public init() {}

    /// The epochs actually run: `epochs`, else 10 for the perceptron and 50 for the networks.
    public var resolvedEpochs: Int { epochs ?? (model == .perceptron ? 10 : 50) }

    /// The dropout actually used.
    public var resolvedDropout: Float { dropout ?? (model == .mlp ? 0.3 : 0) }

    /// The learning rate actually used.
    public var resolvedLearningRate: Float { learningRate ?? (optimizer == .adam ? 0.003 : Optimizer.defaultLearningRate(optimizer)) }
}
