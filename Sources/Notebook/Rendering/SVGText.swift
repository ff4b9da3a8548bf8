/// XML escaping shared by every SVG chart.
public enum SVGText {
    /// Escapes `&`, `<`, `>`, `"` and `'` as XML entities and replaces characters that XML 1.0
    /// forbids (C0 controls other than tab, newline and carriage return) with U+FFFD, so the
    /// result is always legal text or attribute content.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(c)
            default:
                if c.value < 0x20 || c.value == 0xFFFE || c.value == 0xFFFF {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(c)
                }
            }
        }
        return out
    }
}
