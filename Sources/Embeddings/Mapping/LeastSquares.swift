/// Least-squares linear mapping (Mikolov et al. 2013, "Exploiting similarities among
/// languages for machine translation"), for row vectors:
///
///     W = argmin_W ‖X·W − Y‖_F        (X: n×d_src source vectors, Y: n×d_tgt target vectors,
///                                      row i of X and Y = dictionary pair i; W: d_src×d_tgt)
///
/// whose closed form for a full-column-rank X is W = (XᵀX)⁻¹XᵀY. (The overview paper writes the
/// column-vector form W·X ≈ Y, W = YXᵀ(XXᵀ)⁻¹: the transpose of this.)
public enum LeastSquares {
    /// How the least-squares problem is solved.
    public enum Solver: String, Sendable, CaseIterable {
        /// The minimum-norm solution through the SVD pseudo-inverse of X (`sgesdd`):
        /// X = U·S·Vᵀ, W = V·S⁺·UᵀY, where singular values σᵢ ≤ rcond·σ₁ are treated as 0
        /// with rcond = ε_fp32 · max(n, d_src) (ε_fp32 = 2⁻²³) — numpy's `lstsq` default rule
        /// with fp32's epsilon. Accurate to cond(X)·ε; the default.
        case pseudoInverse = "svd"
        /// The normal equations (XᵀX)·W = XᵀY by Cholesky (`sposv`). Accurate to cond(X)²·ε.
        /// Only when the Cholesky factorisation fails or its condition estimate is below ε_fp32
        /// is a ridge λ·I added, λ = 1e-5 · trace(XᵀX)/d_src (recorded as `ridge` in the map's
        /// parameters; "0" when not needed).
        case normalEquations = "cholesky"
    }

    /// The relative ridge used by `.normalEquations` only when needed: λ = 1e-5 · mean diagonal of XᵀX.
    public static let fallbackRidge: Float = 1e-5

    /// Fits W (d_src×d_tgt) minimising ‖XW − Y‖_F.
    ///
    /// - Parameters:
    ///   - x: n×d_src, source vectors of the pairs (rows are words).
    ///   - y: n×d_tgt, target vectors of the same pairs.
    ///   - solver: see `Solver`; `.pseudoInverse` by default.
    /// - Returns: a map without mean, `method = "least-squares"`, parameters `pairs`, `solver`,
    ///   `rank` (kept singular values, for `.pseudoInverse`) or `ridge` (for `.normalEquations`).
    /// - Throws: `ShapeError` when X and Y have different row counts; `MappingError.emptyDictionary`
    ///   for n = 0; `LinearAlgebraError` from LAPACK (non-finite input, no convergence).
    public static func fit(x: Matrix, y: Matrix, solver: Solver = .pseudoInverse) throws -> LinearMap {
        try requireAlignedPairs(x, y, method: "least-squares")
        var parameters = ["pairs": "\(x.rows)", "solver": solver.rawValue]
        let w: Matrix
        switch solver {
        case .pseudoInverse:
            let svd = try SVD(x)
            let rcond = Float.ulpOfOne * Float(max(x.rows, x.cols))
            let cutoff = rcond * (svd.singularValues.first ?? 0)
            let inverted = svd.singularValues.map { $0 > cutoff ? 1 / $0 : 0 }
            let uty = try Matrix.product(svd.u, y, transposeA: true).scalingRows(by: inverted) // k×d_tgt
            w = try Matrix.product(svd.vt, uty, transposeA: true) // d_src×d_tgt
            parameters["rank"] = "\(inverted.filter { $0 != 0 }.count)"
            parameters["rcond"] = "\(rcond)"
        case .normalEquations:
            let gram = try Matrix.product(x, x, transposeA: true)
            let rhs = try Matrix.product(x, y, transposeA: true)
            do {
                w = try LinearSolve.cholesky(gram, rhs)
                parameters["ridge"] = "0"
            } catch let error as LinearAlgebraError {
                switch error {
                case .singular, .notPositiveDefinite:
                    let d = gram.rows
                    var trace: Double = 0
                    for i in 0..<d { trace += Double(gram[i, i]) }
                    let lambda = fallbackRidge * Float(trace / Double(max(1, d)))
                    var ridged = gram
                    for i in 0..<d { ridged[i, i] += lambda }
                    w = try LinearSolve.cholesky(ridged, rhs)
                    parameters["ridge"] = "\(lambda)"
                default:
                    throw error
                }
            }
        }
        return try LinearMap(weights: w, method: "least-squares", parameters: parameters)
    }

    /// `fit(x:y:solver:)` on the dictionary rows of two spaces (see `trainingMatrices`).
    public static func fit(
        source: EmbeddingSpace, target: EmbeddingSpace, pairs: TrainingPairs,
        solver: Solver = .pseudoInverse
    ) throws -> LinearMap {
        let (x, y) = try trainingMatrices(source: source, target: target, pairs: pairs)
        return try fit(x: x, y: y, solver: solver)
    }
}
