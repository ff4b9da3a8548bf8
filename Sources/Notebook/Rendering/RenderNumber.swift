/// Number formatting for tables and charts, written without Foundation.
///
/// Every routine rounds half-up on the *shortest round-trip decimal* representation of the
/// double (Swift's `description`), so the output is deterministic across platforms and
/// never contains "nan" or "inf" unless a routine documents it.
enum RenderNumber {
    /// The decimal digits of `|d|`: `value = 0.d0 d1 d2 ... × 10^point`, with `d0 != 0`.
    /// Zero gives an empty digit list. `d` must be finite.
    static func decimalDigits(_ d: Double) -> (digits: [UInt8], point: Int) {
        let text = abs(d).description
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[text.startIndex..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        var digits: [UInt8] = []
        var integerCount = 0
        var seenPoint = false
        for c in mantissa.utf8 {
            if c == UInt8(ascii: ".") {
                seenPoint = true
                continue
            }
            guard c >= 0x30, c <= 0x39 else { continue }
            digits.append(c - 0x30)
            if !seenPoint { integerCount += 1 }
        }
        var point = integerCount + exponent
        while let first = digits.first, first == 0 {
            digits.removeFirst()
            point -= 1
        }
        while let last = digits.last, last == 0 { digits.removeLast() }
        if digits.isEmpty { point = 0 }
        return (digits, point)
    }

    /// Keeps the first `keep` digits, rounding half-up on the next one; a carry out of the
    /// leading digit bumps `point`. A negative `keep` rounds to zero.
    static func round(_ digits: [UInt8], point: Int, keep: Int) -> (digits: [UInt8], point: Int) {
        guard keep < digits.count else { return (digits, point) }
        guard keep >= 0 else { return ([], point) }
        var kept = Array(digits.prefix(keep))
        var newPoint = point
        if digits[keep] >= 5 {
            var i = kept.count - 1
            while i >= 0 {
                if kept[i] == 9 {
                    kept[i] = 0
                    i -= 1
                } else {
                    kept[i] += 1
                    break
                }
            }
            if i < 0 {
                kept.insert(1, at: 0)
                newPoint += 1
            }
        }
        return (kept, newPoint)
    }

    /// Fixed-point text with exactly `fractionDigits` decimals, e.g. `fixed(0.12345, 4) == "0.1235"`.
    /// Non-finite values give "NaN", "inf" or "-inf".
    static func fixed(_ d: Double, fractionDigits: Int) -> String {
        if let special = nonFinite(d) { return special }
        let f = max(0, fractionDigits)
        let (digits, point) = decimalDigits(d)
        let r = round(digits, point: point, keep: point + f)
        func digit(_ i: Int) -> Character {
            i >= 0 && i < r.digits.count ? Character(Unicode.Scalar(r.digits[i] + 0x30)) : "0"
        }
        var out = ""
        if r.point <= 0 { out = "0" } else { for i in 0..<r.point { out.append(digit(i)) } }
        if f > 0 {
            out.append(".")
            for i in r.point..<(r.point + f) { out.append(digit(i)) }
        }
        let isZero = !r.digits.contains(where: { $0 != 0 })
        return (d < 0 && !isZero ? "-" : "") + out
    }

    /// Scientific text with `fractionDigits` mantissa decimals and a signed two-digit exponent,
    /// e.g. `scientific(1.2345e-7, 3) == "1.235e-07"`.
    static func scientific(_ d: Double, fractionDigits: Int) -> String {
        if let special = nonFinite(d) { return special }
        let f = max(0, fractionDigits)
        let (digits, point) = decimalDigits(d)
        if digits.isEmpty { return fixed(0, fractionDigits: f) + "e+00" }
        let r = round(digits, point: point, keep: f + 1)
        var out = d < 0 ? "-" : ""
        for i in 0...f {
            let value = i < r.digits.count ? r.digits[i] : 0
            out.append(Character(Unicode.Scalar(value + 0x30)))
            if i == 0 && f > 0 { out.append(".") }
        }
        let e = r.point - 1
        out += e < 0 ? "e-" : "e+"
        out += abs(e) < 10 ? "0\(abs(e))" : "\(abs(e))"
        return out
    }

    /// The display text of a table double: 4 decimals like pandas ("0.1235", "1234.5678"),
    /// scientific with 3 mantissa decimals below 1e-4 or from 1e15 on ("1.234e-07").
    static func tableCell(_ d: Double) -> String {
        if let special = nonFinite(d) { return special }
        let magnitude = abs(d)
        if magnitude != 0 && (magnitude < 1e-4 || magnitude >= 1e15) {
            return scientific(d, fractionDigits: 3)
        }
        return fixed(d, fractionDigits: 4)
    }

    /// A short human text for hovers and tick fallbacks: at most 4 decimals with trailing
    /// zeros removed ("0.5", "12"), scientific outside [1e-4, 1e9) ("1.5e-07").
    static func compact(_ d: Double) -> String {
        if let special = nonFinite(d) { return special }
        let magnitude = abs(d)
        if magnitude != 0 && (magnitude < 1e-4 || magnitude >= 1e9) {
            let s = scientific(d, fractionDigits: 3)
            guard let e = s.firstIndex(of: "e") else { return s }
            return trimZeros(String(s[s.startIndex..<e])) + String(s[e...])
        }
        return trimZeros(fixed(d, fractionDigits: 4))
    }

    /// An SVG coordinate: at most 2 decimals, no trailing zeros, never "-0", and "0" for a
    /// non-finite input so that no NaN can reach an attribute.
    static func coordinate(_ d: Double) -> String {
        guard d.isFinite else { return "0" }
        return trimZeros(fixed(d, fractionDigits: 2))
    }

    /// Removes trailing fractional zeros and a dangling point; "-0" becomes "0".
    static func trimZeros(_ s: String) -> String {
        guard s.contains(".") else { return s == "-0" ? "0" : s }
        var out = s
        while out.hasSuffix("0") { out.removeLast() }
        if out.hasSuffix(".") { out.removeLast() }
        return out == "-0" ? "0" : out
    }

    private static func nonFinite(_ d: Double) -> String? {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        return nil
    }
}
