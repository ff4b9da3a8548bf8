/// One tick of a numeric axis: its position in axis space and its label.
struct ChartTick: Sendable {
    /// The tick's value in axis space (the data value, or its log10 on a log axis).
    var position: Double
    /// The label text, unescaped.
    var label: String
}

/// A numeric axis: a domain `lo < hi` in axis space with "nice" ticks.
///
/// Invariants: `lo` and `hi` are finite and `lo < hi`; every tick lies in `[lo, hi]`. Linear
/// ticks step by 1, 2 or 5 × 10^k; log ticks sit on whole decades.
struct ChartAxis: Sendable {
    /// The lower end of the domain in axis space.
    let lo: Double
    /// The upper end of the domain in axis space.
    let hi: Double
    /// Whether axis space is log10 of the data.
    let isLog: Bool
    /// The ticks, ascending.
    let ticks: [ChartTick]

    /// Whether `v` is drawable on an axis of this kind: finite, and positive on a log axis.
    static func usable(_ v: Double, log: Bool) -> Bool {
        v.isFinite && abs(v) < 1e300 && (!log || v > 0)
    }

    /// The fraction 0...1 of `v` (a data value) along the axis, or `nil` if not drawable.
    func fraction(_ v: Double) -> Double? {
        guard ChartAxis.usable(v, log: isLog) else { return nil }
        let t: Double
        if isLog {
            guard let l = RenderMath.log10(v) else { return nil }
            t = l
        } else {
            t = v
        }
        let f = (t - lo) / (hi - lo)
        return f.isFinite ? f : nil
    }

    /// A linear axis covering `values` (unusable ones ignored); `includeZero` forces 0 into
    /// the domain (bar charts). No values give [0, 1]; equal values are padded by 10% (or 1).
    /// Non-negative data never gets a negative range: all zeros give [0, 1], and padding or
    /// rounding to nice ticks stops at 0.
    static func linear(_ values: [Double], includeZero: Bool = false) -> ChartAxis {
        let finite = values.filter { usable($0, log: false) }
        let nonNegative = finite.allSatisfy { $0 >= 0 }
        var lo = finite.min() ?? 0
        var hi = finite.max() ?? 1
        if finite.isEmpty {
            lo = 0
            hi = 1
        }
        if includeZero {
            lo = min(lo, 0)
            hi = max(hi, 0)
        }
        if lo == hi {
            let pad = lo == 0 ? 1 : abs(lo) * 0.1
            lo -= pad
            hi += pad
        }
        if nonNegative { lo = max(lo, 0) }
        return niceLinear(lo: lo, hi: hi) ?? fallback(lo: lo, hi: hi)
    }

    /// A linear axis over exactly `lo...hi` (for example 0...100 for percentages) with nice
    /// ticks, whatever the data.
    static func fixed(_ domain: ClosedRange<Double>) -> ChartAxis {
        let (lo, hi) = (domain.lowerBound, domain.upperBound)
        guard lo < hi, let axis = niceLinear(lo: lo, hi: hi), axis.lo == lo, axis.hi == hi else {
            return fallback(lo: lo, hi: hi)
        }
        return axis
    }

    /// Whether data `values` call for a log axis: positive and spanning more than two decades
    /// (max/min > 100). 64…1024 (16×) stays linear; 10…100,000 goes log.
    static func prefersLog(_ values: [Double]) -> Bool {
        let finite = values.filter { usable($0, log: false) }
        guard let lo = finite.min(), let hi = finite.max(), lo > 0 else { return false }
        return hi / lo > 100
    }

    /// Nice 1/2/5 ticks for `lo < hi`, or `nil` when the range is too extreme to step through.
    private static func niceLinear(lo: Double, hi: Double) -> ChartAxis? {
        let raw = (hi - lo) / 5
        guard raw.isFinite, raw > 0 else { return nil }
        var k = Int((RenderMath.log10(raw) ?? 0).rounded(.down))
        guard k > -300, k < 300 else { return nil }
        while RenderMath.pow10(k) > raw { k -= 1 }
        while RenderMath.pow10(k + 1) <= raw { k += 1 }
        let magnitude = RenderMath.pow10(k)
        let normalized = raw / magnitude
        var m: Int
        if normalized < 1.5 {
            m = 1
        } else if normalized < 3 {
            m = 2
        } else if normalized < 7 {
            m = 5
        } else {
            m = 1
            k += 1
        }
        func value(_ i: Int) -> Double {
            k >= 0 ? Double(i * m) * RenderMath.pow10(k) : Double(i * m) / RenderMath.pow10(-k)
        }
        let step = value(1)
        guard step > 0, step.isFinite, abs(lo / step) < 1e12, abs(hi / step) < 1e12 else { return nil }
        let first = Int((lo / step).rounded(.down))
        let last = Int((hi / step).rounded(.up))
        guard last > first, last - first <= 100 else { return nil }
        let magnitudeMax = max(abs(value(first)), abs(value(last)))
        let decimals = max(0, -k)
        let useFixed = decimals <= 10 && magnitudeMax < 1e9
        let ticks = (first...last).map { i -> ChartTick in
            let v = value(i)
            let label = useFixed ? RenderNumber.fixed(v, fractionDigits: decimals) : RenderNumber.compact(v)
            return ChartTick(position: v, label: label)
        }
        return ChartAxis(lo: value(first), hi: value(last), isLog: false, ticks: ticks)
    }

    /// A plain axis over `[lo, hi]` with ticks at both ends, for ranges too wide to step.
    private static func fallback(lo: Double, hi: Double) -> ChartAxis {
        guard lo.isFinite, hi.isFinite, lo < hi else {
            return ChartAxis(
                lo: 0, hi: 1, isLog: false,
                ticks: [ChartTick(position: 0, label: "0"), ChartTick(position: 1, label: "1")])
        }
        return ChartAxis(
            lo: lo, hi: hi, isLog: false,
            ticks: [
                ChartTick(position: lo, label: RenderNumber.compact(lo)),
                ChartTick(position: hi, label: RenderNumber.compact(hi)),
            ])
    }

    /// A log10 axis covering the positive finite `values`, widened to whole decades (at least
    /// one); no values give [1, 10]. At most about 9 decade ticks are labelled.
    static func logarithmic(_ values: [Double]) -> ChartAxis {
        let logs = values.filter { usable($0, log: true) }.compactMap { RenderMath.log10($0) }
        var lo = Int((logs.min() ?? 0).rounded(.down))
        var hi = Int((logs.max() ?? 1).rounded(.up))
        if lo == hi {
            lo -= 1
            hi += 1
        }
        let step = max(1, (hi - lo + 7) / 8)
        var ticks: [ChartTick] = []
        var k = lo
        while k <= hi {
            let label = (-4...6).contains(k) ? RenderNumber.fixed(RenderMath.pow10(k), fractionDigits: max(0, -k)) : "1e\(k)"
            ticks.append(ChartTick(position: Double(k), label: label))
            k += step
        }
        return ChartAxis(lo: Double(lo), hi: Double(hi), isLog: true, ticks: ticks)
    }
}
