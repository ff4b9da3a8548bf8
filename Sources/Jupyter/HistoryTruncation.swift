/// Cuts text kept in `History` to a byte budget at a Unicode-scalar boundary.
enum HistoryTruncation {
    /// Ends every cut text; tells a reader that the cell was longer.
    static let marker = "\n… [cut: longer than the history keeps per cell]"

    /// `text` itself when it has at most `limit` UTF-8 bytes, else its longest prefix that,
    /// with `marker`, fits in `limit` bytes and does not split a scalar.
    static func cut(_ text: String, toBytes limit: Int) -> String {
        let utf8 = text.utf8
        guard utf8.count > limit else { return text }
        let keep = max(0, limit - marker.utf8.count)
        var end = utf8.index(utf8.startIndex, offsetBy: keep)
        while end > utf8.startIndex, UTF8.isContinuation(utf8[end]) { end = utf8.index(before: end) }
        return String(text[..<end]) + marker
    }
}
