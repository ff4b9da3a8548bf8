import CZeroMQ

/// The heartbeat: a REP socket on its own thread that echoes every ping, so a busy shell never
/// looks dead to the frontend.
final class Heartbeat: @unchecked Sendable {
    private let socket: ZMQSocket

    init(context: ZMQContext, address: String) throws {
        socket = try ZMQSocket(context, type: ZMQ_REP)
        try socket.bind(address)
    }

    /// Echoes until the context shuts down.
    func run() {
        while let frames = socket.receive() {
            socket.send(frames)
        }
        socket.close(linger: 0)
    }
}
