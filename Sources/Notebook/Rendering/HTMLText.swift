/// HTML escaping for text placed in element content or quoted attribute values, and the small
/// inline Markdown of captions, footnotes and help text.
public enum HTMLText {
    /// Escapes `&`, `<`, `>`, `"` and `'` so that `s` renders literally inside HTML.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// `s` escaped, then its inline Markdown turned into HTML: `` `code` `` becomes
    /// `<code>code</code>` (its content kept verbatim) and `*emphasis*` becomes `<em>emphasis</em>`
    /// when the stars hug a word (`*x*`, not `2 * 3` or `**`). An unmatched backtick or star stays
    /// as it is. The plain-text renderings keep the Markdown as written.
    public static func inlineMarkdown(_ s: String) -> String {
        var out = ""
        var rest = Substring(s)
        while let tick = rest.firstIndex(of: "`") {
            let after = rest.index(after: tick)
            guard let close = rest[after...].firstIndex(of: "`"), close > after else { break }
            out += emphasis(escape(String(rest[..<tick])))
            out += "<code>" + escape(String(rest[after..<close])) + "</code>"
            rest = rest[rest.index(after: close)...]
        }
        return out + emphasis(escape(String(rest)))
    }

    /// `*word …*` → `<em>word …</em>` in already-escaped text outside code spans.
    static func emphasis(_ escaped: String) -> String {
        let chars = Array(escaped)
        var out = ""
        var i = 0
        func isWordBoundary(_ j: Int) -> Bool { j < 0 || j >= chars.count || !(chars[j].isLetter || chars[j].isNumber) }
        while i < chars.count {
            if chars[i] == "*", i + 1 < chars.count, chars[i + 1] != "*", !chars[i + 1].isWhitespace, isWordBoundary(i - 1),
                i == 0 || chars[i - 1] != "*"
            {
                var j = i + 1
                while j < chars.count, chars[j] != "*" && chars[j] != "\n" { j += 1 }
                if j < chars.count, chars[j] == "*", !chars[j - 1].isWhitespace, isWordBoundary(j + 1),
                    j + 1 >= chars.count || chars[j + 1] != "*"
                {
                    out += "<em>" + String(chars[(i + 1)..<j]) + "</em>"
                    i = j + 1
                    continue
                }
            }
            out.append(chars[i])
            i += 1
        }
        return out
    }
}
