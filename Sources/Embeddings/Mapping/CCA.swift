/// Canonical correlation analysis mapping (Faruqui & Dyer 2014, "Improving vector space word
/// representations using multilingual correlation"): both sides are centred, whitened and
/// rotated into a shared space where dictionary pairs are maximally correlated.
///
/// Formulation (row vectors; X: n×d_src, Y: n×d_tgt, row i = pair i):
///
///     μx, μy          column means (Double accumulation)
///     Xc = X − 1μxᵀ,  Yc = Y − 1μyᵀ
///     Cxx = XcᵀXc/n + ε·I     Cyy = YcᵀYc/n + ε·I     Cxy = XcᵀYc/n     (divisor n, ddof = 0)
///     Kx = Cxx^{-1/2},  Ky = Cyy^{-1/2}   (symmetric inverse square roots via `ssyevd`)
///     U·Σ·Vᵀ = SVD(Kx·Cxy·Ky)              (`sgesdd`, then `SVD.signNormalized()`)
///     Wx = Kx·U[:, :r],  Wy = Ky·V[:, :r]  r = dim ?? min(d_src, d_tgt)
///
/// The source map is x ↦ (x − μx)·Wx, the target map y ↦ (y − μy)·Wy. Σ holds the canonical
/// correlations (descending, in [0, 1]; slightly below the unregularised ones when ε > 0).
/// The regulariser ε is *absolute* (added to the covariance diagonal; default 1e-5, small
/// against the per-dimension variance ≈ 1/d of unit-length vectors) and keeps Cxx, Cyy
/// invertible when n ≤ d or the spaces are rank-deficient.
///
/// Whitening: the mapped training rows have covariance WxᵀCxxWx = I (exactly, for the
/// regularised Cxx; I − ε·WxᵀWx for the sample covariance).
///
/// Signs: the SVD is sign-normalised — in each column of U the entry of largest |.| is made
/// positive, V's column flipped with it — so Wx and Wy are deterministic up to rotations within
/// repeated canonical correlations. The numpy reference applies the same rule.
public enum CCA {
    /// The default absolute covariance regulariser ε.
    public static let defaultEpsilon: Float = 1e-5

    /// Fits the CCA maps.
    ///
    /// - Parameters:
    ///   - x: n×d_src source vectors of the pairs (rows are words).
    ///   - y: n×d_tgt target vectors of the same pairs.
    ///   - epsilon: ε ≥ 0 added to the diagonals of Cxx and Cyy. With ε = 0 a singular
    ///     covariance throws `LinearAlgebraError.notPositiveDefinite`.
    ///   - dim: the number r of canonical components to keep, 1…min(d_src, d_tgt); all when nil.
    /// - Returns: `source` (d_src×r, mean μx, `method = "cca-source"`), `target` (d_tgt×r,
    ///   mean μy, `method = "cca-target"`), `singularValues` = the r canonical correlations.
    /// - Throws: `ShapeError` for different row counts; `MappingError.emptyDictionary` for n = 0,
    ///   `.invalidParameter` for a negative/non-finite ε or a `dim` out of range;
    ///   `LinearAlgebraError` from LAPACK.
    public static func fit(x: Matrix, y: Matrix, epsilon: Float = defaultEpsilon, dim: Int? = nil) throws -> BilingualMapping {
        try requireAlignedPairs(x, y, method: "cca")
        guard epsilon.isFinite, epsilon >= 0 else {
            throw MappingError.invalidParameter(name: "epsilon", reason: "\(epsilon) is not a finite value ≥ 0")
        }
        let k = min(x.cols, y.cols)
        let r = dim ?? k
        guard r >= 1, r <= k else {
            throw MappingError.invalidParameter(
                name: "dim",
                reason: """
                    \(r) is outside 1...\(k) (min of the dimensions \(x.cols), \(y.cols))
                    """)
        }
        let n = Float(x.rows)
        let meanX = x.meanRow(), meanY = y.meanRow()
        let xc = try x.subtractingFromRows(meanX), yc = try y.subtractingFromRows(meanY)
        var cxx = try Matrix.product(xc, xc, transposeA: true, alpha: 1 / n)
        var cyy = try Matrix.product(yc, yc, transposeA: true, alpha: 1 / n)
        for i in 0..<cxx.rows { cxx[i, i] += epsilon }
        for i in 0..<cyy.rows { cyy[i, i] += epsilon }
        let cxy = try Matrix.product(xc, yc, transposeA: true, alpha: 1 / n)
        let kx = try SymmetricEigen(cxx).inverseSquareRoot()
        let ky = try SymmetricEigen(cyy).inverseSquareRoot()
        let t = try Matrix.product(Matrix.product(kx, cxy), ky)
        let svd = try SVD(t).signNormalized().truncated(to: r)
        let wx = try Matrix.product(kx, svd.u) // d_src×r
        let wy = try Matrix.product(ky, svd.vt, transposeB: true) // d_tgt×r
        let parameters = ["pairs": "\(x.rows)", "epsilon": "\(epsilon)", "dim": "\(r)"]
        return BilingualMapping(
            source: try LinearMap(weights: wx, sourceMean: meanX, method: "cca-source", parameters: parameters),
            target: try LinearMap(weights: wy, sourceMean: meanY, method: "cca-target", parameters: parameters),
            singularValues: svd.singularValues)
    }

    /// `fit(x:y:epsilon:dim:)` on the dictionary rows of two spaces (see `trainingMatrices`).
    public static func fit(
        source: EmbeddingSpace, target: EmbeddingSpace, pairs: TrainingPairs,
        epsilon: Float = defaultEpsilon, dim: Int? = nil
    ) throws -> BilingualMapping {
        let (x, y) = try trainingMatrices(source: source, target: target, pairs: pairs)
        return try fit(x: x, y: y, epsilon: epsilon, dim: dim)
    }
}
