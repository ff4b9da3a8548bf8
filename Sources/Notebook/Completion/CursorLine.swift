/// The line under the cursor, split the way completion and inspection need it. Positions
/// are Unicode-scalar offsets into the whole cell, as the Jupyter protocol counts them.
///
/// Cost: one pass over the cell's UTF-8 bytes up to the cursor to turn the scalar offset into
/// a byte offset (no copy of the cell), then work on the cursor's line only.
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
        self = Self.withBytes(of: code) { CursorLine(bytes: $0, cursor: cursor) }
    }

    /// The whole line holding scalar offset `cursor` (clamped to the cell), the scalar offset
    /// where that line starts in the cell, and the cursor's offset within the line.
    static func line(in code: String, cursor: Int) -> (text: String, start: Int, cursor: Int) {
        withBytes(of: code) { bytes in
            let position = Position(bytes: bytes, cursor: cursor)
            let start = position.cursor - position.scalarCount(position.lineStart..<position.cursorByte)
            return (position.text(position.lineStart..<position.lineEnd), start, position.cursor - start)
        }
    }

    private init(bytes: UnsafeBufferPointer<UInt8>, cursor: Int) {
        let position = Position(bytes: bytes, cursor: cursor)
        var tokenByte = position.cursorByte
        while tokenByte > position.lineStart, !Self.isBlank(bytes[tokenByte - 1]) { tokenByte -= 1 }
        before = position.text(position.lineStart..<position.cursorByte)
        token = position.text(tokenByte..<position.cursorByte)
        tokenStart = position.cursor - position.scalarCount(tokenByte..<position.cursorByte)
        // The name is taken from the whole line, so inspecting inside a name works too.
        var nameStart = position.lineStart
        while nameStart < position.lineEnd, Self.isBlank(bytes[nameStart]) { nameStart += 1 }
        var nameEnd = nameStart
        while nameEnd < position.lineEnd, !Self.isBlank(bytes[nameEnd]) { nameEnd += 1 }
        let first = position.text(nameStart..<nameEnd)
        if first.hasPrefix("%") {
            let name = String(first.drop(while: { $0 == "%" })).replacingQuestionMarks()
            magicName = name.isEmpty ? nil : name
        } else {
            magicName = nil
        }
        lineWords = position.text(nameEnd..<position.lineEnd).split(whereSeparator: { $0 == " " || $0 == "\t" })
            .map(String.init).filter { !$0.contains("=") }
        let head = position.text(position.lineStart..<tokenByte).split(whereSeparator: { $0 == " " || $0 == "\t" })
        previousTokens = head.dropFirst().map(String.init)
    }

    /// Whether the cursor is on the magic name itself (first token of the line).
    var isOnMagicName: Bool { before.trimmingWhitespace() == token.trimmingWhitespace() && token.hasPrefix("%") }

    private static func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }

    /// Runs `body` on the cell's UTF-8 bytes without copying a native string.
    private static func withBytes<T>(of code: String, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        if let result = code.utf8.withContiguousStorageIfAvailable(body) { return result }
        return Array(code.utf8).withUnsafeBufferPointer(body)
    }

    /// The cursor located in the cell's bytes: its byte offset and the bounds of its line
    /// (`\n` bytes never occur inside a multi-byte UTF-8 sequence, so lines split on bytes).
    private struct Position {
        let bytes: UnsafeBufferPointer<UInt8>
        /// The cursor as a scalar offset, clamped to `0...scalars in the cell`.
        let cursor: Int
        let cursorByte: Int
        let lineStart: Int
        let lineEnd: Int

        init(bytes: UnsafeBufferPointer<UInt8>, cursor requested: Int) {
            self.bytes = bytes
            let target = max(requested, 0)
            var byte = 0, scalars = 0
            while byte < bytes.count {
                if !UTF8.isContinuation(bytes[byte]) {
                    if scalars == target { break }
                    scalars += 1
                }
                byte += 1
            }
            cursor = scalars
            cursorByte = byte
            var start = byte
            while start > 0, bytes[start - 1] != UInt8(ascii: "\n") { start -= 1 }
            var end = byte
            while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
            lineStart = start
            lineEnd = end
        }

        /// The scalars that start in `range` of the bytes.
        func scalarCount(_ range: Range<Int>) -> Int {
            var count = 0
            for i in range where !UTF8.isContinuation(bytes[i]) { count += 1 }
            return count
        }

        /// The text of a byte range that starts and ends on scalar boundaries.
        func text(_ range: Range<Int>) -> String {
            String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        }
    }
}

extension String {
    func replacingQuestionMarks() -> String { String(filter { $0 != "?" }) }
}
