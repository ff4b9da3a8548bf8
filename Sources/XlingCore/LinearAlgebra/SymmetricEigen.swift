import COpenBLAS

/// The eigendecomposition A = V · diag(λ) · Vᵀ of a real symmetric n×n fp32 matrix, computed by
/// LAPACK's divide-and-conquer `ssyevd` (through `LAPACKE_ssyevd`, `LAPACK_ROW_MAJOR`,
/// `jobz = 'V'`, `uplo = 'U'`: only the upper triangle of the row-major input is read, so the
/// input is *assumed* symmetric and its lower triangle is ignored).
///
/// Shapes: `eigenvalues` has length n in ascending order; `eigenvectors` is n×n with the
/// orthonormal eigenvector for `eigenvalues[j]` in column j.
/// Accuracy: eigenvalues to about ‖A‖·1e-6 absolute (fp32).
public struct SymmetricEigen: Sendable, Equatable {
    /// λ₁ ≤ λ₂ ≤ … ≤ λₙ.
    public var eigenvalues: [Float]
    /// n×n; column j is the unit eigenvector of `eigenvalues[j]`.
    public var eigenvectors: Matrix

    /// Decomposes the symmetric matrix `a` (n×n).
    ///
    /// Throws `ShapeError` (with the shape) when `a` is not square,
    /// `LinearAlgebraError.nonFiniteInput` for NaN/∞ and `.didNotConverge` when `ssyevd`
    /// reports `info > 0`.
    public init(_ a: Matrix) throws {
        guard a.isSquare else { throw ShapeError("eigendecomposition needs a square matrix, got \(a.shapeDescription)") }
        let n = a.rows
        eigenvalues = []
        eigenvectors = Matrix(rows: n, cols: n)
        guard n > 0 else { return }
        try LAPACKSupport.requireFinite(a, "ssyevd")
        var work = a.storage // overwritten with the eigenvectors (row-major, column j = vector j)
        var w = [Float](repeating: 0, count: n)
        let info = work.withUnsafeMutableBufferPointer { pa in
            w.withUnsafeMutableBufferPointer { pw in
                LAPACKE_ssyevd(
                    LAPACKSupport.rowMajor, LAPACKSupport.char("V"), LAPACKSupport.char("U"),
                    Int32(n), pa.baseAddress, Int32(n), pw.baseAddress)
            }
        }
        try LAPACKSupport.checkArguments(info, "ssyevd")
        if info > 0 { throw LinearAlgebraError.didNotConverge(routine: "ssyevd", info: Int(info)) }
        eigenvalues = w
        eigenvectors.storage = work
    }

    /// V · diag(f(λ)) · Vᵀ (n×n): a function applied to the spectrum.
    public func applying(_ f: (Float) -> Float) -> Matrix {
        do {
            return try Matrix.product(eigenvectors.scalingColumns(by: eigenvalues.map(f)), eigenvectors, transposeB: true)
        } catch {
            preconditionFailure("V (n×n) and λ (n) of one decomposition always fit: \(error)")
        }
    }

    /// V · diag(λ) · Vᵀ, the matrix this decomposes (up to rounding).
    public func reconstructed() -> Matrix { applying { $0 } }

    /// A^{-1/2} = V · diag(λ^{-1/2}) · Vᵀ, the symmetric inverse square root (the whitening
    /// matrix of a covariance A).
    ///
    /// Requires every eigenvalue > `tolerance · max(|λ|)` (default: fp32 machine epsilon ·
    /// n); otherwise throws `LinearAlgebraError.notPositiveDefinite` naming the smallest
    /// eigenvalue. Regularise first (A + ε·I) for rank-deficient covariances.
    public func inverseSquareRoot(tolerance: Float? = nil) throws(LinearAlgebraError) -> Matrix {
        let n = eigenvalues.count
        let largest = eigenvalues.map { abs($0) }.max() ?? 0
        let floor = (tolerance ?? Float.ulpOfOne * Float(max(1, n))) * largest
        if let smallest = eigenvalues.first, smallest <= floor || smallest <= 0 {
            throw .notPositiveDefinite(
                routine: "ssyevd", order: 1,
                detail: "smallest eigenvalue \(smallest) ≤ \(floor) (largest \(largest))")
        }
        return applying { 1 / $0.squareRoot() }
    }
}
