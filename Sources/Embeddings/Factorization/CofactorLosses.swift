/// The loss of one iteration of the co-factorization, per term of Shi et al. 2015 eq. 1.
///
/// Each term is the sum of its weighted squared errors over the pass (eq. 2 for the
/// monolingual terms and CLC, eq. 7 for CLSim, each multiplied by its ω), divided by the number
/// of records of *all* terms, so `total = first + second + cross` is eq. 1 per record (the
/// same normalisation as glove.c's reported cost, without glove.c's ½).
public struct CofactorLosses: Sendable, Equatable {
    /// ω1 · L_mono(W^l1, C^l1) / records.
    public var first: Double
    /// ω2 · L_mono(W^l2, C^l2) / records.
    public var second: Double
    /// ω_c · L_cross / records.
    public var cross: Double

    /// Creates a breakdown.
    public init(first: Double, second: Double, cross: Double) {
        self.first = first
        self.second = second
        self.cross = cross
    }

    /// eq. 1 per record.
    public var total: Double { first + second + cross }
}
