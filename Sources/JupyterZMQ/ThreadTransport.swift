import CZeroMQ
import Jupyter

/// The transport of one serving thread (shell or control): replies go out on that thread's
/// own ROUTER socket, iopub frames through its PUSH socket to the publisher, and stdin (shell
/// only) on the stdin ROUTER it owns. No socket is ever used from another thread.
final class ThreadTransport: KernelTransport, @unchecked Sendable {
    private let requests: ZMQSocket
    private let iopub: ZMQSocket
    private let stdin: ZMQSocket?
    private let capture: OutputCapture?

    init(requests: ZMQSocket, iopub: ZMQSocket, stdin: ZMQSocket? = nil, capture: OutputCapture? = nil) {
        self.requests = requests
        self.iopub = iopub
        self.stdin = stdin
        self.capture = capture
    }

    func send(_ frames: [[UInt8]], on channel: Channel) {
        switch channel {
        case .iopub: iopub.send(frames)
        case .stdin: stdin?.send(frames, dontWait: true)
        default: requests.send(frames, dontWait: true)
        }
    }

    /// Polls stdin in 50 ms slices so an interrupt ends the wait promptly.
    func receiveStdin(cancellation: CancellationToken) -> [[UInt8]]? {
        guard let stdin else { return nil }
        while !cancellation.isCancelled {
            if ZMQSocket.poll([stdin], timeout: 50)[0], let frames = stdin.receive(dontWait: true) { return frames }
        }
        return nil
    }

    func drainCapturedOutput() -> [(name: String, text: String)] { capture?.drain() ?? [] }
}
