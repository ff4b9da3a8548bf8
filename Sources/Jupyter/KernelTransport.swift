/// The five channels of a kernel connection.
public enum Channel: String, Sendable {
    case shell, control, stdin, iopub, heartbeat
}

/// How the kernel core reaches the wire. The ZeroMQ implementation routes each channel to the
/// socket owned by the calling thread; the in-memory one records frames for tests.
///
/// `send` is called from the thread that serves the request (shell or control); iopub frames
/// may be sent from either.
public protocol KernelTransport: AnyObject {
    /// Sends signed frames on `channel`.
    func send(_ frames: [[UInt8]], on channel: Channel)

    /// Waits for the next message on stdin (an `input_reply`); nil when `cancellation` fires
    /// first.
    func receiveStdin(cancellation: CancellationToken) -> [[UInt8]]?

    /// Output the engine wrote to the process's stdout/stderr since the last call, as
    /// (stream name, text) pairs; the kernel forwards it as `stream` messages.
    func drainCapturedOutput() -> [(name: String, text: String)]
}

extension KernelTransport {
    /// No captured output: the default for transports that do not capture the process's streams.
    public func drainCapturedOutput() -> [(name: String, text: String)] { [] }
}

/// What the server loop should do after a request.
public enum Disposition: Sendable, Equatable {
    /// Keep serving.
    case proceed
    /// A cell failed with `stop_on_error` at `failedAt` (epoch seconds): shell requests sent
    /// before that moment are answered `aborted` (pass them to
    /// `Kernel.handle(…, abortingRequestsSentBefore: failedAt)`).
    case abortQueued(failedAt: Double)
    /// Exit the process (the frontend restarts it when `restart` is true).
    case shutdown(restart: Bool)
}
