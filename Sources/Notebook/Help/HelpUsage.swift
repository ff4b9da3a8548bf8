/// A usage line (`%train cofactor mono=a,b,… [dim=int] …`) laid out so that it wraps between
/// tokens, never inside one: a bracketed group (`[key=…]`, `[a b]`) is one token.
enum HelpUsage {
    /// The tokens of one usage line: words separated by spaces, a `[…]` group kept whole.
    static func tokens(_ line: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        var depth = 0
        for c in line {
            if c == "[" { depth += 1 }
            if c == "]" { depth = max(0, depth - 1) }
            if c == " " && depth == 0 {
                if !current.isEmpty { tokens.append(current) }
                current = ""
            } else {
                current.append(c)
            }
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }

    /// The usage as text lines of at most `width` characters (a longer token gets its own
    /// line), the first starting with `prefix`, the others indented under the first token after
    /// the magic's name.
    static func plainLines(_ usage: String, prefix: String, width: Int = 100) -> [String] {
        var lines: [String] = []
        for (n, line) in usage.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let words = tokens(String(line))
            let lead = n == 0 ? prefix : String(repeating: " ", count: prefix.count)
            guard var current = words.first.map({ lead + $0 }) else { continue }
            let indent = String(repeating: " ", count: min(current.count + 1, width / 2))
            for word in words.dropFirst() {
                if current.count + 1 + word.count > width && current.count > indent.count {
                    lines.append(current)
                    current = indent + word
                } else {
                    current += " " + word
                }
            }
            lines.append(current)
        }
        return lines
    }

    /// The usage as HTML: a left-aligned block with `white-space: normal`, each token a
    /// non-breaking `<code>` unit, so the browser wraps between tokens only.
    static func html(_ usage: String) -> String {
        let lines = usage.split(separator: "\n").map { line in
            tokens(String(line)).map { "<code style=\"white-space: nowrap\">\(HTMLText.escape($0))</code>" }.joined(separator: " ")
        }
        return "<p class=\"xling-usage\" style=\"white-space: normal; text-align: left\">" + lines.joined(separator: "<br>") + "</p>"
    }
}
