/// Session settings: the known, typed ones (`seed`, `threads`) and any other `key=value`
/// a user or papermill sets (kept as text, numbers recognised).
public struct Settings: Sendable {
    /// The seed of every random choice of a run (MAGICS.md: one seeded generator per run).
    public var seed: Int = 0
    /// Threads for training and BLAS.
    public var threads: Int = 1
    /// Other settings by name.
    public private(set) var extra: [String: String] = [:]

    /// Keys with their own meaning and validation.
    public static let knownKeys = ["seed", "threads"]

    /// Default settings (seed 0, no extra keys) with `threads` threads.
    public init(threads: Int = 1) { self.threads = threads }

    /// The value of `key` as text, or nil when never set.
    public func value(_ key: String) -> String? {
        switch key {
        case "seed": return String(seed)
        case "threads": return String(threads)
        default: return extra[key]
        }
    }

    /// All settings, known ones first, then the others sorted by name.
    public var all: [(key: String, value: String)] {
        Self.knownKeys.compactMap { key in value(key).map { (key, $0) } }
            + extra.keys.sorted().map { ($0, extra[$0] ?? "") }
    }

    /// Sets `key`; known keys are validated and an invalid value throws a message.
    public mutating func set(_ key: String, to value: String) throws(MagicError) {
        switch key {
        case "seed":
            guard let n = Int(value), n >= 0 else {
                throw MagicError.failed(magic: "set", message: "seed must be a whole number ≥ 0, not `\(value)`")
            }
            seed = n
        case "threads":
            guard let n = Int(value), (1...256).contains(n) else {
                throw MagicError.failed(
                    magic: "set",
                    message: """
                        threads must be a whole number from 1 to 256, not `\(value)`
                        """)
            }
            threads = n
        default:
            extra[key] = value
        }
    }
}
