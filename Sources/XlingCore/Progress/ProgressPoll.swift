import Synchronization

/// A `ProgressHandler` shared by worker threads that poll it within a step: calls are made
/// under a lock, one at a time, with the `report` given at creation marked `isPoll`; the first
/// `.stop` is remembered so every later poll (from any thread) answers `.stop` without calling
/// the handler again.
///
/// Thread-safety: the handler itself need not be `Sendable`; it is only ever called under the
/// lock, while the thread that owns it waits for the workers (use it inside
/// `withoutActuallyEscaping`, as `CooccurrenceShardRunner` does).
public final class ProgressPoll: @unchecked Sendable {
    private let lock = Mutex(0)
    private let stopped = Atomic<Bool>(false)
    private let handler: ProgressHandler
    private let report: Progress

    /// Polls `handler` with `report` (sent with `isPoll == true`).
    public init(_ handler: @escaping ProgressHandler, report: Progress) {
        self.handler = handler
        self.report = report.asPoll
    }

    /// `.stop` once the handler has said so (now or earlier, on any thread).
    public func poll() -> ProgressAction {
        if stopped.load(ordering: .relaxed) { return .stop }
        let action = lock.withLock { _ in handler(report) }
        if action == .stop { stopped.store(true, ordering: .relaxed) }
        return action
    }

    /// Whether any poll answered `.stop`.
    public var wasStopped: Bool { stopped.load(ordering: .relaxed) }
}
