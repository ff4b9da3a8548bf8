/// Locally linear mapping (Sakuma & Yoshinaga 2019, §3.2): task-specific vectors for target
/// words from general cross-lingual vectors.
///
/// For each target word y (a row of `generalTarget`): its k nearest source words by cosine in
/// the general space (ties → lower source index, as `NeighborSearch`), the reconstruction
/// weights α of y from those neighbours' general vectors (eq. 3–5, regularised, see
/// `ReconstructionWeights`), and the task-specific vector Σ_j α_j X_spec_j (eq. 6).
///
/// Shapes: generalSource X_gen n_s×d_g, specificSource X_spec n_s×d_t (row i = the same source
/// word), generalTarget Y_gen n_t×d_g; the result is n_t×d_t. The general vectors are used as
/// given for the reconstruction (normalise them first if the paper's unit vectors are wanted);
/// only the neighbour search uses unit-normalised copies.
///
/// Invariants: Σ_j α_ij = 1 for every target word; y in the affine span of its neighbours is
/// reconstructed exactly up to the O(δ) regularisation bias; a neighbour identical to y yields
/// that neighbour's task vector; no NaN/∞ for finite input with δ > 0 (k > d_g and duplicate
/// neighbours included). Deterministic: the same inputs give the same numbers for any `threads`.
public struct LocallyLinearMapping: Sendable {
    /// k, δ, threads.
    public var options: LocallyLinearMappingOptions

    /// A mapping with the given options.
    public init(options: LocallyLinearMappingOptions = LocallyLinearMappingOptions()) {
        self.options = options
    }

    /// Maps every target word into the task-specific space.
    ///
    /// - Parameters:
    ///   - generalSource: n_s×d_g general source vectors.
    ///   - specificSource: n_s×d_t task-specific source vectors, same row order.
    ///   - generalTarget: n_t×d_g general target vectors.
    ///   - diagnostics: whether to keep every word's neighbours, cosines and α.
    /// - Throws: `TransferError` (k ≤ 0 or k > n_s, empty sides, mismatched dimensions or row
    ///   counts, non-finite values, a bad δ).
    public func map(
        generalSource: Matrix, specificSource: Matrix, generalTarget: Matrix,
        diagnostics: Bool = false
    ) throws -> LocallyLinearMappingResult {
        try Self.validate(generalSource: generalSource, specificSource: specificSource)
        try TransferError.requireNonEmpty(generalTarget, "the general target matrix")
        guard generalSource.cols == generalTarget.cols else {
            throw TransferError.dimensionMismatch(source: generalSource.cols, target: generalTarget.cols)
        }
        try TransferError.requireFinite(generalTarget, "the general target matrix")
        try options.validate(available: generalSource.rows)
        let k = options.k
        let search = NeighborSearch(threads: options.threads)
        let found = try search.search(
            queries: NeighborSearch.unitNormalized(generalTarget),
            target: NeighborSearch.unitNormalized(generalSource), k: k, method: .nn)
        // NeighborSearch pads a list with −1 only for NaN similarities, which finite input rules out.
        if let bad = found.indices.firstIndex(where: { $0 < 0 }) {
            throw TransferError.nonFinite(what: "the cosine similarities of the general target matrix", row: bad / k)
        }
        let (specific, weights, exact) = try ReconstructionWeights.reconstruct(
            queries: generalTarget, neighbors: found.indices, k: k, generalSource: generalSource,
            specificSource: specificSource, regularization: options.regularization, threads: options.threads,
            keepWeights: diagnostics)
        let details =
            diagnostics
            ? TransferDiagnostics(k: k, neighbors: found.indices, cosines: found.scores, weights: weights) : nil
        return LocallyLinearMappingResult(specificTarget: specific, k: k, exactMatches: exact, diagnostics: details)
    }

    /// Shared checks of the source side: non-empty, aligned rows, finite values.
    static func validate(generalSource: Matrix, specificSource: Matrix) throws {
        try TransferError.requireNonEmpty(generalSource, "the general source matrix")
        try TransferError.requireNonEmpty(specificSource, "the task-specific source matrix")
        guard generalSource.rows == specificSource.rows else {
            throw TransferError.rowCountMismatch(general: generalSource.rows, specific: specificSource.rows)
        }
        try TransferError.requireFinite(generalSource, "the general source matrix")
        try TransferError.requireFinite(specificSource, "the task-specific source matrix")
    }
}

/// What `LocallyLinearMapping.map` produced.
public struct LocallyLinearMappingResult: Sendable {
    /// Ŷ_spec: n_t×d_t task-specific target vectors (eq. 6), rows in target order.
    public var specificTarget: Matrix
    /// The k used.
    public var k: Int
    /// How many target words were identical to a neighbour (and got its task vector).
    public var exactMatches: Int
    /// Neighbours, cosines and α per target word, when asked for.
    public var diagnostics: TransferDiagnostics?
}
