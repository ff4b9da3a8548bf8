import Jupyter

#if canImport(Glibc)
import Glibc
#endif

/// The settings of a served kernel that an administrator may change through the environment.
///
/// | variable | default | meaning |
/// |---|---|---|
/// | `XLING_MAX_MESSAGE_BYTES` | 268435456 (256 MiB) | the largest inbound frame and multipart message |
/// | `XLING_HISTORY_CELLS` | 10000 | cells kept for `history_request` |
/// | `XLING_HISTORY_BYTES` | 67108864 (64 MiB) | bytes of cell text kept for `history_request` |
/// | `XLING_HISTORY_FILE` | see below | the history kept across restarts; empty or `off`: none |
///
/// The history file (`HistoryStore`) is by default `$XDG_DATA_HOME/xling/history.jsonl`, else
/// `~/.local/share/xling/history.jsonl`.
/// | `XLING_NO_CAPTURE` | unset | when set, stdout/stderr are not sent to the notebook |
public struct ServerOptions: Sendable, Equatable {
    /// The largest inbound frame, and the largest sum of a multipart message's frames, on
    /// shell, control and stdin. A peer that sends a larger frame is disconnected by libzmq
    /// (`ZMQ_MAXMSGSIZE`) before the frame is buffered; a message whose frames add up to more
    /// is dropped and logged. Heartbeat and iopub subscriptions take at most 1 MiB.
    public var maxMessageBytes: Int
    /// How much history the kernel keeps.
    public var history: History.Limits
    /// Whether fds 1 and 2 are redirected into the notebook.
    public var captureOutput: Bool
    /// The history file kept across restarts (`HistoryStore`), or nil for memory only.
    public var historyFile: String?

    /// 256 MiB: far above any request a frontend sends (a large pasted cell is a few MB).
    public static let defaultMaxMessageBytes = 256 << 20

    /// Creates options; the defaults are those of the table above.
    public init(
        maxMessageBytes: Int = ServerOptions.defaultMaxMessageBytes, history: History.Limits = .standard,
        captureOutput: Bool = true, historyFile: String? = nil
    ) {
        self.maxMessageBytes = max(1024, maxMessageBytes)
        self.history = history
        self.captureOutput = captureOutput
        self.historyFile = historyFile
    }

    /// Options from the process environment; `warn` receives one line per variable that is
    /// set but not a positive integer (its default is used).
    public static func fromEnvironment(warn: (String) -> Void) -> ServerOptions {
        func integer(_ name: String, _ fallback: Int) -> Int {
            guard let raw = getenv(name) else { return fallback }
            let text = String(cString: raw)
            guard let value = Int(text), value > 0 else {
                warn("\(name)=\(text) is not a positive integer; using \(fallback)")
                return fallback
            }
            return value
        }
        let history = History.Limits(
            maxEntries: integer("XLING_HISTORY_CELLS", History.Limits.standard.maxEntries),
            maxBytes: integer("XLING_HISTORY_BYTES", History.Limits.standard.maxBytes))
        return ServerOptions(
            maxMessageBytes: integer("XLING_MAX_MESSAGE_BYTES", defaultMaxMessageBytes),
            history: history, captureOutput: getenv("XLING_NO_CAPTURE") == nil,
            historyFile: historyFile(HistoryStore.environment))
    }

    /// The history file from `XLING_HISTORY_FILE` (empty, `off` or `none`: no file), else the
    /// per-user default (`HistoryStore.defaultPath`).
    public static func historyFile(_ environment: (String) -> String?) -> String? {
        guard let configured = environment("XLING_HISTORY_FILE") else { return HistoryStore.defaultPath(environment: environment) }
        return ["", "off", "none"].contains(configured.lowercased()) ? nil : configured
    }

    /// The kernel's history: backed by `historyFile` when there is one, else memory only.
    public func makeHistory(log: @escaping @Sendable (String) -> Void) -> History {
        guard let historyFile else { return History(limits: history) }
        return History(store: HistoryStore(path: historyFile, limits: history, log: log), limits: history)
    }
}
