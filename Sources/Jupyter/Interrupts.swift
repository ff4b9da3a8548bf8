import Synchronization

/// A source of interrupts: a generation counter that an `interrupt_request` or a SIGINT
/// bumps; a `CancellationToken` made before the bump then reports cancelled.
///
/// Bumping is lock-free and async-signal-safe. A kernel owns one source (the process-wide
/// `Interrupts.process` when it serves sockets, so SIGINT reaches it); tests give each kernel
/// its own so that kernels in one process never cancel each other's cells.
public final class InterruptSource: Sendable {
    private let generation = Atomic<Int>(0)

    /// A source no interrupt has reached yet.
    public init() {}

    /// Requests that the running cell (if any) stop.
    public func raise() { generation.add(1, ordering: .sequentiallyConsistent) }

    /// The current generation.
    public var current: Int { generation.load(ordering: .sequentiallyConsistent) }
}

/// The process-wide interrupt source, raised by SIGINT.
public enum Interrupts {
    /// The source SIGINT raises (and the ZeroMQ kernel uses).
    public static let process = InterruptSource()

    /// Raises the process-wide source (safe to call from a signal handler).
    public static func raise() { process.raise() }
}

/// Tells long-running work whether it should stop. Made at the start of each execute request;
/// cancelled by any interrupt of its source raised after that point.
public struct CancellationToken: Sendable {
    private let source: InterruptSource
    private let start: Int

    /// A token that sees interrupts of `source` raised from now on.
    public init(source: InterruptSource = Interrupts.process) {
        self.source = source
        start = source.current
    }

    /// Whether an interrupt arrived since this token was made.
    public var isCancelled: Bool { source.current != start }

    /// Throws `Interrupted` when cancelled; call it in every long loop.
    public func check() throws(Interrupted) {
        if isCancelled { throw Interrupted() }
    }
}

/// The error a cancelled execution ends with; shown as `KeyboardInterrupt`, as IPython does.
public struct Interrupted: Error, Equatable {
    /// The interruption.
    public init() {}
}
