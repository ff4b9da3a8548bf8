/// The input history of this kernel session, for `history_request` (tail, range, search).
///
/// Entries are `(session, line, input, output)` where `line` is the execution count and
/// `output` the text/plain of the cell's result, if any. Kept in memory for the process's
/// life; a restarted kernel starts a new, empty history.
public struct History: Sendable {
    /// One stored cell.
    public struct Entry: Sendable, Equatable {
        /// The session number (`History.session`).
        public var session: Int
        /// The cell's execution count.
        public var line: Int
        /// The cell's code as sent in `execute_request`.
        public var input: String
        /// The text/plain of the cell's result, or nil when it had none.
        public var output: String?
    }

    /// The session number reported in entries.
    public let session: Int
    /// The stored cells in execution order.
    public private(set) var entries: [Entry] = []

    /// Creates an empty history whose entries report `session`.
    public init(session: Int = 1) { self.session = session }

    /// Records a cell.
    public mutating func append(line: Int, input: String, output: String?) {
        entries.append(Entry(session: session, line: line, input: input, output: output))
    }

    /// The last `n` entries.
    public func tail(_ n: Int) -> [Entry] { Array(entries.suffix(max(0, n))) }

    /// Entries with `start ≤ line < stop` of `session` (0 or negative: this session; a stop
    /// of 0 or less means no upper bound, as IPython's `get_range`).
    public func range(session requested: Int, start: Int, stop: Int) -> [Entry] {
        guard requested <= 0 || requested == session else { return [] }
        return entries.filter { $0.line >= start && (stop <= 0 || $0.line < stop) }
    }

    /// The last `n` entries (all when nil) whose input matches the glob `pattern` (`*`, `?`,
    /// as sqlite GLOB); `unique` keeps only the latest of equal inputs.
    public func search(pattern: String, n: Int?, unique: Bool) -> [Entry] {
        let glob = Array(pattern.unicodeScalars)
        var matches = entries.filter { Self.globMatch(glob, Array($0.input.unicodeScalars)) }
        if unique {
            var seen = Set<String>()
            matches = matches.reversed().filter { seen.insert($0.input).inserted }.reversed()
        }
        if let n, n > 0 { matches = Array(matches.suffix(n)) }
        return matches
    }

    /// Glob matching with `*` (any run) and `?` (one scalar), anchored at both ends.
    static func globMatch(_ pattern: [Unicode.Scalar], _ text: [Unicode.Scalar]) -> Bool {
        var p = 0, t = 0, star = -1, mark = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == "?" || pattern[p] == text[t] {
                p += 1; t += 1
            } else if p < pattern.count, pattern[p] == "*" {
                star = p; mark = t; p += 1
            } else if star >= 0 {
                p = star + 1; mark += 1; t = mark
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}
