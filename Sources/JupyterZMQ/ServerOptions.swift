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

    /// 256 MiB: far above any request a frontend sends (a large pasted cell is a few MB).
    public static let defaultMaxMessageBytes = 256 << 20

    /// Creates options; the defaults are those of the table above.
    public init(
        maxMessageBytes: Int = ServerOptions.defaultMaxMessageBytes, history: History.Limits = .standard,
        captureOutput: Bool = true
    ) {
        self.maxMessageBytes = max(1024, maxMessageBytes)
        self.history = history
        self.captureOutput = captureOutput
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
            history: history, captureOutput: getenv("XLING_NO_CAPTURE") == nil)
    }
}
