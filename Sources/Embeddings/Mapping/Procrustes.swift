/// Orthogonal Procrustes mapping (Xing et al. 2015; Smith et al. 2017; Artetxe et al. 2016):
///
///     W = argmin_{WᵀW = I} ‖X·W − Y‖_F = U·Vᵀ,  where U·Σ·Vᵀ = SVD(Xᵀ·Y)
///
/// Convention (row vectors, mapped as x·W): X is n×d_src (source vectors of the pairs, rows are
/// words), Y is n×d_tgt, M = XᵀY is d_src×d_tgt, W = U·Vᵀ is d_src×d_tgt. Papers that map
/// column vectors (W·x ≈ y) write SVD(YᵀX) = U′Σ′V′ᵀ and W′ = U′V′ᵀ; that W′ is the transpose
/// of this W, since SVD(YᵀX) = SVD((XᵀY)ᵀ) swaps U and V.
///
/// W is orthogonal when d_src = d_tgt (otherwise it has orthonormal rows or columns,
/// whichever are fewer). W does not depend on the SVD's sign choices. No centring or
/// normalisation is done here: normalise the spaces (e.g. unit, center, unit) beforehand.
public enum Procrustes {
    /// Fits the orthogonal W (d_src×d_tgt) minimising ‖XW − Y‖_F via `sgesdd` on XᵀY.
    ///
    /// - Parameters:
    ///   - x: n×d_src source vectors of the pairs.
    ///   - y: n×d_tgt target vectors of the same pairs.
    /// - Returns: a map without mean, `method = "procrustes"`, parameters `pairs`.
    /// - Throws: `ShapeError` for different row counts; `MappingError.emptyDictionary` for n = 0;
    ///   `LinearAlgebraError` from the SVD.
    public static func fit(x: Matrix, y: Matrix) throws -> LinearMap {
        try fitMapping(x: x, y: y).source
    }

    /// `fit(x:y:)` returning also the singular values of XᵀY (target map nil).
    public static func fitMapping(x: Matrix, y: Matrix) throws -> BilingualMapping {
        try requireAlignedPairs(x, y, method: "procrustes")
        let svd = try SVD(Matrix.product(x, y, transposeA: true))
        let w = try Matrix.product(svd.u, svd.vt)
        let map = try LinearMap(weights: w, method: "procrustes", parameters: ["pairs": "\(x.rows)"])
        return BilingualMapping(source: map, target: nil, singularValues: svd.singularValues)
    }

    /// `fit(x:y:)` on the dictionary rows of two spaces (see `trainingMatrices`).
    public static func fit(source: EmbeddingSpace, target: EmbeddingSpace, pairs: TrainingPairs) throws -> LinearMap {
        try fitMapping(source: source, target: target, pairs: pairs).source
    }

    /// `fitMapping(x:y:)` on the dictionary rows of two spaces (see `trainingMatrices`).
    public static func fitMapping(source: EmbeddingSpace, target: EmbeddingSpace, pairs: TrainingPairs) throws -> BilingualMapping {
        let (x, y) = try trainingMatrices(source: source, target: target, pairs: pairs)
        return try fitMapping(x: x, y: y)
    }

    /// The directions the pairs determine: the singular values of XᵀY above 10⁻⁶ of the largest (float32 rounding leaves the others near 10⁻⁸).
    ///
    /// W = UVᵀ is unique only when XᵀY has full rank d. With rank r < d (fewer pairs than
    /// dimensions, or pairs spanning fewer directions) the map on the other d − r directions is
    /// any orthogonal completion: which one the SVD returns is decided by floating-point rounding,
    /// so it can change between BLAS kernels and machines, and so can retrieval through it.
    public static func determinedDirections(singularValues: [Float]) -> Int {
        guard let top = singularValues.max(), top > 0 else { return 0 }
        return singularValues.filter { $0 > top * 1e-6 }.count
    }
}
