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
