import CScreen

/// The screen of a similarity tile row against four thresholds (the C kernel `xling_screen_row`,
/// AVX2 or SSE2): which positions j of `s[0 ..< count]` might enter a row's or a column's top
/// list. Position j passes when, with x = s[j] (comparisons false for NaN),
///
///     x > rowTop  or  x > columnTop[j]  or  2x − columnShift[j] > rowList  or  2x − rowShift > columnList[j]
///
/// with each difference rounded once in fp32, as Swift's `2 * x - shift` is. A caller that
/// re-tests each hit against its current thresholds (which only rise) keeps exactly what a
/// scalar loop over every position would.
public enum ThresholdScreen {
    /// Which loop runs (`automatic`: AVX2 where the CPU has it, else SSE2).
    public enum Path: Sendable, CaseIterable {
        case scalar, sse2, automatic
    }

    /// Writes the passing positions, increasing, to `hits` (capacity ≥ `count`) and returns how
    /// many. All arrays hold at least `count` floats.
    @inline(__always)
    public static func row(
        _ s: UnsafePointer<Float>, count: Int, columnShift: UnsafePointer<Float>, columnTop: UnsafePointer<Float>,
        columnList: UnsafePointer<Float>, rowTop: Float, rowList: Float, rowShift: Float,
        hits: UnsafeMutablePointer<UInt32>, path: Path = .automatic
    ) -> Int {
        let loop: xling_screen_path
        switch path {
        case .scalar: loop = XLING_SCREEN_SCALAR
        case .sse2: loop = XLING_SCREEN_SSE2
        case .automatic: loop = XLING_SCREEN_AVX2
        }
        return xling_screen_row_using(loop, s, columnShift, columnTop, columnList, count, rowTop, rowList, rowShift, hits)
    }
}
