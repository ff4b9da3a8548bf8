/// Settings of `LocallyLinearMapping` (Sakuma & Yoshinaga 2019, §3.2) and of
/// `NeighborhoodTuning`.
public struct LocallyLinearMappingOptions: Sendable, Equatable {
    /// Neighbours per target word (k ≥ 1, at most the number of source words). The paper tunes
    /// it on the source dev set (small k for topic classification, larger for sentiment).
    public var k: Int
    /// δ ≥ 0: the local Gram matrix C (k×k) is solved as C + δ·tr(C)/k·I (Roweis & Saul's
    /// trace-scaled conditioner; scikit-learn's `barycenter_weights` adds δ·tr(C) without the 1/k).
    ///
    /// Why 1e-3: C has rank ≤ min(k, dim) and is exactly singular for duplicate neighbours or
    /// k > dim, where the unregularised C⁻¹ of the paper is undefined (NaN). δ·tr(C)/k is δ times
    /// the mean squared distance to a neighbour, so it is scale-free; 1e-3 bounds the condition
    /// number of the system by about k/δ + 1 (≈ 10⁴ for k = 10, well inside the precision of
    /// the solve), while for a well-conditioned C it moves α only by O(δ) and keeps
    /// Σα = 1 exactly. δ = 0 is the paper's unregularised formula (fails on singular C).
    public var regularization: Double
    /// Worker threads for the neighbour search and the per-word solves (≥ 1; default: online
    /// CPUs). Results do not depend on it.
    public var threads: Int

    /// The default δ (see `regularization`).
    public static let defaultRegularization = 1e-3

    /// Options with the given k, δ and thread count (nil = online CPUs; values below 1 become 1).
    public init(
        k: Int = 3, regularization: Double = LocallyLinearMappingOptions.defaultRegularization,
        threads: Int? = nil
    ) {
        self.k = k
        self.regularization = regularization
        self.threads = Swift.max(1, threads ?? WorkerThreads.defaultThreads)
    }

    /// Checks k against `available` neighbours and δ; throws `TransferError`.
    func validate(available: Int, leaveSelfOut: Bool = false) throws(TransferError) {
        try Self.validate(k: k, available: available, leaveSelfOut: leaveSelfOut)
        guard regularization.isFinite, regularization >= 0 else {
            throw .invalidRegularization(what: "regularization", value: regularization)
        }
    }

    static func validate(k: Int, available: Int, leaveSelfOut: Bool) throws(TransferError) {
        guard k >= 1 else { throw .nonPositiveK(k) }
        guard k <= available else { throw .kExceedsSource(k: k, available: available, leaveSelfOut: leaveSelfOut) }
    }
}
