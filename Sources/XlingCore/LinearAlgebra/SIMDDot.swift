/// Dot products of short fp32 vectors in Swift SIMD, for the hot loops that score a handful of
/// pairs each (t-SNE's neighbour forest, the priors of `OneSweepCandidates`) where a BLAS call
/// per pair would cost more than the arithmetic. Eight partial sums (lanes) are added at the
/// end, then the tail: the rounding differs from a BLAS `sdot` by a few ulps of Σ|aᵢbᵢ|, so
/// callers that compare with GEMM values allow a margin.
public enum SIMDDot {
    /// a · b of two d-vectors (d ≥ 0) in Float, 8 lanes at a time.
    @inlinable @inline(__always)
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ d: Int) -> Float {
        var sum = SIMD8<Float>.zero
        var l = 0
        while l + 8 <= d {
            sum +=
                UnsafeRawPointer(a + l).loadUnaligned(as: SIMD8<Float>.self)
                * UnsafeRawPointer(b + l).loadUnaligned(as: SIMD8<Float>.self)
            l += 8
        }
        var s = sum.sum()
        while l < d {
            s += a[l] * b[l]
            l += 1
        }
        return s
    }
}
