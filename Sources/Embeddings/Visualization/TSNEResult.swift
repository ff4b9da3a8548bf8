/// One evaluated point of the KL curve.
public struct TSNEKLSample: Sendable, Equatable {
    /// Iterations completed when KL was evaluated.
    public let iteration: Int
    /// KL(P‖Q) in nats.
    public let kl: Double
}

/// The outcome of `TSNE.embed`: the 2-d coordinates and the optimisation record.
public struct TSNEResult: Sendable {
    /// N × 2 coordinates, row i for input row i (centred at the origin).
    public var coordinates: Matrix
    /// KL(P‖Q) every `klEvery` iterations and at the end, in iteration order.
    public var klHistory: [TSNEKLSample]
    /// KL(P‖Q) of `coordinates` (Barnes-Hut estimate of the normaliser Z for `.barnesHut`,
    /// exact for `.exact`).
    public var finalKL: Double
    /// Iterations actually run (< `iterations` when stopped).
    public var completedIterations: Int
    /// Whether the progress handler stopped the run (coordinates are then the partial ones).
    public var stopped: Bool
    /// The method that computed the gradient.
    public var method: TSNEMethod
    /// How the neighbours behind P were found.
    public var neighborSearch: TSNENeighborSearch
    /// The learning rate of the iterations after early exaggeration (N for the automatic rule).
    public var learningRate: Double
    /// The learning rate of the early-exaggeration iterations (N / exaggeration for the
    /// automatic rule; `learningRate` when set by hand).
    public var earlyLearningRate: Double
    /// Seconds spent on the nearest neighbours and perplexity calibration.
    public var affinitySeconds: Double
    /// Seconds spent on gradient descent.
    public var optimizationSeconds: Double
}
