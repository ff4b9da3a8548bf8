/// Dot products of short fp32 vectors in Swift SIMD (and Double sums of squares and dots), for the hot loops that score a handful of
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

    /// Σ x[k]² over `count` floats in Double: eight Double lanes (each square exact), then the lanes
    /// and the tail in order. The same sum as a serial Double loop up to its order, without its chain
    /// of dependent adds (row norms of normalisations, residual norms, gradient norms).
    @inlinable @inline(__always)
    public static func sumOfSquares(_ x: UnsafePointer<Float>, count: Int) -> Double {
        var lanes = SIMD8<Double>(repeating: 0)
        var k = 0
        while k + 8 <= count {
            let v = SIMD8<Double>(UnsafeRawPointer(x + k).loadUnaligned(as: SIMD8<Float>.self))
            lanes += v * v
            k += 8
        }
        var sum = lanes.sum()
        while k < count {
            sum += Double(x[k]) * Double(x[k])
            k += 1
        }
        return sum
    }

    /// a · b of two Double d-vectors, four lanes at a time, then the tail.
    @inlinable @inline(__always)
    public static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ d: Int) -> Double {
        var lanes = SIMD4<Double>.zero
        var l = 0
        while l + 4 <= d {
            lanes +=
                UnsafeRawPointer(a + l).loadUnaligned(as: SIMD4<Double>.self)
                * UnsafeRawPointer(b + l).loadUnaligned(as: SIMD4<Double>.self)
            l += 4
        }
        var s = lanes.sum()
        while l < d {
            s += a[l] * b[l]
            l += 1
        }
        return s
    }
}
