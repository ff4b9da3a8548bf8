/// The settings of the interpolation-based repulsion (`TSNEMethod.fft`; Linderman et al.
/// 2019, FIt-SNE, §2). The embedding's square bounding box is cut into `intervals` × `intervals`
/// equal boxes; each box holds `nodes` × `nodes` equispaced Lagrange interpolation nodes. More
/// nodes or narrower intervals give a smaller interpolation error and a larger FFT grid of
/// m = intervals · nodes points per side (FFTs of 2m × 2m every iteration).
///
/// Defaults are openTSNE 1.0's (3 nodes, at least 50 intervals, intervals at most 1 unit
/// wide); the interval count is rounded up to a number with no prime factor above 7, a fast
/// FFTW size. With these settings the per-point relative error of the gradient against the
/// exact one is below 1e-3 in `TSNEFFTTests` (real vectors, a few thousand points).
public struct TSNEInterpolation: Sendable, Equatable {
    /// Lagrange nodes per interval and dimension (2 … 8).
    public var nodes: Int = 3
    /// The fewest intervals per dimension (≥ 1).
    public var minIntervals: Int = 50
    /// The widest an interval may be, in embedding units (> 0): a map spanning s units gets
    /// at least ⌈s / intervalWidth⌉ intervals per dimension.
    public var intervalWidth: Double = 1

    /// openTSNE's defaults (above).
    public init() {}

    /// Intervals per dimension for a map whose square bounding box is `span` units wide: the
    /// smallest number with no prime factor above 7 that is ≥ max(minIntervals, ⌈span / width⌉).
    public func intervals(span: Double) -> Int {
        let wanted = max(minIntervals, Int((span / intervalWidth).rounded(.up)), 1)
        var n = wanted
        while !TSNEInterpolation.isSmooth(n) { n += 1 }
        return n
    }

    /// Whether `n` has no prime factor above 7.
    static func isSmooth(_ n: Int) -> Bool {
        var r = n
        for f in [2, 3, 5, 7] { while r % f == 0 { r /= f } }
        return r == 1
    }
}
