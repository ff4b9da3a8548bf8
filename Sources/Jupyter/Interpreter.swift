/// A MIME bundle: MIME type → data (a string for text and SVG, JSON for JSON types).
public typealias MimeBundle = [String: JSON]

/// What a language front end gives the kernel: the one extension point of the kernel (xeus'
/// `xinterpreter`). The kernel owns execution counting, `execute_input`, busy/idle, parent
/// headers, reply envelopes, history and error replies; the interpreter only runs code.
///
/// All methods are called on the shell thread, one at a time.
public protocol Interpreter: AnyObject {
    /// The `language_info`, banner and help links of `kernel_info_reply`.
    var info: KernelInfo { get }

    /// Runs one cell. Outputs go to `context`; the returned bundle (if any) becomes the
    /// cell's `execute_result`. Throw `ExecutionError` (or `Interrupted`) to fail the cell.
    func execute(_ code: String, context: ExecutionContext) throws -> ExecutionResult

    /// Completions at `cursor` (counted in Unicode scalars, as the protocol says).
    func complete(_ code: String, cursor: Int) -> Completion

    /// Help for the token at `cursor`, or nil when there is none.
    func inspect(_ code: String, cursor: Int, detailLevel: Int) -> MimeBundle?

    /// Whether `code` is ready to run (`complete`, `incomplete` with an indent, `invalid`).
    func isComplete(_ code: String) -> CompletenessStatus

    /// Evaluates one `user_expressions` entry to a MIME bundle.
    func evaluate(expression: String, context: ExecutionContext) throws -> MimeBundle
}

extension Interpreter {
    public func complete(_ code: String, cursor: Int) -> Completion { Completion(matches: [], start: cursor, end: cursor) }
    public func inspect(_ code: String, cursor: Int, detailLevel: Int) -> MimeBundle? { nil }
    public func isComplete(_ code: String) -> CompletenessStatus { .unknown }
    public func evaluate(expression: String, context: ExecutionContext) throws -> MimeBundle {
        throw ExecutionError(name: "NotImplementedError", value: "user_expressions are not supported")
    }
}

/// The static description of a kernel for `kernel_info_reply`.
public struct KernelInfo: Sendable {
    public var implementation: String
    public var implementationVersion: String
    public var languageInfo: JSON
    public var banner: String
    public var helpLinks: [(text: String, url: String)]

    public init(implementation: String, implementationVersion: String, languageInfo: JSON, banner: String,
                helpLinks: [(text: String, url: String)] = []) {
        self.implementation = implementation
        self.implementationVersion = implementationVersion
        self.languageInfo = languageInfo
        self.banner = banner
        self.helpLinks = helpLinks
    }
}

/// The value of a finished cell: an optional `execute_result` bundle and reply payloads
/// (e.g. a pager page, `{"source": "page", "data": …, "start": 0}`).
public struct ExecutionResult: Sendable {
    public var data: MimeBundle?
    public var metadata: JSON
    public var payload: [JSON]

    public init(data: MimeBundle? = nil, metadata: JSON = .emptyObject, payload: [JSON] = []) {
        self.data = data
        self.metadata = metadata
        self.payload = payload
    }

    /// A cell with no value.
    public static let none = ExecutionResult()
}

/// A failed cell, rendered as an `error` message and an error reply.
public struct ExecutionError: Error, Sendable, Equatable {
    public var name: String
    public var value: String
    public var traceback: [String]

    /// Creates an error; the traceback defaults to one line `name: value`.
    public init(name: String, value: String, traceback: [String]? = nil) {
        self.name = name
        self.value = value
        self.traceback = traceback ?? ["\(name): \(value)"]
    }
}

/// A `complete_reply`: matches replacing the scalar range `start..<end` of the code.
public struct Completion: Sendable, Equatable {
    public var matches: [String]
    public var start: Int
    public var end: Int
    public var metadata: JSON

    public init(matches: [String], start: Int, end: Int, metadata: JSON = .emptyObject) {
        self.matches = matches
        self.start = start
        self.end = end
        self.metadata = metadata
    }
}

/// An `is_complete_reply` status.
public enum CompletenessStatus: Sendable, Equatable {
    case complete
    case incomplete(indent: String)
    case invalid
    case unknown
}
