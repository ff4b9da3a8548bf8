#if canImport(Glibc)
import Glibc
#endif

/// The per-user history of executed cells across kernel restarts: an append-only JSON-lines
/// file (IPython keeps an SQLite database in its profile directory; this is the same idea
/// without SQLite).
///
/// Each line is one record: `{"session": 3, "started": "2026-…Z"}` when a kernel starts (its
/// session number is one more than the largest in the file), and
/// `{"session": 3, "line": 1, "input": "…", "output": "…" | null}` per stored cell. A line that
/// does not parse (a torn write, a foreign edit) is skipped.
///
/// Bounded: when the file holds more than twice `limits` (cells or bytes), it is compacted to
/// the newest cells within `limits`: rewritten to a temporary file and renamed over the old one
/// (atomic). Appends and compaction take an exclusive `flock` on `PATH.lock`, so kernels of the
/// same user can share one file.
///
/// Never in the kernel's way: `open` reads once at start; `append` only queues, and a
/// background thread writes (`HistoryStoreWriter`). Any failure (read-only home, disk full, a
/// directory in the way) is logged once and the store stops writing; the kernel keeps its
/// in-memory history.
public final class HistoryStore: @unchecked Sendable {
    /// The JSON-lines file.
    public let path: String
    /// How much history the file keeps after compaction (and what `open` returns at most).
    public let limits: History.Limits
    private let writer: HistoryStoreWriter

    /// A store at `path` (created with its folder, mode 0700, on first write); `log` receives
    /// the one line reporting a failure.
    public init(path: String, limits: History.Limits = .standard, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.path = path
        self.limits = limits
        writer = HistoryStoreWriter(path: path, limits: limits, log: log)
    }

    /// Where the history lives unless configured: `$XDG_DATA_HOME/xling/history.jsonl`, else
    /// `$HOME/.local/share/xling/history.jsonl`; nil when neither variable is set.
    public static func defaultPath(environment: (String) -> String? = HistoryStore.environment) -> String? {
        if let data = environment("XDG_DATA_HOME"), data.hasPrefix("/") { return data + "/xling/history.jsonl" }
        if let home = environment("HOME"), !home.isEmpty { return home + "/.local/share/xling/history.jsonl" }
        return nil
    }

    /// The value of an environment variable.
    public static func environment(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }

    /// Reads the file, claims the next session number (writing its `started` record) and
    /// returns it with the newest cells of earlier sessions within `limits`. A missing or
    /// unreadable file gives session 1 and no cells.
    public func open() -> (session: Int, entries: [History.Entry]) {
        writer.withFileLock {
            let bytes = Self.read(path, limits: limits)
            let records = Self.records(in: bytes)
            // A torn last line (a crash mid-write) would swallow the next record: end it first.
            if let last = bytes.last, last != UInt8(ascii: "\n") { writer.enqueue(bytes: [UInt8(ascii: "\n")]) }
            let session = (records.map(\.session).max() ?? 0) + 1
            writer.noteFileRecords(records.count)
            writer.enqueue(HistoryStoreRecord.started(session: session, at: Timestamp.now()))
            return (session, Self.newest(records.compactMap(\.entry), within: limits))
        }
    }

    /// Queues `entry` for writing; returns at once.
    public func append(_ entry: History.Entry) { writer.enqueue(HistoryStoreRecord.cell(entry)) }

    /// Waits up to `timeout` seconds until everything queued is written (for tests and exit).
    @discardableResult
    public func flush(timeout: Double) -> Bool { writer.flush(timeout: timeout) }

    /// The last bytes of the history file, from the start of a line: at most a little more than
    /// the compaction threshold (a file grown larger by other means is read from its tail); empty
    /// when it is missing or not a regular file (a device such as /dev/full reads forever).
    static func read(_ path: String, limits: History.Limits) -> [UInt8] {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, let file = fopen(path, "rb") else { return [] }
        defer { fclose(file) }
        let limit = 2 * limits.maxBytes + 256 * limits.maxEntries + (1 << 20)
        let size = Int(info.st_size)
        let start = max(0, size - limit)
        guard fseek(file, start, SEEK_SET) == 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: min(size, limit))
        let count = bytes.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
        bytes.removeLast(bytes.count - count)
        guard start > 0 else { return bytes }
        return Array(bytes.drop { $0 != UInt8(ascii: "\n") }.dropFirst()) // a partial first line
    }

    /// The records of a file's bytes, in order; lines that do not parse are skipped.
    static func records(in bytes: [UInt8]) -> [HistoryStoreRecord] {
        bytes.split(separator: UInt8(ascii: "\n")).compactMap { line in
            (try? JSON.parse(Array(line))).flatMap(HistoryStoreRecord.init(json:))
        }
    }

    /// The newest `entries` that fit in `limits` (each cell cut as `History` cuts it).
    static func newest(_ entries: [History.Entry], within limits: History.Limits) -> [History.Entry] {
        var kept: [History.Entry] = []
        var bytes = 0
        for entry in entries.reversed() {
            var entry = entry
            entry.input = HistoryTruncation.cut(entry.input, toBytes: limits.maxEntryBytes)
            entry.output = entry.output.map { HistoryTruncation.cut($0, toBytes: limits.maxEntryBytes) }
            let size = entry.input.utf8.count + (entry.output?.utf8.count ?? 0)
            guard kept.count < limits.maxEntries, bytes + size <= limits.maxBytes else { break }
            kept.append(entry)
            bytes += size
        }
        return kept.reversed()
    }
}
