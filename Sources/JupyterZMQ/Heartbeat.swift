import CZeroMQ

/// The heartbeat: a REP socket on its own thread that echoes every ping, so a busy shell never
/// looks dead to the frontend.
final class Heartbeat: @unchecked Sendable {
    private let socket: ZMQSocket

    /// Binds a REP socket to `address` that takes pings of at most `maxMessageBytes`.
    init(context: ZMQContext, address: String, maxMessageBytes: Int) throws {
        socket = try ZMQSocket(context, type: ZMQ_REP)
        socket.limitInbound(bytes: maxMessageBytes)
        try socket.bind(address)
    }

    /// Echoes until the context shuts down (an oversized ping gets an empty frame back, since a
    /// REP socket must answer before it can receive again).
    func run() {
        while let frames = socket.receive() {
            socket.send(frames.isEmpty ? [[]] : frames)
        }
        socket.close(linger: 0)
    }
}
