/// The linear-projection baseline of Sakuma & Yoshinaga (2019), eq. 1–2 (Mikolov et al. 2013
/// applied across tasks): W minimising Σ_i ‖X_gen_i·W − X_spec_i‖² over the source words, then
/// Ŷ_spec = Y_gen·W for the target words (row vectors; the paper writes W·x for columns).
///
/// Shapes: `weights` W is d_g×d_t. Solved, never inverted: without ridge the minimum-norm
/// least-squares solution through the SVD (`LeastSquares.fit`, `sgesdd`); with ridge ρ > 0 the
/// normal equations (XᵀX + λ·I)·W = XᵀY by Cholesky (`sposv`) with λ = ρ·tr(XᵀX)/d_g (ρ is
/// relative to the mean squared column norm, so it does not depend on the vectors' scale).
public struct LinearProjection: Sendable, Equatable {
    /// W: d_g×d_t.
    public let weights: Matrix
    /// The relative ridge ρ used (0 = plain least squares).
    public let ridge: Double

    /// Fits W on the source words.
    ///
    /// - Parameters:
    ///   - generalSource: n_s×d_g general source vectors.
    ///   - specificSource: n_s×d_t task-specific source vectors, same row order.
    ///   - ridge: ρ ≥ 0 (see the type's summary); 0 by default.
    /// - Throws: `TransferError` for empty, misaligned or non-finite input or a bad ρ;
    ///   `LinearAlgebraError` when LAPACK fails.
    public static func fit(generalSource: Matrix, specificSource: Matrix, ridge: Double = 0) throws -> LinearProjection {
        try LocallyLinearMapping.validate(generalSource: generalSource, specificSource: specificSource)
        guard ridge.isFinite, ridge >= 0 else { throw TransferError.invalidRegularization(what: "ridge", value: ridge) }
        guard ridge > 0 else {
            let map = try LeastSquares.fit(x: generalSource, y: specificSource)
            return LinearProjection(weights: map.weights, ridge: 0)
        }
        var gram = try Matrix.product(generalSource, generalSource, transposeA: true) // d_g×d_g
        let rhs = try Matrix.product(generalSource, specificSource, transposeA: true) // d_g×d_t
        let d = gram.rows
        var trace = 0.0
        for i in 0..<d { trace += Double(gram[i, i]) }
        let lambda = Float(ridge * trace / Double(d))
        for i in 0..<d { gram[i, i] += lambda }
        return LinearProjection(weights: try LinearSolve.cholesky(gram, rhs), ridge: ridge)
    }

    /// A projection with given weights (d_g×d_t).
    public init(weights: Matrix, ridge: Double = 0) {
        self.weights = weights
        self.ridge = ridge
    }

    /// Ŷ_spec = Y_gen·W (eq. 2): n×d_g → n×d_t.
    /// - Throws: `TransferError.dimensionMismatch` when `general` does not have d_g columns.
    public func apply(_ general: Matrix) throws -> Matrix {
        guard general.cols == weights.rows else {
            throw TransferError.dimensionMismatch(source: weights.rows, target: general.cols)
        }
        return try Matrix.product(general, weights)
    }
}
