/// The line under the cursor, split the way completion and inspection need it. Positions
/// are Unicode-scalar offsets into the whole cell, as the Jupyter protocol counts them.
struct CursorLine {
    /// The text of the line before the cursor.
    let before: String
    /// The token under the cursor, up to the cursor (may be empty).
    let token: String
    /// The scalar offset in the cell where `token` starts.
    let tokenStart: Int
    /// The magic named at the start of the line (without `%`/`%%`), if any.
    let magicName: String?
    /// The words of the whole line after the magic name that are not `key=value` (a family's
    /// method word comes first).
    let lineWords: [String]
    /// Completed (whitespace-terminated) tokens between the magic name and `token`.
    let previousTokens: [String]

    init(code: String, cursor: Int) {
        let scalars = Array(code.unicodeScalars)
        let cursor = min(max(cursor, 0), scalars.count)
        var lineStart = cursor
        while lineStart > 0, scalars[lineStart - 1] != "\n" { lineStart -= 1 }
        var lineEnd = cursor
        while lineEnd < scalars.count, scalars[lineEnd] != "\n" { lineEnd += 1 }
        var tokenStart = cursor
        while tokenStart > lineStart, scalars[tokenStart - 1] != " ", scalars[tokenStart - 1] != "\t" { tokenStart -= 1 }
        func text(_ range: Range<Int>) -> String {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[range])
            return String(view)
        }
        before = text(lineStart..<cursor)
        token = text(tokenStart..<cursor)
        self.tokenStart = tokenStart
        // The name is taken from the whole line, so inspecting inside a name works too.
        let words = text(lineStart..<lineEnd).split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        if let first = words.first, first.hasPrefix("%") {
            let name = String(first.drop(while: { $0 == "%" })).replacingQuestionMarks()
            magicName = name.isEmpty ? nil : name
        } else {
            magicName = nil
        }
        lineWords = Array(words.dropFirst()).filter { !$0.contains("=") }
        let head = text(lineStart..<tokenStart).split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        previousTokens = Array(head.dropFirst())
    }

    /// Whether the cursor is on the magic name itself (first token of the line).
    var isOnMagicName: Bool { before.trimmingWhitespace() == token.trimmingWhitespace() && token.hasPrefix("%") }
}

extension String {
    func replacingQuestionMarks() -> String { String(filter { $0 != "?" }) }
}
