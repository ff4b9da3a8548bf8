import Synchronization

/// The process-wide interrupt generation. An `interrupt_request` on the control thread and a
/// SIGINT both bump it; a `CancellationToken` made before the bump then reports cancelled.
///
/// Bumping is lock-free and async-signal-safe, so the SIGINT handler may call `raise()`.
public enum Interrupts {
    static let generation = Atomic<Int>(0)

    /// Requests that the running cell (if any) stop.
    public static func raise() { generation.add(1, ordering: .sequentiallyConsistent) }

    /// The current generation.
    public static var current: Int { generation.load(ordering: .sequentiallyConsistent) }
}

/// Tells long-running work whether it should stop. Made at the start of each execute request;
/// cancelled by any interrupt raised after that point.
public struct CancellationToken: Sendable {
    private let start: Int

    /// A token that sees interrupts raised from now on.
    public init() { start = Interrupts.current }

    /// Whether an interrupt arrived since this token was made.
    public var isCancelled: Bool { Interrupts.current != start }

    /// Throws `Interrupted` when cancelled; call it in every long loop.
    public func check() throws(Interrupted) {
        if isCancelled { throw Interrupted() }
    }
}

/// The error a cancelled execution ends with; shown as `KeyboardInterrupt`, as IPython does.
public struct Interrupted: Error, Equatable {
    /// Creates the error.
    public init() {}
}
