/// The input history of this kernel session, for `history_request` (tail, range, search).
///
/// Entries are `(session, line, input, output)` where `line` is the execution count and
/// `output` the text/plain of the cell's result, if any. Kept in memory for the process's
/// life; with a `HistoryStore` (`store`), earlier sessions' cells are loaded at start and every
/// new cell is also appended to the store, so a restarted kernel sees what ran before it, as
/// IPython's history database does.
///
/// Bounded (`Limits`): at most `maxEntries` cells and `maxBytes` bytes of UTF-8 text (input
/// plus output); the oldest cells are forgotten first. A cell whose text alone exceeds a
/// quarter of `maxBytes` is kept with its input and output cut to a prefix of that size that
/// ends in `HistoryTruncation.marker`, so one huge cell cannot evict all the others.
public struct History: Sendable {
    /// How much history is kept.
    public struct Limits: Sendable, Equatable {
        /// The most cells kept.
        public var maxEntries: Int
        /// The most bytes of input and output text kept, over all cells.
        public var maxBytes: Int

        /// Creates limits; both are raised to at least 1 cell and 1 KiB.
        public init(maxEntries: Int, maxBytes: Int) {
            self.maxEntries = max(1, maxEntries)
            self.maxBytes = max(1024, maxBytes)
        }

        /// 10,000 cells and 64 MiB of text (JupyterLab's console asks for the last 1,000).
        public static let standard = Limits(maxEntries: 10_000, maxBytes: 64 << 20)

        /// The most bytes one cell's input or output keeps (a quarter of `maxBytes`).
        var maxEntryBytes: Int { maxBytes / 4 }
    }

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
    /// How many cells and bytes are kept.
    public let limits: Limits
    /// The stored cells in execution order.
    public private(set) var entries: [Entry] = []
    /// The UTF-8 bytes of every stored input and output.
    public private(set) var byteCount = 0
    /// Where new cells are also written (nil: memory only).
    public let store: HistoryStore?

    /// Creates an empty history whose entries report `session`.
    public init(session: Int = 1, limits: Limits = .standard) {
        self.session = session
        self.limits = limits
        self.store = nil
    }

    /// Opens `store` and creates a history of its new session that already holds the cells of
    /// the earlier sessions it kept (within `limits`); new cells are appended to it.
    public init(store: HistoryStore, limits: Limits = .standard) {
        let opened = store.open()
        self.session = opened.session
        self.limits = limits
        self.store = store
        for entry in opened.entries { keep(entry) }
    }

    /// Records a cell, forgetting the oldest ones beyond the limits.
    public mutating func append(line: Int, input: String, output: String?) {
        let entry = Entry(session: session, line: line, input: input, output: output)
        keep(entry)
        if let kept = entries.last { store?.append(kept) }
    }

    /// Adds `entry` (cut to the per-cell cap) and evicts the oldest entries beyond the limits.
    private mutating func keep(_ entry: Entry) {
        let cap = limits.maxEntryBytes
        var entry = entry
        entry.input = HistoryTruncation.cut(entry.input, toBytes: cap)
        entry.output = entry.output.map { HistoryTruncation.cut($0, toBytes: cap) }
        entries.append(entry)
        byteCount += Self.bytes(of: entry)
        var excess = 0, freed = 0
        while excess < entries.count,
            entries.count - excess > limits.maxEntries || byteCount - freed > limits.maxBytes
        {
            freed += Self.bytes(of: entries[excess])
            excess += 1
        }
        if excess > 0 {
            entries.removeFirst(excess)
            byteCount -= freed
        }
    }

    private static func bytes(of entry: Entry) -> Int { entry.input.utf8.count + (entry.output?.utf8.count ?? 0) }

    /// The last `n` entries, over all sessions kept.
    public func tail(_ n: Int) -> [Entry] { Array(entries.suffix(max(0, n))) }

    /// Entries with `start ≤ line < stop` of one session, as IPython's `get_range`: a positive
    /// `session` is a session number, 0 this session, a negative one counts back from it (-1 is
    /// the previous session); a stop of 0 or less means no upper bound.
    public func range(session requested: Int, start: Int, stop: Int) -> [Entry] {
        let wanted = requested > 0 ? requested : session + requested
        return entries.filter { $0.session == wanted && $0.line >= start && (stop <= 0 || $0.line < stop) }
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
                p += 1
                t += 1
            } else if p < pattern.count, pattern[p] == "*" {
                star = p
                mark = t
                p += 1
            } else if star >= 0 {
                p = star + 1
                mark += 1
                t = mark
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}
