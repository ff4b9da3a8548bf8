import COpenBLAS

/// Low-level GEMM helpers for blocked similarity search (`Retrieval/`): one tile of
/// similarities S = Q · Tᵀ written into a caller-owned buffer, without allocating.
///
/// This is the only place the retrieval code touches BLAS (only `LinearAlgebra/` may import
/// `COpenBLAS`).
package enum BlockedGEMM {
    /// Computes the tile `c[i * ldc + j] = Σ_l q[i * dimension + l] · t[j * dimension + l]`
    /// for `0 ≤ i < queryCount`, `0 ≤ j < targetCount` with one `cblas_sgemm` call
    /// (row-major, `Tᵀ`, α = 1, β = 0).
    ///
    /// - Parameters:
    ///   - q: `queryCount × dimension` rows, row-major, contiguous (stride `dimension`).
    ///   - t: `targetCount × dimension` rows, row-major, contiguous (stride `dimension`).
    ///   - c: output, at least `(queryCount - 1) * ldc + targetCount` floats.
    ///   - ldc: row stride of `c`, `≥ targetCount`.
    /// Runs on the calling thread with however many threads OpenBLAS is set to use; see
    /// `withSingleThreadedBLAS`.
    @inline(__always)
    package static func similarityTile(
        q: UnsafePointer<Float>, queryCount: Int,
        t: UnsafePointer<Float>, targetCount: Int,
        dimension: Int,
        into c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        guard queryCount > 0, targetCount > 0 else { return }
        guard dimension > 0 else {
            for i in 0..<queryCount { (c + i * ldc).update(repeating: 0, count: targetCount) }
            return
        }
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasTrans,
            Int32(queryCount), Int32(targetCount), Int32(dimension), 1,
            q, Int32(dimension), t, Int32(dimension),
            0, c, Int32(ldc))
    }

    /// Runs `body` with OpenBLAS limited to one thread (so several of our own threads can
    /// each run their own single-threaded GEMM on separate tiles), then restores the
    /// previous thread count. The setting is process-wide: do not run other BLAS work
    /// concurrently that expects the old setting.
    package static func withSingleThreadedBLAS<R>(_ body: () throws -> R) rethrows -> R {
        let previous = openblas_get_num_threads()
        if previous != 1 { openblas_set_num_threads(1) }
        defer { if previous != 1 { openblas_set_num_threads(previous) } }
        return try body()
    }
}
