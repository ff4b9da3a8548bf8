/// Elementary functions the charts need, implemented on the standard library alone so that
/// results are bit-identical wherever the kernel runs.
enum RenderMath {
    private static let ln2 = 0.693147180559945309417232121458
    private static let ln10 = 2.302585092994045684017991454684

    /// The natural logarithm of a positive finite `x`; `nil` otherwise.
    static func ln(_ x: Double) -> Double? {
        guard x > 0, x.isFinite else { return nil }
        // x = m · 2^e with m in [1, 2); ln m = 2·atanh((m-1)/(m+1)), |z| <= 1/3.
        let e = Double(x.exponent)
        let m = x.significand
        let z = (m - 1) / (m + 1)
        let z2 = z * z
        var term = z
        var sum = 0.0
        var k = 1.0
        while k < 60 {
            sum += term / k
            term *= z2
            k += 2
        }
        return e * ln2 + 2 * sum
    }

    /// The base-10 logarithm of a positive finite `x`; `nil` otherwise.
    static func log10(_ x: Double) -> Double? {
        guard let l = ln(x) else { return nil }
        return l / ln10
    }

    /// 10^k for an integer `k`, by repeated multiplication (exact for 0 <= k <= 22).
    static func pow10(_ k: Int) -> Double {
        var result = 1.0
        let n = min(abs(k), 400)
        for _ in 0..<n { result *= 10 }
        return k >= 0 ? result : 1 / result
    }
}
