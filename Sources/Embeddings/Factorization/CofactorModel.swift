/// The result of a co-factorization (Shi et al. 2015): the joint space W^l1, W^l2, plus the
/// contexts and biases of every term, and the per-iteration losses.
///
/// Shapes: `firstWords`, `firstContexts` are n1 × d; `secondWords`, `secondContexts` are
/// n2 × d; bias arrays have n1 or n2 entries (the cross biases are 0 unless the cross term is
/// `.cooccurrence`). Row i is vocabulary id i of that language's monolingual matrix.
public struct CofactorModel: Sendable {
    /// W^l1: the first language's word vectors, in the shared space.
    public let firstWords: Matrix
    /// W^l2: the second language's word vectors, in the shared space.
    public let secondWords: Matrix
    /// C^l1.
    public let firstContexts: Matrix
    /// C^l2.
    public let secondContexts: Matrix
    /// b^l1_wj (eq. 2), n1 entries.
    public let firstWordBiases: [Float]
    /// b^l1_ck, n1 entries.
    public let firstContextBiases: [Float]
    /// b^l2_wj, n2 entries.
    public let secondWordBiases: [Float]
    /// b^l2_ck, n2 entries.
    public let secondContextBiases: [Float]
    /// The CLC term's l1 word biases, n1 entries.
    public let firstCrossBiases: [Float]
    /// The CLC term's l2 word biases, n2 entries.
    public let secondCrossBiases: [Float]
    /// The CLC term's l1 context biases (`.wordsWithContexts`), n1 entries.
    public let firstContextCrossBiases: [Float]
    /// The CLC term's l2 context biases (`.wordsWithContexts`), n2 entries.
    public let secondContextCrossBiases: [Float]
    /// The matrix biases b^l1, b^l2 and b^× (eq. 2).
    public let matrixBiases: (first: Float, second: Float, cross: Float)
    /// The options of the run.
    public let options: CofactorOptions
    /// How the cross-lingual term was weighed against the monolingual ones.
    public let balance: CofactorBalance
    /// The total loss (eq. 1 per record) of every iteration; `history.stopped` when the
    /// progress callback stopped the run.
    public let history: TrainingHistory
    /// The per-term losses of every iteration (`terms[i].total == history.losses[i]`).
    public let terms: [CofactorLosses]

    /// True when training stopped early (through the progress callback).
    public var stopped: Bool { history.stopped }
}
