/// How the repulsive part of the t-SNE gradient is computed.
public enum TSNEMethod: String, Sendable, CaseIterable {
    /// `.exact` up to `TSNEOptions.exactLimit` points, `.barnesHut` up to
    /// `TSNEOptions.barnesHutLimit`, `.fft` above.
    case automatic
    /// All N(N−1) pairs every iteration: O(N²) time, no approximation.
    case exact
    /// A quadtree over the 2-d embedding, cells summarised when width / distance < θ
    /// (van der Maaten 2014, Barnes-Hut-SNE): O(N log N) per iteration.
    case barnesHut
    /// Polynomial interpolation on a regular grid with the kernel sums done as FFT
    /// convolutions (Linderman et al. 2019, FIt-SNE; `TSNEInterpolation`): O(N) per iteration
    /// plus FFTs whose size grows with the map's extent, not with N.
    case fft
}

/// How the k nearest neighbours behind P are found.
public enum TSNENeighborSearch: String, Sendable, CaseIterable {
    /// `.exact` up to `TSNEOptions.exactNeighborLimit` points, `.approximate` above.
    case automatic
    /// All pairs by GEMM blocks (`TSNENeighbors`): N² · d multiply-adds, no approximation.
    case exact
    /// Random-projection forest + neighbour-of-neighbour refinement (`TSNENeighborForest`);
    /// recall against the exact lists is measured in the tests and the benchmark.
    case approximate
}

/// The settings of one t-SNE run. Defaults follow openTSNE 1.0 (van der Maaten 2014 for the
/// optimiser): perplexity 30, 250 iterations with early exaggeration 12 and momentum 0.5, then
/// 500 with exaggeration 1 and momentum 0.8, gains (+0.2 / ×0.8 + 0.01), steps clipped to
/// norm 5, PCA initialisation, θ = 0.5. The momentum schedule is van der Maaten's (2014): openTSNE
/// 1.0.4 uses 0.8 in both phases and keeps the step across them, which reached an exact KL 1.4 %
/// higher at 20,000 and 0.6 % lower at 49,586 floret words in 2-3 % more CPU time (Tests/bench/README.md).
public struct TSNEOptions: Sendable, Equatable {
    /// The effective number of neighbours each point's Gaussian is tuned to (> 0). Points
    /// get their k = ⌊3·perplexity⌋ nearest neighbours; N must be > k.
    public var perplexity: Double = 30
    /// Total gradient-descent iterations, including the early-exaggeration ones.
    public var iterations: Int = 750
    /// How many of the first `iterations` use `earlyExaggeration` and `earlyMomentum`.
    public var earlyExaggerationIterations: Int = 250
    /// The momentum during early exaggeration (in [0, 1)).
    public var earlyMomentum: Double = 0.5
    /// The momentum after early exaggeration (in [0, 1)).
    public var finalMomentum: Double = 0.8
    /// Whether the momentum step is set to zero when early exaggeration ends (the gains are kept
    /// either way).
    public var resetsStepAfterExaggeration = true
    /// The factor P is multiplied by during early exaggeration (≥ 1).
    public var earlyExaggeration: Double = 12
    /// The gradient-descent step; nil = automatic, openTSNE 1.0.4's `learning_rate="auto"`:
    /// N / exaggeration in each phase (Belkina et al. 2019), i.e. N / 12 during early
    /// exaggeration and N afterwards (`resolvedLearningRate(count:exaggeration:)`). A set value
    /// is used in both phases. The step applies to ¼ of ∂KL/∂y (openTSNE's gradient scaling), so
    /// scikit-learn's equivalent is `learningRate / 4`.
    public var learningRate: Double? = nil
    /// Barnes-Hut accuracy: a cell is summarised when its width / distance < θ (0 = exact).
    public var theta: Double = 0.5
    /// Exact, Barnes-Hut or interpolation (FFT) repulsion.
    public var method: TSNEMethod = .automatic
    /// The grid of the FFT repulsion.
    public var interpolation = TSNEInterpolation()
    /// Exact or approximate nearest neighbours for P.
    public var neighbors: TSNENeighborSearch = .automatic
    /// The approximate search's settings (`neighbors == .approximate`, or automatic above
    /// `exactNeighborLimit`).
    public var forest = TSNENeighborForest()
    /// Worker threads for the affinities and the gradient (≥ 1). The same seed and thread
    /// count give bit-identical coordinates; different thread counts may differ in the last
    /// bits (sums are split differently).
    public var threads: Int = 1
    /// Starting positions.
    public var initialization: TSNEInitialization = .pca
    /// Seeds every random choice (only `.random` initialisation draws numbers).
    public var seed: UInt64 = 1
    /// The KL divergence is evaluated every `klEvery` iterations (and after the last); ≥ 1.
    public var klEvery: Int = 50

    /// `.automatic` uses the exact gradient up to this many points (inclusive).
    public static let exactLimit = 500
    /// `.automatic` uses Barnes-Hut up to this many points (inclusive), FFT above: the FFT
    /// run took more CPU time than Barnes-Hut at 5,000 floret points (8.3 s vs 7.0 s, one
    /// thread, `xling-bench tsne`) and less at 10,000 (12.8 s vs 15.0 s); see
    /// Tests/bench/README.md.
    public static let barnesHutLimit = 8_000

    /// `.automatic` finds the exact neighbours up to this many points (inclusive), approximate
    /// ones above; see Tests/bench/README.md for the measured times and recall.
    public static let exactNeighborLimit = 20_000

    /// The defaults above.
    public init() {}

    /// The neighbour search actually used for `count` points.
    public func resolvedNeighborSearch(count: Int) -> TSNENeighborSearch {
        switch neighbors {
        case .automatic: count <= TSNEOptions.exactNeighborLimit ? .exact : .approximate
        case .exact, .approximate: neighbors
        }
    }

    /// The method actually used for `count` points.
    public func resolvedMethod(count: Int) -> TSNEMethod {
        switch method {
        case .automatic:
            if count <= TSNEOptions.exactLimit { return .exact }
            return count <= TSNEOptions.barnesHutLimit ? .barnesHut : .fft
        case .exact, .barnesHut, .fft: return method
        }
    }

    /// The learning rate actually used for `count` points in a phase whose P is multiplied by
    /// `exaggeration`: the set `learningRate`, else N / exaggeration (openTSNE 1.0.4's rule,
    /// no floor).
    public func resolvedLearningRate(count: Int, exaggeration: Double = 1) -> Double {
        learningRate ?? Double(count) / exaggeration
    }

    /// The number of nearest neighbours each point's affinities are spread over: ⌊3·perplexity⌋.
    public var neighborCount: Int { Int((3 * perplexity).rounded(.down)) }
}
