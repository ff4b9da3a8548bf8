import Jupyter

/// The contents of a Jupyter connection file: transport, ip, five ports, key and scheme.
public struct ConnectionInfo: Sendable, Equatable {
    /// `tcp` or `ipc` (field `transport`, default `tcp`).
    public var transport: String
    /// The address to bind: an IP for tcp, a file path prefix for ipc (default `127.0.0.1`).
    public var ip: String
    /// The shell ROUTER port (`shell_port`): execute, complete, inspect requests.
    public var shellPort: Int
    /// The iopub PUB port (`iopub_port`): status, streams, display data.
    public var iopubPort: Int
    /// The stdin ROUTER port (`stdin_port`): `input_request`/`input_reply`.
    public var stdinPort: Int
    /// The control ROUTER port (`control_port`): shutdown and interrupt requests.
    public var controlPort: Int
    /// The heartbeat REP port (`hb_port`), which echoes pings.
    public var hbPort: Int
    /// The HMAC key for signing messages; empty disables signing.
    public var key: String
    /// The signing scheme; only `hmac-sha256` is accepted (when `key` is non-empty).
    public var signatureScheme: String

    /// Parses a connection file's JSON; names the missing or ill-typed field.
    public init(json: JSON) throws(ConnectionError) {
        func string(_ name: String, default value: String? = nil) throws(ConnectionError) -> String {
            if let s = json[name]?.stringValue { return s }
            if let value { return value }
            throw ConnectionError("connection file has no string field '\(name)'")
        }
        func port(_ name: String) throws(ConnectionError) -> Int {
            guard let p = json[name]?.intValue, (0...65535).contains(p) else {
                throw ConnectionError("connection file has no valid port '\(name)'")
            }
            return p
        }
        transport = try string("transport", default: "tcp")
        ip = try string("ip", default: "127.0.0.1")
        shellPort = try port("shell_port")
        iopubPort = try port("iopub_port")
        stdinPort = try port("stdin_port")
        controlPort = try port("control_port")
        hbPort = try port("hb_port")
        key = try string("key", default: "")
        signatureScheme = try string("signature_scheme", default: "hmac-sha256")
        guard signatureScheme == "hmac-sha256" || key.isEmpty else {
            throw ConnectionError("signature scheme '\(signatureScheme)' is not supported; use hmac-sha256")
        }
        guard transport == "tcp" || transport == "ipc" else {
            throw ConnectionError("transport '\(transport)' is not supported; use tcp or ipc")
        }
    }

    /// Reads and parses the connection file at `path`.
    public static func load(path: String) throws(ConnectionError) -> ConnectionInfo {
        guard let bytes = FileBytes.read(path) else { throw ConnectionError("cannot read connection file \(path)") }
        let json: JSON
        do { json = try JSON.parse(bytes) } catch { throw ConnectionError("connection file \(path): \(error)") }
        return try ConnectionInfo(json: json)
    }

    /// The ZeroMQ endpoint for `port` (`tcp://ip:port`, or `ipc://ip-port` as jupyter_client
    /// names IPC files).
    public func endpoint(_ port: Int) -> String {
        transport == "ipc" ? "ipc://\(ip)-\(port)" : "tcp://\(ip):\(port)"
    }
}

/// A connection file that cannot be used; the message names the problem.
public struct ConnectionError: Error, CustomStringConvertible {
    /// What is wrong, naming the file, field or value.
    public let description: String
    /// Creates an error with the given message.
    public init(_ description: String) { self.description = description }
}
