import COpenBLAS

/// The thin singular value decomposition A = U · diag(S) · Vt of an m×n fp32 matrix, computed
/// by LAPACK's divide-and-conquer `sgesdd` (through `LAPACKE_sgesdd`, `LAPACK_ROW_MAJOR`,
/// `jobz = 'S'`).
///
/// Shapes, with k = min(m, n): `u` is m×k with orthonormal columns, `singularValues` has length
/// k in descending order (all ≥ 0), `vt` is k×n with orthonormal rows (the right singular
/// vectors are the *rows* of `vt`, i.e. the columns of V = vtᵀ).
///
/// Accuracy: fp32 throughout; backward error about ‖A‖·1e-6, so the relative reconstruction
/// error ‖A − U S Vt‖_F / ‖A‖_F is typically ≤ 1e-5.
///
/// Signs: each pair (uᵢ, vᵢ) is determined only up to a common sign (and, for repeated
/// singular values, up to a rotation within their subspace). `signNormalized()` fixes the sign
/// deterministically.
public struct SVD: Sendable, Equatable {
    /// Left singular vectors as columns: m×k.
    public var u: Matrix
    /// Singular values σ₁ ≥ σ₂ ≥ … ≥ σ_k ≥ 0 (length k).
    public var singularValues: [Float]
    /// Right singular vectors as rows: k×n.
    public var vt: Matrix

    /// Decomposes `a` (m×n, any shape; m or n may be 0, then k = 0 and all factors are empty).
    ///
    /// Throws `LinearAlgebraError.nonFiniteInput` for NaN/∞ input and `.didNotConverge` when
    /// `sgesdd` reports `info > 0`.
    public init(_ a: Matrix) throws(LinearAlgebraError) {
        let m = a.rows, n = a.cols, k = min(m, n)
        u = Matrix(rows: m, cols: k)
        vt = Matrix(rows: k, cols: n)
        singularValues = [Float](repeating: 0, count: k)
        guard k > 0 else { return }
        try LAPACKSupport.requireFinite(a, "sgesdd")
        var work = a.storage // sgesdd destroys its input
        var s = [Float](repeating: 0, count: k)
        var uStorage = [Float](repeating: 0, count: m * k)
        var vtStorage = [Float](repeating: 0, count: k * n)
        let info = work.withUnsafeMutableBufferPointer { pa in
            s.withUnsafeMutableBufferPointer { ps in
                uStorage.withUnsafeMutableBufferPointer { pu in
                    vtStorage.withUnsafeMutableBufferPointer { pvt in
                        // Row-major: lda = n (columns of A), ldu = k (columns of U), ldvt = n.
                        LAPACKE_sgesdd(
                            LAPACKSupport.rowMajor, LAPACKSupport.char("S"),
                            Int32(m), Int32(n), pa.baseAddress, Int32(n),
                            ps.baseAddress, pu.baseAddress, Int32(k),
                            pvt.baseAddress, Int32(n))
                    }
                }
            }
        }
        try LAPACKSupport.checkArguments(info, "sgesdd")
        if info > 0 { throw .didNotConverge(routine: "sgesdd", info: Int(info)) }
        singularValues = s
        u.storage = uStorage
        vt.storage = vtStorage
    }

    /// The number of singular values, k = min(m, n).
    public var rank: Int { singularValues.count }

    /// V = vtᵀ: n×k, right singular vectors as columns.
    public var v: Matrix { vt.transposed() }

    /// U · diag(S) · Vt (m×n), the matrix this decomposes (up to rounding).
    public func reconstructed() -> Matrix {
        do {
            return try Matrix.product(u.scalingColumns(by: singularValues), vt)
        } catch {
            preconditionFailure("U (m×k), S (k) and Vt (k×n) of one SVD always fit: \(error)")
        }
    }

    /// The number of singular values with σᵢ ≥ `threshold`.
    public func count(atLeast threshold: Float) -> Int {
        singularValues.reduce(0) { $0 + ($1 >= threshold ? 1 : 0) }
    }

    /// The same decomposition with a deterministic sign per component: for each i, the entry
    /// of largest absolute value in column i of `u` is made positive (the first such entry when
    /// several tie), flipping row i of `vt` with it so that U S Vt is unchanged.
    ///
    /// This is the project-wide sign convention (the numpy reference `Tests/reference/
    /// mapping_reference.py` applies the same rule). It does not resolve rotations within
    /// repeated singular values.
    public func signNormalized() -> SVD {
        var out = self
        let m = u.rows, k = rank, n = vt.cols
        for i in 0..<k {
            var best: Float = -1, sign: Float = 1
            for r in 0..<m {
                let x = u.storage[r * k + i]
                if abs(x) > best {
                    best = abs(x)
                    sign = x < 0 ? -1 : 1
                }
            }
            guard sign < 0 else { continue }
            for r in 0..<m { out.u.storage[r * k + i] = -out.u.storage[r * k + i] }
            for c in 0..<n { out.vt.storage[i * n + c] = -out.vt.storage[i * n + c] }
        }
        return out
    }

    /// The first `count` components: U's first `count` columns, the top `count` singular values
    /// and Vt's first `count` rows. `count` is clamped to `0...rank`.
    public func truncated(to count: Int) -> SVD {
        let r = max(0, min(count, rank))
        var out = self
        out.singularValues = Array(singularValues.prefix(r))
        out.u = (try? u.selectingColumns(Array(0..<r))) ?? Matrix(rows: u.rows, cols: 0)
        out.vt = (try? vt.selectingRows(Array(0..<r))) ?? Matrix(rows: 0, cols: vt.cols)
        return out
    }
}

extension Matrix {
    /// The thin SVD of this m×n matrix via `LAPACKE_sgesdd`; see `SVD`.
    public func svd() throws(LinearAlgebraError) -> SVD { try SVD(self) }
}
