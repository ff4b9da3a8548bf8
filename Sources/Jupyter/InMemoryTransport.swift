/// A transport that keeps sent frames in memory and answers stdin from a script: the kernel's
/// conversations are tested through it without sockets (like swift-nio's `EmbeddedChannel`).
public final class InMemoryTransport: KernelTransport, @unchecked Sendable {
    /// Every message sent, decoded, in order, with its channel.
    public private(set) var sent: [(channel: Channel, message: Message)] = []
    /// Raw frames as sent, in order.
    public private(set) var sentFrames: [(channel: Channel, frames: [[UInt8]])] = []
    /// Answers to `input_request`s, consumed in order (frames to hand back on stdin).
    public var stdinReplies: [[[UInt8]]] = []
    /// Text to report as captured process output at the next drain.
    public var pendingCapturedOutput: [(name: String, text: String)] = []
    private let decoder: WireCodec

    /// Creates a transport that decodes what it records with an unsigned codec copy that
    /// never rejects replays (`key` must match the kernel's to check signatures).
    public init(key: String) {
        decoder = WireCodec(signer: MessageSigner(key: key, historyLimit: Int.max))
    }

    /// Records the frames and, when they decode, the message; see `KernelTransport.send`.
    public func send(_ frames: [[UInt8]], on channel: Channel) {
        sentFrames.append((channel, frames))
        if let message = try? decoder.decode(frames) { sent.append((channel, message)) }
    }

    /// The next scripted reply from `stdinReplies`, or nil when none is left or cancelled; see `KernelTransport.receiveStdin`.
    public func receiveStdin(cancellation: CancellationToken) -> [[UInt8]]? {
        if cancellation.isCancelled || stdinReplies.isEmpty { return nil }
        return stdinReplies.removeFirst()
    }

    /// Returns and clears `pendingCapturedOutput`; see `KernelTransport.drainCapturedOutput`.
    public func drainCapturedOutput() -> [(name: String, text: String)] {
        defer { pendingCapturedOutput = [] }
        return pendingCapturedOutput
    }

    /// Forgets what was sent so far.
    public func reset() {
        sent = []
        sentFrames = []
    }
}
