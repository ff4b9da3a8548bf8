/// Numbers as short texts in summaries, progress lines and footnotes (tables format their own
/// cells): one place, built on `RenderNumber`, so every output rounds the same way.
enum NumberText {
    /// `x` with exactly `decimals` decimals (`fixed(0.87349, 3) == "0.873"`).
    static func fixed(_ x: Double, _ decimals: Int) -> String { RenderNumber.fixed(x, fractionDigits: decimals) }

    /// About 3 significant digits without an exponent for ordinary magnitudes: 1234, 12.3,
    /// 1.23, 0.123; "?" for a non-finite value.
    static func short(_ x: Double) -> String {
        guard x.isFinite else { return "?" }
        let magnitude = abs(x)
        return fixed(x, magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 3)
    }

    /// A count with thousands separators (`20,000`).
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }
}

extension Int {
    /// The number with thousands separators (`20,000`), as summaries show counts.
    var formatted: String { NumberText.grouped(self) }
}
