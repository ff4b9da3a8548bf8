import CZeroMQ

#if canImport(Glibc)
import Glibc
#endif

/// A ZeroMQ failure, with the call and libzmq's message.
public struct ZMQError: Error, CustomStringConvertible {
    /// The failing call and libzmq's `zmq_strerror` text, e.g. `bind tcp://127.0.0.1:5555: Address already in use`.
    public let description: String
    init(_ call: String) { description = "\(call): \(String(cString: zmq_strerror(zmq_errno())))" }
}

/// One ZeroMQ context per kernel process.
final class ZMQContext: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer

    init() throws {
        guard let handle = zmq_ctx_new() else { throw ZMQError("zmq_ctx_new") }
        self.handle = handle
    }

    /// Makes blocking calls on all sockets return ETERM (for shutdown).
    func shutdown() { zmq_ctx_shutdown(handle) }

    /// Waits for all sockets to close, then frees the context.
    func terminate() { while zmq_ctx_term(handle) != 0 && zmq_errno() == EINTR {} }
}

/// A socket owned by exactly one thread (ZeroMQ sockets are not thread-safe). Multipart
/// messages are `[[UInt8]]`, one array per frame.
final class ZMQSocket: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer
    /// The most bytes `receive` copies out of one multipart message (`limitInbound(bytes:)`).
    private(set) var maxMessageBytes = Int.max

    init(_ context: ZMQContext, type: Int32) throws {
        guard let handle = zmq_socket(context.handle, type) else { throw ZMQError("zmq_socket") }
        self.handle = handle
        setOption(ZMQ_LINGER, 1000)
    }

    func setOption(_ option: Int32, _ value: Int32) {
        var v = value
        zmq_setsockopt(handle, option, &v, MemoryLayout<Int32>.size)
    }

    /// Bounds inbound messages to `bytes`: libzmq disconnects a peer that sends a larger frame
    /// (`ZMQ_MAXMSGSIZE`, checked before the frame is buffered), and `receive` returns `[]`
    /// for a multipart message whose frames add up to more.
    func limitInbound(bytes: Int) {
        maxMessageBytes = bytes
        var v = Int64(bytes)
        zmq_setsockopt(handle, ZMQ_MAXMSGSIZE, &v, MemoryLayout<Int64>.size)
    }

    func bind(_ endpoint: String) throws {
        guard zmq_bind(handle, endpoint) == 0 else { throw ZMQError("bind \(endpoint)") }
    }

    func connect(_ endpoint: String) throws {
        guard zmq_connect(handle, endpoint) == 0 else { throw ZMQError("connect \(endpoint)") }
    }

    /// Sends all frames as one multipart message; false when the socket refused (e.g. a
    /// ROUTER with an unknown peer, or the context is shutting down).
    @discardableResult
    func send(_ frames: [[UInt8]], dontWait: Bool = false) -> Bool {
        for (i, frame) in frames.enumerated() {
            var flags: Int32 = i < frames.count - 1 ? ZMQ_SNDMORE : 0
            if dontWait { flags |= ZMQ_DONTWAIT }
            while true {
                let rc = frame.withUnsafeBytes { zmq_send(handle, $0.baseAddress, frame.count, flags) }
                if rc >= 0 { break }
                if zmq_errno() == EINTR { continue }
                return false
            }
        }
        return true
    }

    /// Receives one multipart message; nil when `dontWait` and nothing is queued, or on
    /// ETERM. Interrupted waits (EINTR) are retried. A message larger than `maxMessageBytes`
    /// in total is read to its end but not kept: the result is `[]`.
    func receive(dontWait: Bool = false) -> [[UInt8]]? {
        var frames: [[UInt8]] = []
        var total = 0
        var message = zmq_msg_t()
        zmq_msg_init(&message)
        defer { zmq_msg_close(&message) }
        while true {
            let rc = zmq_msg_recv(&message, handle, dontWait ? ZMQ_DONTWAIT : 0)
            if rc < 0 {
                if zmq_errno() == EINTR { continue }
                return nil
            }
            let size = zmq_msg_size(&message)
            total = total > maxMessageBytes ? total : total + size
            if total > maxMessageBytes {
                frames = []
            } else if let data = zmq_msg_data(&message), size > 0 {
                frames.append(Array(UnsafeRawBufferPointer(start: data, count: size)))
            } else {
                frames.append([])
            }
            if zmq_msg_more(&message) == 0 { return total > maxMessageBytes ? [] : frames }
        }
    }

    func close(linger: Int32 = 1000) {
        setOption(ZMQ_LINGER, linger)
        zmq_close(handle)
    }

    /// Waits until one of `sockets` is readable or `timeout` ms pass (-1: forever);
    /// returns the readable flags. EINTR (a signal such as SIGINT) ends the wait early with
    /// no socket readable, so callers re-check their state and poll again.
    static func poll(_ sockets: [ZMQSocket], timeout: Int) -> [Bool] {
        var items = sockets.map { zmq_pollitem_t(socket: $0.handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0) }
        let rc = zmq_poll(&items, Int32(items.count), timeout)
        if rc <= 0 { return Array(repeating: false, count: sockets.count) }
        return items.map { $0.revents & Int16(ZMQ_POLLIN) != 0 }
    }
}
