/// A fast parser of decimal floating-point text (`-0.065334`, `1.5e-05`, `+3`, `.5`) into a
/// correctly rounded `Float`.
///
/// Fast path: up to 19 significant digits and a power of ten within ±22 go through one exact
/// `Double` operation (Clinger's method), then to `Float`; when that `Double` lies exactly
/// halfway between two floats, or in the subnormal range, or the text is anything else
/// (`nan`, `inf`, hex, long mantissas), it falls back to `Float(String)`.
struct DecimalParser {
    private let powers: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// The value of the token `bytes[from..<to]`, or nil when it is not a number.
    @inline(__always)
    func parse(_ bytes: UnsafePointer<UInt8>, from: Int, to: Int) -> Float? {
        var i = from
        var negative = false
        if i < to, bytes[i] == 0x2d || bytes[i] == 0x2b {
            negative = bytes[i] == 0x2d
            i += 1
        }
        var mantissa: UInt64 = 0
        var significant = 0
        var digits = 0
        var exponent = 0
        while i < to {
            let d = bytes[i] &- 0x30
            guard d < 10 else { break }
            if mantissa != 0 || d != 0 { significant += 1 }
            mantissa = mantissa &* 10 &+ UInt64(d)
            digits += 1
            i += 1
        }
        if i < to, bytes[i] == 0x2e {
            i += 1
            while i < to {
                let d = bytes[i] &- 0x30
                guard d < 10 else { break }
                if mantissa != 0 || d != 0 { significant += 1 }
                mantissa = mantissa &* 10 &+ UInt64(d)
                exponent -= 1
                digits += 1
                i += 1
            }
        }
        if i < to, bytes[i] | 0x20 == 0x65, digits > 0 {
            i += 1
            var negativeExponent = false
            if i < to, bytes[i] == 0x2d || bytes[i] == 0x2b {
                negativeExponent = bytes[i] == 0x2d
                i += 1
            }
            var value = 0
            var exponentDigits = 0
            while i < to {
                let d = bytes[i] &- 0x30
                guard d < 10 else { break }
                if value < 100_000 { value = value * 10 + Int(d) }
                exponentDigits += 1
                i += 1
            }
            if exponentDigits == 0 { return fallback(bytes, from: from, to: to) }
            exponent += negativeExponent ? -value : value
        }
        guard i == to, digits > 0, significant <= 19 else { return fallback(bytes, from: from, to: to) }
        if mantissa == 0 { return negative ? -0.0 : 0.0 }
        guard mantissa <= 1 << 53, exponent >= -22, exponent <= 22 else { return fallback(bytes, from: from, to: to) }
        var value = Double(mantissa)
        value = exponent < 0 ? value / powers[-exponent] : value * powers[exponent]
        // A Double exactly halfway between two floats would be rounded twice; so would a subnormal.
        if value.bitPattern & 0x1FFF_FFFF == 0x1000_0000 || value < Double(Float.leastNormalMagnitude) {
            return fallback(bytes, from: from, to: to)
        }
        let result = Float(value)
        return negative ? -result : result
    }

    private func fallback(_ bytes: UnsafePointer<UInt8>, from: Int, to: Int) -> Float? {
        Float(String(decoding: UnsafeBufferPointer(start: bytes + from, count: to - from), as: UTF8.self))
    }
}
