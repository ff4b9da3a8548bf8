/// Vector kernels the standard library does not lower to SIMD instructions on Linux: there,
/// `SIMD8<Float>.squareRoot()` becomes eight calls of libm's `sqrtf` (kept for `errno`) and
/// `clamped` a generic call, which made them most of GloVe's per-record time.
enum FastMath {
    /// 1/√x per lane for x ≥ 1 (AdaGrad sums): the classic bit-level estimate refined by three
    /// Newton steps, y ← y·(1.5 − ½x·y²); relative error ≤ 2.4e-7 (about 2 ulp), which is
    /// below the float32 rounding differences a Hogwild pass already has.
    @inline(__always)
    static func reciprocalSquareRoot(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let bits = unsafeBitCast(x, to: SIMD8<UInt32>.self)
        var y = unsafeBitCast(SIMD8<UInt32>(repeating: 0x5F37_5A86) &- (bits &>> 1), to: SIMD8<Float>.self)
        let half = 0.5 * x
        y = y * (1.5 - half * y * y)
        y = y * (1.5 - half * y * y)
        y = y * (1.5 - half * y * y)
        return y
    }

    /// `x` with every lane limited to [−bound, bound] (NaN lanes stay NaN).
    @inline(__always)
    static func clamp(_ x: SIMD8<Float>, _ bound: Float) -> SIMD8<Float> {
        var y = x
        y.replace(with: bound, where: x .> bound)
        y.replace(with: -bound, where: x .< -bound)
        return y
    }
}
