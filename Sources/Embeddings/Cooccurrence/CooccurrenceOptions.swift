/// How co-occurrences are counted and how much memory and how many threads the counting may
/// use. The defaults are the co-factorization paper's (Shi et al. 2015 §5.1: a symmetric
/// window of 10 words, a pair d words apart adds 1/d, as in GloVe) on one thread with 1 GiB.
public struct CooccurrenceOptions: Sendable, Equatable {
    /// The largest supported `window` (a record keeps the distance in 8 bits).
    public static let maximumWindow = 255

    /// Context words on each side of a word (monolingual counts), in `1...maximumWindow`.
    public var window: Int
    /// Whether a pair `d` in-vocabulary words apart adds `1/d` (GloVe's and the paper's
    /// weighting) rather than 1.
    public var distanceWeighting: Bool
    /// Whether both orders of a pair are counted (X symmetric); without it only
    /// X[earlier word, later word] is counted, the orientation of GloVe's `cooccur -symmetric 0`.
    public var symmetric: Bool
    /// Bytes the counting accumulators may use in total over all threads (the returned
    /// matrix, 16 bytes per entry, comes on top). Smaller limits mean more shards (one pass
    /// over the corpus each), not different numbers.
    public var memoryLimit: Int
    /// Worker threads (≥ 1); shards of rows are dealt to them. The result does not depend on it.
    public var threads: Int

    /// Options with the paper's defaults.
    public init(
        window: Int = 10, distanceWeighting: Bool = true, symmetric: Bool = true,
        memoryLimit: Int = 1 << 30, threads: Int = 1
    ) {
        self.window = window
        self.distanceWeighting = distanceWeighting
        self.symmetric = symmetric
        self.memoryLimit = memoryLimit
        self.threads = threads
    }
}
