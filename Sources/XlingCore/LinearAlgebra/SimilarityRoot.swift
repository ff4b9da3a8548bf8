import COpenBLAS

/// The square root of a similarity matrix, √(X·Xᵀ) = U·S·Uᵀ for the thin SVD X = U·S·Vᵀ (n×n,
/// symmetric, positive semi-definite; it does not depend on the SVD's signs), without the SVD
/// of the tall X.
///
/// With the d×d Gram G = XᵀX = V·S²·Vᵀ, U·S·Uᵀ = X·V·S⁻¹·Vᵀ·Xᵀ = B·Bᵀ for B = X·V·S^{-1/2}
/// (n×d). G and its eigendecomposition are in Double (`dsyrk`, `dsyevd`: d×d, cheap), so the
/// directions with small singular values keep their accuracy; B and B·Bᵀ are fp32, B·Bᵀ by
/// `ssyrk` (half the multiply-adds of a general product) and mirrored. Each column of B is
/// u_k·√s_k up to fp32 rounding, so an entry of the result carries the same absolute error
/// (≈ 1e-7 · ‖x_i‖·‖x_j‖) as U·S·Uᵀ from an fp32 SVD. Directions with s_k² ≤ 1e-12 · s_max²
/// (numerically rank-deficient X) are dropped: their share of U·S·Uᵀ is below that rounding.
///
/// Memory: the n×n result, B (n×d) and d×d Doubles. Cost: n·d²/2 (Gram) + n·d² (B) + n²·d/2.
public enum SimilarityRoot {
    /// √(X·Xᵀ) for `x` (n×d, finite), n×n with both triangles filled. `threads` splits the mirror
    /// copy (the BLAS calls use the BLAS's own threads); the result does not depend on it.
    /// `stages` hears `SVD` (the Gram and its eigendecomposition: what the SVD gave) and `U·S·Uᵀ`.
    ///
    /// Throws `LinearAlgebraError.nonFiniteInput` for NaN/∞ and `.didNotConverge` if `dsyevd`
    /// fails.
    public static func compute(_ x: Matrix, threads: Int = 1, stages: ((String) -> Void)? = nil) throws -> Matrix {
        let n = x.rows, d = x.cols
        guard n > 0, d > 0 else { return Matrix(rows: n, cols: n) }
        try LAPACKSupport.requireFinite(x, "dsyevd")
        // G = XᵀX in Double (upper triangle, row-major d×d).
        let wide = x.storage.map(Double.init)
        var gram = [Double](repeating: 0, count: d * d)
        wide.withUnsafeBufferPointer { w in
            gram.withUnsafeMutableBufferPointer { g in
                cblas_dsyrk(
                    CblasRowMajor, CblasUpper, CblasTrans, Int32(d), Int32(n), 1, w.baseAddress, Int32(d), 0, g.baseAddress, Int32(d))
            }
        }
        var eigenvalues = [Double](repeating: 0, count: d)
        let info = gram.withUnsafeMutableBufferPointer { g in
            eigenvalues.withUnsafeMutableBufferPointer { e in
                LAPACKE_dsyevd(
                    LAPACKSupport.rowMajor, LAPACKSupport.char("V"), LAPACKSupport.char("U"), Int32(d), g.baseAddress, Int32(d),
                    e.baseAddress)
            }
        }
        try LAPACKSupport.checkArguments(info, "dsyevd")
        if info > 0 { throw LinearAlgebraError.didNotConverge(routine: "dsyevd", info: Int(info)) }
        // W = V · diag(λ^{-1/4}) (d×d; column k of V is eigenvector k), λ = s².
        let largest = eigenvalues.max() ?? 0
        var w = Matrix(rows: d, cols: d)
        for k in 0..<d where eigenvalues[k] > 1e-12 * largest {
            let scale = 1 / eigenvalues[k].squareRoot().squareRoot()
            for r in 0..<d { w.storage[r * d + k] = Float(gram[r * d + k] * scale) }
        }
        stages?("SVD")
        let b = try Matrix.product(x, w)
        var root = Matrix(rows: n, cols: n)
        b.storage.withUnsafeBufferPointer { bp in
            root.storage.withUnsafeMutableBufferPointer { rp in
                cblas_ssyrk(
                    CblasRowMajor, CblasLower, CblasNoTrans, Int32(n), Int32(d), 1, bp.baseAddress, Int32(d), 0, rp.baseAddress, Int32(n))
            }
        }
        mirrorLowerTriangle(&root, threads: threads)
        stages?("U·S·Uᵀ")
        return root
    }

    /// Copies the strict lower triangle of the square `m` onto its upper triangle, in 64×64 tiles
    /// (tile rows split over `threads`).
    static func mirrorLowerTriangle(_ m: inout Matrix, threads: Int) {
        let n = m.rows, tile = 64
        let tiles = (n + tile - 1) / tile
        m.storage.withUnsafeMutableBufferPointer { p in
            let shared = MirrorJob(base: p.baseAddress!)
            _ = WorkerThreads.run(threads: threads, count: tiles, initial: 0) { _, tileRows in
                for ti in tileRows {
                    let i0 = ti * tile, i1 = min(n, i0 + tile)
                    // Upper tiles of tile row ti: (ti, tj) for tj ≥ ti, from the lower (tj, ti).
                    for tj in ti..<tiles {
                        let j0 = tj * tile, j1 = min(n, j0 + tile)
                        for i in i0..<i1 {
                            let upper = shared.base + i * n
                            for j in max(j0, i + 1)..<max(j1, i + 1) { upper[j] = shared.base[j * n + i] }
                        }
                    }
                }
                return 0
            }
        }
    }
}

/// The matrix `mirrorLowerTriangle` writes, shared by its workers (unchecked: each worker writes
/// only the upper tiles of its own tile rows and reads only lower tiles, which nobody writes).
private struct MirrorJob: @unchecked Sendable {
    let base: UnsafeMutablePointer<Float>
}
