/// The protocol version this kernel speaks, in headers and `kernel_info_reply`.
public let jupyterProtocolVersion = "5.3"

/// A Jupyter message: the four JSON parts plus binary buffers, and the ZeroMQ routing
/// identities that precede the `<IDS|MSG>` delimiter on ROUTER sockets.
///
/// Invariant: `header` is an object holding `msg_id`, `session`, `username`, `date`,
/// `msg_type` and `version` for every message this kernel creates.
public struct Message: Sendable, Equatable {
    /// ZeroMQ routing frames before `<IDS|MSG>`: the client's identities on ROUTER channels, the topic on iopub.
    public var identities: [[UInt8]]
    /// The header object (`msg_id`, `session`, `msg_type`, `date`, …).
    public var header: JSON
    /// The header of the request this message answers; `{}` when it answers none.
    public var parentHeader: JSON
    /// The metadata object (e.g. `{"status": "ok"}` on execute replies).
    public var metadata: JSON
    /// The content object, whose shape depends on `msg_type`.
    public var content: JSON
    /// Raw binary buffers after the four JSON frames; not covered by the signature.
    public var buffers: [[UInt8]]

    /// Creates a message from its parts.
    public init(
        identities: [[UInt8]] = [], header: JSON, parentHeader: JSON = .emptyObject,
        metadata: JSON = .emptyObject, content: JSON, buffers: [[UInt8]] = []
    ) {
        self.identities = identities
        self.header = header
        self.parentHeader = parentHeader
        self.metadata = metadata
        self.content = content
        self.buffers = buffers
    }

    /// `header.msg_type`, or the empty string when absent.
    public var msgType: String { header["msg_type"]?.stringValue ?? "" }

    /// `header.msg_id`, or the empty string when absent.
    public var msgID: String { header["msg_id"]?.stringValue ?? "" }
}

/// Makes message headers for one kernel session: a fresh `msg_id` each, the session id, the
/// current UTC time in ISO 8601 with microseconds.
public struct HeaderFactory: Sendable {
    /// The session id of this kernel process (new at every start, so a restart is visible).
    public let session: String
    /// The user name reported in headers.
    public let username: String

    /// Creates a factory with a random session id.
    public init(username: String = "xling") {
        self.session = MessageID.make()
        self.username = username
    }

    /// A new header for a message of type `msgType`.
    public func header(_ msgType: String) -> JSON {
        .object([
            "msg_id": .string(MessageID.make()),
            "session": .string(session),
            "username": .string(username),
            "date": .string(Timestamp.now()),
            "msg_type": .string(msgType),
            "version": .string(jupyterProtocolVersion),
        ])
    }
}
