import Jupyter

/// The contents of a Jupyter connection file: transport, ip, five ports, key and scheme.
public struct ConnectionInfo: Sendable, Equatable {
    public var transport: String
    public var ip: String
    public var shellPort: Int
    public var iopubPort: Int
    public var stdinPort: Int
    public var controlPort: Int
    public var hbPort: Int
    public var key: String
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
    public let description: String
    public init(_ description: String) { self.description = description }
}
