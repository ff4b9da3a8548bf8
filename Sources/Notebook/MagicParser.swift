/// Parses a cell of the xling magic language (MAGICS.md) into invocations.
///
/// Grammar: blank lines and lines starting with `#` are ignored; every other line is a line
/// magic `%name word… key=value…`; a cell whose first non-blank line is `%%name …` is a cell
/// magic and the rest of the cell is its body. Values may be double-quoted (`\"` and `\\`
/// escape); `%name?` asks for help. A line ending in `\` continues on the next line.
public enum MagicParser {
    /// Parses a whole cell.
    public static func parse(_ cell: String) throws(MagicError) -> [MagicInvocation] {
        let lines = cell.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        var invocations: [MagicInvocation] = []
        var index = 0
        while index < lines.count {
            let start = index
            var line = lines[index]
            index += 1
            if line.hasSuffix("\\") {
                // Continued lines are collected first and joined once (linear in the cell).
                var parts = [String(line.dropLast())]
                while true {
                    guard index < lines.count else {
                        throw MagicError.syntax("line \(start + 1) ends with '\\' but no line follows it")
                    }
                    let next = lines[index]
                    index += 1
                    guard next.hasSuffix("\\") else {
                        parts.append(next)
                        break
                    }
                    parts.append(String(next.dropLast()))
                }
                line = parts.joined(separator: " ")
            }
            let trimmed = line.trimmingWhitespace()
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            if trimmed.hasPrefix("%%") {
                guard invocations.isEmpty else {
                    throw MagicError.syntax(
                        """
                        line \(start + 1): a cell magic `\(trimmed.prefix(while: { $0 != " " }))` must be the first line of its cell
                        """)
                }
                var invocation = try parseLine(String(trimmed.dropFirst(2)), lineNumber: start)
                invocation.body = lines[index...].joined(separator: "\n")
                return [invocation]
            }
            guard trimmed.hasPrefix("%") else {
                throw MagicError.syntax(
                    """
                    line \(start + 1): `\(trimmed.prefix(40))` is not a magic; every line starts with `%name` (try `%help`)
                    """)
            }
            invocations.append(try parseLine(String(trimmed.dropFirst()), lineNumber: start))
        }
        return invocations
    }

    /// Parses the text after `%` (or `%%`) of one line.
    static func parseLine(_ text: String, lineNumber: Int) throws(MagicError) -> MagicInvocation {
        let tokens = try tokenize(text, lineNumber: lineNumber)
        guard var first = tokens.first, !first.quoted, !first.text.isEmpty else {
            throw MagicError.syntax("line \(lineNumber + 1): `%` must be followed by a magic name (try `%help`)")
        }
        var wantsHelp = false
        while first.text.hasSuffix("?") {
            first.text.removeLast()
            wantsHelp = true
        }
        guard first.text.unicodeScalars.allSatisfy(isNameScalar), !first.text.isEmpty else {
            throw MagicError.syntax("line \(lineNumber + 1): `\(first.text)` is not a magic name")
        }
        var invocation = MagicInvocation(name: first.text, wantsHelp: wantsHelp, sourceLine: lineNumber)
        for token in tokens.dropFirst() {
            if token.text == "?" && !token.quoted {
                invocation.wantsHelp = true
                continue
            }
            if let key = token.key { invocation.keyValues.append((key, token.text)) } else { invocation.words.append(token.text) }
        }
        return invocation
    }

    struct Token {
        var key: String?
        var text: String
        var quoted: Bool
    }

    /// Whether `text` can be a key: letters, digits, `_`, `-`, not starting with a digit.
    static func isName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return text.unicodeScalars.allSatisfy(isNameScalar)
    }

    static func isNameScalar(_ s: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s) || s == "_" || s == "-"
    }

    /// Splits on unquoted whitespace; `key=value` becomes a keyed token when `key` is a name.
    static func tokenize(_ text: String, lineNumber: Int) throws(MagicError) -> [Token] {
        var tokens: [Token] = []
        var scalars = Array(text.unicodeScalars)[...]
        while true {
            while let s = scalars.first, s == " " || s == "\t" { scalars.removeFirst() }
            guard !scalars.isEmpty else { return tokens }
            var token = Token(key: nil, text: "", quoted: false)
            var current = String.UnicodeScalarView()
            while let s = scalars.first, s != " " && s != "\t" {
                scalars.removeFirst()
                if s == "=" && token.key == nil && !token.quoted && !current.isEmpty
                    && current.allSatisfy(isNameScalar) && current.first.map({ !("0"..."9").contains($0) }) == true
                {
                    token.key = String(current)
                    current = String.UnicodeScalarView()
                } else if s == "\"" {
                    token.quoted = true
                    var closed = false
                    while let q = scalars.first {
                        scalars.removeFirst()
                        if q == "\\", let next = scalars.first, next == "\"" || next == "\\" {
                            current.append(next)
                            scalars.removeFirst()
                        } else if q == "\"" {
                            closed = true
                            break
                        } else {
                            current.append(q)
                        }
                    }
                    guard closed else { throw MagicError.syntax("line \(lineNumber + 1): a quote is not closed") }
                } else {
                    current.append(s)
                }
            }
            token.text = String(current)
            tokens.append(token)
        }
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and newlines.
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
