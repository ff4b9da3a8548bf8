/// The settings of a GloVe run (Pennington et al. 2014), named and defaulted as glove.c's
/// command-line options, except `threads` (this machine's CPUs), `schedule` and the seed.
public struct GloVeOptions: Sendable, Equatable {
    /// How threads share a pass over the shuffled records.
    public enum Schedule: String, Sendable, CaseIterable {
        /// glove.c's: thread t takes the t-th contiguous chunk of the shuffled records and
        /// updates rows without locks (Hogwild); threads collide on frequent words' rows.
        case hogwild
        /// Conflict-free blocks (`StratifiedSchedule`): T sub-passes in which the threads work
        /// on disjoint word and context rows; deterministic for a given seed and thread count.
        case stratified
    }

    /// The vector dimension d (glove.c `-vector-size`, 50).
    public var dimension: Int
    /// Full passes over the shuffled records (glove.c `-iter`, 25).
    public var iterations: Int
    /// x_max of the weighting f(x) = min(1, (x/x_max)^α) (glove.c `-x-max`, 100).
    public var xMax: Double
    /// α of the weighting (glove.c `-alpha`, 0.75).
    public var alpha: Double
    /// η, AdaGrad's initial step size (glove.c `-eta`, 0.05).
    public var learningRate: Double
    /// The bound on each component of a vector gradient (glove.c `-grad-clip`, 100).
    public var gradientClip: Double
    /// False (default, glove.c): bias steps are fdiff/√G without η; true: η·fdiff/√G (the
    /// proposal of stanfordnlp/GloVe#209). See `GloVeStep`.
    public var biasUsesLearningRate: Bool
    /// Worker threads (≥ 1). With 1 thread both schedules are glove.c's sequential pass.
    public var threads: Int
    /// How the threads split a pass. Default `.hogwild` (glove.c's). Both reached ≈1.9–2.0×
    /// one thread with 2 threads on Europarl en (1.63 M records, 40-d) in a quiet run;
    /// `.stratified` also makes multi-threaded runs reproducible. With one thread both are
    /// glove.c's sequential pass.
    public var schedule: Schedule
    /// The seed of the initial parameters and of the one shuffle of the records.
    public var seed: UInt64

    /// Options with glove.c's defaults.
    public init(
        dimension: Int = 50, iterations: Int = 25, xMax: Double = 100, alpha: Double = 0.75,
        learningRate: Double = 0.05, gradientClip: Double = 100, biasUsesLearningRate: Bool = false,
        threads: Int = WorkerThreads.defaultThreads, schedule: Schedule = .hogwild, seed: UInt64 = 1
    ) {
        self.dimension = dimension
        self.iterations = iterations
        self.xMax = xMax
        self.alpha = alpha
        self.learningRate = learningRate
        self.gradientClip = gradientClip
        self.biasUsesLearningRate = biasUsesLearningRate
        self.threads = threads
        self.schedule = schedule
        self.seed = seed
    }
}
