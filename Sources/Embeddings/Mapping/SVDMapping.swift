/// The SVD mapping of Smith et al. 2017 ("Offline bilingual word vectors, orthogonal
/// transformations and the inverted softmax"): both languages are rotated into a shared space
/// by orthogonal maps obtained from one SVD, optionally keeping only the strongest components.
///
/// Formulation (row vectors; X: n×d_src, Y: n×d_tgt, row i = dictionary pair i):
///
///     X̂, Ŷ = X, Y with rows scaled to unit length (when `normalizeRows`, the default)
///     U·Σ·Vᵀ = SVD(X̂ᵀ·Ŷ)         (d_src×d_tgt, `sgesdd`, then `SVD.signNormalized()`)
///     source map  x ↦ x·U[:, :r]     (d_src×r)
///     target map  y ↦ y·V[:, :r]     (d_tgt×r)
///
/// Without reduction (r = min(d_src, d_tgt), and d_src = d_tgt) both maps are orthogonal and
/// x·U·(y·V)ᵀ = x·(U·Vᵀ)·yᵀ: the same similarities as Procrustes (W = UVᵀ), with the target
/// rotated too. (Smith et al. write column vectors, Uᵀx and Vᵀy; this is its transpose.)
///
/// Reduction: `dim` keeps the first `dim` components; `threshold` keeps the components with
/// σᵢ ≥ threshold (singular values of X̂ᵀŶ, which grow with the number of pairs n); with both,
/// the smaller count. The maps only rotate (no mean, no normalisation on apply): normalise the
/// spaces themselves the same way before applying them.
///
/// Signs: the SVD is sign-normalised (the largest-|.| entry of each U column made positive, V's
/// column flipped with it), as in the numpy reference.
public enum SVDMapping {
    /// Fits the two maps.
    ///
    /// - Parameters:
    ///   - x: n×d_src source vectors of the pairs.
    ///   - y: n×d_tgt target vectors of the same pairs.
    ///   - dim: keep the first `dim` components, 1…min(d_src, d_tgt).
    ///   - threshold: keep the components with singular value ≥ `threshold` (finite, ≥ 0).
    ///   - normalizeRows: scale the rows of X and Y to unit length before XᵀY (default true).
    /// - Returns: `source` (d_src×r, `method = "svd-source"`), `target` (d_tgt×r,
    ///   `method = "svd-target"`), `singularValues` = the r kept singular values.
    /// - Throws: `ShapeError` for different row counts; `MappingError.emptyDictionary` for n = 0,
    ///   `.invalidParameter` for `dim` out of range, a bad threshold, or a threshold that keeps
    ///   no component; `LinearAlgebraError` from the SVD.
    public static func fit(
        x: Matrix, y: Matrix, dim: Int? = nil, threshold: Float? = nil,
        normalizeRows: Bool = true
    ) throws -> BilingualMapping {
        try requireAlignedPairs(x, y, method: "svd-mapping")
        let k = min(x.cols, y.cols)
        if let dim, dim < 1 || dim > k {
            throw MappingError.invalidParameter(
                name: "dim",
                reason: """
                    \(dim) is outside 1...\(k) (min of the dimensions \(x.cols), \(y.cols))
                    """)
        }
        if let threshold, !(threshold.isFinite && threshold >= 0) {
            throw MappingError.invalidParameter(name: "threshold", reason: "\(threshold) is not a finite value ≥ 0")
        }
        let xs = normalizeRows ? x.normalizedRows() : x
        let ys = normalizeRows ? y.normalizedRows() : y
        let full = try SVD(Matrix.product(xs, ys, transposeA: true)).signNormalized()
        var r = k
        if let threshold { r = full.count(atLeast: threshold) }
        if let dim { r = min(r, dim) }
        guard r >= 1 else {
            throw MappingError.invalidParameter(
                name: "threshold",
                reason: """
                    no singular value is ≥ \(threshold ?? 0) (largest \(full.singularValues.first ?? 0))
                    """)
        }
        let svd = full.truncated(to: r)
        var parameters = ["pairs": "\(x.rows)", "dim": "\(r)", "normalizeRows": "\(normalizeRows)"]
        if let threshold { parameters["threshold"] = "\(threshold)" }
        return BilingualMapping(
            source: try LinearMap(weights: svd.u, method: "svd-source", parameters: parameters),
            target: try LinearMap(weights: svd.v, method: "svd-target", parameters: parameters),
            singularValues: svd.singularValues)
    }

    /// `fit(x:y:dim:threshold:normalizeRows:)` on the dictionary rows of two spaces.
    public static func fit(
        source: EmbeddingSpace, target: EmbeddingSpace, pairs: TrainingPairs,
        dim: Int? = nil, threshold: Float? = nil, normalizeRows: Bool = true
    ) throws -> BilingualMapping {
        let (x, y) = try trainingMatrices(source: source, target: target, pairs: pairs)
        return try fit(x: x, y: y, dim: dim, threshold: threshold, normalizeRows: normalizeRows)
    }
}
