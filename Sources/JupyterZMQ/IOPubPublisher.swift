import CZeroMQ
import Jupyter

/// The one thread that owns the iopub socket (XPUB). Other threads hand it signed frames
/// through `inproc://iopub` PUSH sockets; it forwards them in arrival order. When a client
/// subscribes it sends an `iopub_welcome` (JEP 65), so clients know iopub is connected.
final class IOPubPublisher: @unchecked Sendable {
    static let endpoint = "inproc://xling-iopub"
    static let stopFrame: [UInt8] = Array("xling-stop-iopub".utf8)

    private let xpub: ZMQSocket
    private let pull: ZMQSocket
    private let welcome: ([UInt8]) -> [[UInt8]]

    /// Binds the XPUB socket to `address` and the inproc PULL endpoint.
    /// `welcome(topic)` makes the signed frames of an `iopub_welcome` message.
    init(context: ZMQContext, address: String, welcome: @escaping ([UInt8]) -> [[UInt8]]) throws {
        xpub = try ZMQSocket(context, type: ZMQ_XPUB)
        xpub.setOption(ZMQ_XPUB_VERBOSE, 1)
        xpub.limitInbound(bytes: ZMQKernelServer.smallMessageBytes)
        try xpub.bind(address)
        pull = try ZMQSocket(context, type: ZMQ_PULL)
        try pull.bind(Self.endpoint)
        self.welcome = welcome
    }

    /// Runs until a stop frame arrives; then forwards what is still queued and closes.
    func run() {
        while true {
            let ready = ZMQSocket.poll([pull, xpub], timeout: -1)
            if ready[1], let frames = xpub.receive(dontWait: true), let first = frames.first, first.first == 1 {
                xpub.send(welcome(Array(first.dropFirst())))
            }
            if ready[0] {
                while let frames = pull.receive(dontWait: true) {
                    if frames == [Self.stopFrame] {
                        while let rest = pull.receive(dontWait: true), rest != [Self.stopFrame] { xpub.send(rest) }
                        pull.close(linger: 0)
                        xpub.close(linger: 1000)
                        return
                    }
                    xpub.send(frames)
                }
            }
        }
    }
}
