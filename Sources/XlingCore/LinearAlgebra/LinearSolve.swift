import COpenBLAS

/// Solves square linear systems A·X = B (A: n×n, B: n×r, X: n×r; all row-major fp32).
///
/// Both solvers check the result's trustworthiness: besides LAPACK's own exact failures, a
/// reciprocal condition number estimate (`spocon` / `sgecon`, 1-norm) below `rcondTolerance`
/// (default fp32 machine epsilon ≈ 1.19e-7) is reported as `LinearAlgebraError.singular`, since
/// an fp32 solution would then have no correct digits. Pass `rcondTolerance: 0` to skip it.
public enum LinearSolve {
    /// The default reciprocal-condition tolerance: fp32 machine epsilon, 2⁻²³ ≈ 1.19e-7.
    public static let defaultRcondTolerance: Float = Float.ulpOfOne

    /// X = A⁻¹B for a symmetric positive definite A, by Cholesky factorisation
    /// (`LAPACKE_sposv`, `LAPACK_ROW_MAJOR`, `uplo = 'L'`: only the lower triangle of A is read).
    ///
    /// - Parameters:
    ///   - a: n×n, symmetric positive definite (e.g. XᵀX for a full-column-rank X).
    ///   - b: n×r right-hand sides.
    /// - Throws: `ShapeError` when A is not square or B has a different row count (both shapes
    ///   named); `LinearAlgebraError.notPositiveDefinite(order: i)` when the leading i×i minor is
    ///   not positive definite; `.singular` when the condition estimate is below the tolerance;
    ///   `.nonFiniteInput` for NaN/∞.
    public static func cholesky(_ a: Matrix, _ b: Matrix, rcondTolerance: Float = LinearSolve.defaultRcondTolerance) throws -> Matrix {
        try checkShapes(a, b, "Cholesky solve")
        let n = a.rows, r = b.cols
        guard n > 0, r > 0 else { return Matrix(rows: n, cols: r) }
        try LAPACKSupport.requireFinite(a, "sposv")
        try LAPACKSupport.requireFinite(b, "sposv")
        let anorm = oneNorm(a)
        var factor = a.storage
        var x = b.storage
        let lower = LAPACKSupport.char("L")
        let info = factor.withUnsafeMutableBufferPointer { pa in
            x.withUnsafeMutableBufferPointer { pb in
                LAPACKE_sposv(
                    LAPACKSupport.rowMajor, lower, Int32(n), Int32(r),
                    pa.baseAddress, Int32(n), pb.baseAddress, Int32(r))
            }
        }
        try LAPACKSupport.checkArguments(info, "sposv")
        if info > 0 {
            throw LinearAlgebraError.notPositiveDefinite(
                routine: "sposv", order: Int(info),
                detail: "the leading minor of order \(info) is not positive")
        }
        if rcondTolerance > 0 {
            var rcond: Float = 0
            let cinfo = factor.withUnsafeMutableBufferPointer { pa in
                LAPACKE_spocon(LAPACKSupport.rowMajor, lower, Int32(n), pa.baseAddress, Int32(n), anorm, &rcond)
            }
            try LAPACKSupport.checkArguments(cinfo, "spocon")
            if !(rcond >= rcondTolerance) {
                throw LinearAlgebraError.singular(
                    routine: "sposv",
                    detail: "reciprocal condition estimate \(rcond) < \(rcondTolerance)")
            }
        }
        return try Matrix(rows: n, cols: r, values: x)
    }

    /// X = A⁻¹B for a general square A, by LU factorisation with partial pivoting
    /// (`LAPACKE_sgesv`, `LAPACK_ROW_MAJOR`).
    ///
    /// - Parameters:
    ///   - a: n×n, invertible.
    ///   - b: n×r right-hand sides.
    /// - Throws: `ShapeError` for mismatched shapes; `LinearAlgebraError.singular` when a pivot
    ///   U(i,i) is exactly zero or the condition estimate is below the tolerance;
    ///   `.nonFiniteInput` for NaN/∞.
    public static func lu(_ a: Matrix, _ b: Matrix, rcondTolerance: Float = LinearSolve.defaultRcondTolerance) throws -> Matrix {
        try checkShapes(a, b, "LU solve")
        let n = a.rows, r = b.cols
        guard n > 0, r > 0 else { return Matrix(rows: n, cols: r) }
        try LAPACKSupport.requireFinite(a, "sgesv")
        try LAPACKSupport.requireFinite(b, "sgesv")
        let anorm = oneNorm(a)
        var factor = a.storage
        var x = b.storage
        var pivots = [Int32](repeating: 0, count: n)
        let info = factor.withUnsafeMutableBufferPointer { pa in
            x.withUnsafeMutableBufferPointer { pb in
                pivots.withUnsafeMutableBufferPointer { pp in
                    LAPACKE_sgesv(
                        LAPACKSupport.rowMajor, Int32(n), Int32(r), pa.baseAddress, Int32(n),
                        pp.baseAddress, pb.baseAddress, Int32(r))
                }
            }
        }
        try LAPACKSupport.checkArguments(info, "sgesv")
        if info > 0 {
            throw LinearAlgebraError.singular(routine: "sgesv", detail: "pivot U(\(info),\(info)) is exactly zero")
        }
        if rcondTolerance > 0 {
            var rcond: Float = 0
            let cinfo = factor.withUnsafeMutableBufferPointer { pa in
                LAPACKE_sgecon(LAPACKSupport.rowMajor, LAPACKSupport.char("1"), Int32(n), pa.baseAddress, Int32(n), anorm, &rcond)
            }
            try LAPACKSupport.checkArguments(cinfo, "sgecon")
            if !(rcond >= rcondTolerance) {
                throw LinearAlgebraError.singular(
                    routine: "sgesv",
                    detail: "reciprocal condition estimate \(rcond) < \(rcondTolerance)")
            }
        }
        return try Matrix(rows: n, cols: r, values: x)
    }

    /// A⁻¹ (n×n) by `lu(a, .identity(n))`; same errors as `lu`.
    public static func inverse(_ a: Matrix, rcondTolerance: Float = LinearSolve.defaultRcondTolerance) throws -> Matrix {
        guard a.isSquare else { throw ShapeError("cannot invert a non-square \(a.shapeDescription) matrix") }
        return try lu(a, .identity(a.rows), rcondTolerance: rcondTolerance)
    }

    static func checkShapes(_ a: Matrix, _ b: Matrix, _ what: String) throws(ShapeError) {
        guard a.isSquare else {
            throw ShapeError("\(what) needs a square system matrix, got \(a.shapeDescription) (right-hand side \(b.shapeDescription))")
        }
        guard b.rows == a.rows else {
            throw ShapeError("\(what): system matrix \(a.shapeDescription) does not match right-hand side \(b.shapeDescription)")
        }
    }

    /// ‖A‖₁ = max column sum of |A(i,j)| (Double accumulation).
    static func oneNorm(_ a: Matrix) -> Float {
        Float(a.columnSums { abs($0) }.max() ?? 0)
    }
}
