import COpenBLAS

extension Matrix {
    /// C ← α·op(A)·op(B) + β·C in place through `cblas_sgemm`: gradients accumulate into their
    /// buffer (β = 1) without a temporary, as llm.c's backward passes do.
    ///
    /// Shapes: op(A) m×k, op(B) k×n, C m×n (op(M) = Mᵀ when its flag is set). A misfit is a
    /// programmer error (the neural tape checks shapes when it records), so it traps.
    public static func accumulateProduct(
        _ a: Matrix, _ b: Matrix, into c: inout Matrix, transposeA: Bool = false, transposeB: Bool = false,
        alpha: Float = 1, beta: Float = 1
    ) {
        let m = transposeA ? a.cols : a.rows
        let innerA = transposeA ? a.rows : a.cols
        let innerB = transposeB ? b.cols : b.rows
        let n = transposeB ? b.rows : b.cols
        precondition(
            innerA == innerB && c.rows == m && c.cols == n,
            "cannot accumulate \(a.shapeDescription)·\(b.shapeDescription) into \(c.shapeDescription)")
        guard m > 0, n > 0 else { return }
        guard innerA > 0 else {
            if beta != 1 { for i in c.storage.indices { c.storage[i] *= beta } }
            return
        }
        a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                c.storage.withUnsafeMutableBufferPointer { pc in
                    cblas_sgemm(
                        CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                        Int32(m), Int32(n), Int32(innerA), alpha,
                        pa.baseAddress, Int32(Swift.max(1, a.cols)), pb.baseAddress, Int32(Swift.max(1, b.cols)),
                        beta, pc.baseAddress, Int32(n))
                }
            }
        }
    }
}

extension Matrix {
    /// C ← α·op(A)·op(B) + β·C on row-major buffers inside larger matrices (a block of rows, a
    /// packed time step): op(A) m×k, op(B) k×n, C m×n, each row `lda`/`ldb`/`ldc` floats apart.
    /// The caller guarantees the buffers hold those extents.
    public static func accumulateProduct(
        m: Int, n: Int, k: Int, _ a: UnsafePointer<Float>, lda: Int, transposeA: Bool = false, _ b: UnsafePointer<Float>, ldb: Int,
        transposeB: Bool = false, into c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float = 1, beta: Float = 1
    ) {
        guard m > 0, n > 0 else { return }
        guard k > 0 else {
            if beta != 1 { for i in 0..<m { for j in 0..<n { c[i * ldc + j] *= beta } } }
            return
        }
        cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}
