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
    /// No completions: an empty match list at `cursor`.
    public func complete(_ code: String, cursor: Int) -> Completion { Completion(matches: [], start: cursor, end: cursor) }
    /// No help: always nil.
    public func inspect(_ code: String, cursor: Int, detailLevel: Int) -> MimeBundle? { nil }
    /// Always `unknown`, so the frontend decides.
    public func isComplete(_ code: String) -> CompletenessStatus { .unknown }
    /// Throws `NotImplementedError`: user expressions are unsupported by default.
    public func evaluate(expression: String, context: ExecutionContext) throws -> MimeBundle {
        throw ExecutionError(name: "NotImplementedError", value: "user_expressions are not supported")
    }
}

/// The static description of a kernel for `kernel_info_reply`.
public struct KernelInfo: Sendable {
    /// The kernel's implementation name (`implementation`), e.g. `xling`.
    public var implementation: String
    /// The implementation's version (`implementation_version`).
    public var implementationVersion: String
    /// The `language_info` object: name, version, mimetype, file extension, lexer.
    public var languageInfo: JSON
    /// The text a console shows on start (`banner`).
    public var banner: String
    /// Links for the frontend's help menu (`help_links`).
    public var helpLinks: [(text: String, url: String)]

    /// Creates a description; no help links by default.
    public init(
        implementation: String, implementationVersion: String, languageInfo: JSON, banner: String,
        helpLinks: [(text: String, url: String)] = []
    ) {
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
    /// The `execute_result` bundle, or nil when the cell has no value.
    public var data: MimeBundle?
    /// The `execute_result` metadata.
    public var metadata: JSON
    /// Payloads of the `execute_reply` (pager pages and the like).
    public var payload: [JSON]

    /// Creates a result; all parts default to empty.
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
    /// The error's class name (`ename`), e.g. `UsageError`, `KeyboardInterrupt`.
    public var name: String
    /// The error's message (`evalue`).
    public var value: String
    /// The traceback lines shown by the frontend; may hold ANSI colour codes.
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
    /// The completion texts, each replacing `start..<end`.
    public var matches: [String]
    /// Start of the replaced range (`cursor_start`), in Unicode-scalar offsets.
    public var start: Int
    /// End of the replaced range (`cursor_end`), in Unicode-scalar offsets.
    public var end: Int
    /// Extra data for the frontend (`metadata`); `{}` unless the interpreter adds some.
    public var metadata: JSON

    /// Creates a completion; metadata defaults to `{}`.
    public init(matches: [String], start: Int, end: Int, metadata: JSON = .emptyObject) {
        self.matches = matches
        self.start = start
        self.end = end
        self.metadata = metadata
    }
}

/// An `is_complete_reply` status.
public enum CompletenessStatus: Sendable, Equatable {
    /// The code can run as is.
    case complete
    /// The code needs more lines; `indent` is suggested for the next one.
    case incomplete(indent: String)
    /// The code cannot run (a syntax error); the frontend runs it to show the error.
    case invalid
    /// Undecided; the frontend falls back to its own rules.
    case unknown
}
