/// The settings of a cross-lingual co-factorization (Shi et al. 2015); defaults follow §5.1
/// (d = 40, 50 iterations, x_max 30 monolingual / 100 cross-lingual, α = 3/4, constant
/// learning rate).
public struct CofactorOptions: Sendable, Equatable {
    /// How the sampled elements update the parameters.
    public enum Optimizer: String, Sendable, CaseIterable {
        /// Plain SGD at a constant learning rate: p −= η·∂L/∂p (the paper's §5.1 choice).
        case sgd
        /// AdaGrad as in glove.c: p −= η·g/√G, then G += g², with G starting at 1.
        case adaGrad
    }

    /// The factors of the CLC term for a bilingual count X^bi_jk (l1 word j, l2 word k).
    public enum CrossFactors: String, Sendable, CaseIterable {
        /// w^l1_j · w^l2_k (the wording of §4.1). The loss is then unchanged by W^l1 → W^l1·A,
        /// W^l2 → W^l2·A^−T (with C^l1 → C^l1·A^−T, C^l2 → C^l2·A) for any invertible A, so it
        /// does not put the two languages' word vectors in one basis.
        case words
        /// w^l1_j · c^l2_k and w^l2_k · c^l1_j (k is a context of j and j of k, as eq. 5 defines
        /// it and as one factorization of the concatenated vocabularies would have it): every
        /// symmetry of the loss moves W^l1 and W^l2 by the same A, so translations that share
        /// contexts get the same vectors. Two elements per non-zero count.
        case wordsWithContexts
    }

    /// The vector dimension d.
    public var dimension: Int
    /// Full passes over the shuffled elements of all three terms.
    public var iterations: Int
    /// x_max of f for the monolingual counts (eq. 3; 30 in §5.1).
    public var monolingualXMax: Double
    /// x_max of f for the bilingual counts of CLC (100 in §5.1).
    public var crossXMax: Double
    /// α of f (3/4).
    public var alpha: Double
    /// ω1, the weight of the first language's monolingual loss (eq. 1).
    public var firstWeight: Double
    /// ω2, the weight of the second language's monolingual loss.
    public var secondWeight: Double
    /// ω_c, the weight of the cross-lingual loss.
    public var crossWeight: Double
    /// The update rule. Default `.sgd`: the paper learns "at a constant learning rate".
    public var optimizer: Optimizer
    /// η. Default 0.025 for SGD. The paper gives no value. On Europarl en/de (7.4k/10.7k words,
    /// 3.6 M elements, CLSim, 2 threads) constant-rate SGD diverged at η = 0.1, converged at
    /// 0.05, 0.025, 0.01 and 0.002; after 15 iterations the loss per element was 0.032, 0.035,
    /// 0.051 and 0.085. With one thread plain SGD at 0.025 still diverged after 17–29 iterations
    /// on Europarl en–de/fr/es (issue 17), so SGD takes each element's implicit step
    /// (`CofactorStep`), which equals SGD to first order and cannot overshoot.
    /// With `.adaGrad`, 0.05 (glove.c's η) reached 0.039.
    public var learningRate: Double
    /// Which factors the CLC term (`.cooccurrence`) multiplies.
    public var crossFactors: CrossFactors
    /// Whether ω_c weighs the cross-lingual term relative to the monolingual ones by mass
    /// (`CofactorBalance`): the cross term's weights are scaled so that Σ f (CLC) or Σ sim
    /// (CLSim) equals the mean Σ f of the two monolingual terms before ω_c applies.
    public var balanceCross: Bool
    /// Hogwild worker threads (≥ 1).
    public var threads: Int
    /// The seed of the initial parameters and of the one shuffle of all elements.
    public var seed: UInt64

    /// Options with the paper's settings.
    public init(
        dimension: Int = 40, iterations: Int = 50, monolingualXMax: Double = 30, crossXMax: Double = 100,
        alpha: Double = 0.75, firstWeight: Double = 1, secondWeight: Double = 1, crossWeight: Double = 1,
        optimizer: Optimizer = .sgd, learningRate: Double = 0.025, crossFactors: CrossFactors = .wordsWithContexts,
        balanceCross: Bool = true, threads: Int = WorkerThreads.defaultThreads, seed: UInt64 = 1
    ) {
        self.dimension = dimension
        self.iterations = iterations
        self.monolingualXMax = monolingualXMax
        self.crossXMax = crossXMax
        self.alpha = alpha
        self.firstWeight = firstWeight
        self.secondWeight = secondWeight
        self.crossWeight = crossWeight
        self.optimizer = optimizer
        self.learningRate = learningRate
        self.crossFactors = crossFactors
        self.balanceCross = balanceCross
        self.threads = threads
        self.seed = seed
    }
}
