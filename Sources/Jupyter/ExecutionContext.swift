/// What a running cell can do besides returning a value: send outputs to the frontend, ask
/// for input, and see whether it has been interrupted.
///
/// Every output is published on iopub with the execute request as parent before the reply
/// and before `idle`. Not thread-safe: use it from the thread that runs the cell.
public final class ExecutionContext {
    /// The execution count of this cell (the count it will be shown with).
    public let executionCount: Int
    /// Whether the request was `silent` (outputs are then dropped).
    public let silent: Bool
    /// Whether the frontend accepts `input_request`s for this cell.
    public let allowStdin: Bool
    /// Interrupt state for this cell.
    public let cancellation: CancellationToken
    private let publish: (String, JSON, JSON) -> Void
    private let readInput: (String, Bool) throws -> String
    /// Extra payloads collected during the run, appended to the reply.
    public internal(set) var payloads: [JSON] = []

    /// Creates a context. `publish(msgType, content, metadata)` sends on iopub;
    /// `readInput(prompt, password)` performs an `input_request` round trip.
    public init(
        executionCount: Int, silent: Bool, allowStdin: Bool, cancellation: CancellationToken = CancellationToken(),
        publish: @escaping (String, JSON, JSON) -> Void,
        readInput: @escaping (String, Bool) throws -> String
    ) {
        self.executionCount = executionCount
        self.silent = silent
        self.allowStdin = allowStdin
        self.cancellation = cancellation
        self.publish = publish
        self.readInput = readInput
    }

    /// Writes `text` to the `stdout` or `stderr` stream.
    public func stream(_ text: String, name: String = "stdout") {
        guard !silent, !text.isEmpty else { return }
        publish("stream", ["name": .string(name), "text": .string(text)], .emptyObject)
    }

    /// Shows a MIME bundle. With a `displayID`, the display can later be replaced by
    /// `update(_:displayID:)`.
    public func display(_ data: MimeBundle, metadata: JSON = .emptyObject, displayID: String? = nil) {
        guard !silent else { return }
        publish("display_data", Self.displayContent(data, metadata, displayID), .emptyObject)
    }

    /// Replaces the display made with `displayID`, wherever it is shown.
    public func update(_ data: MimeBundle, metadata: JSON = .emptyObject, displayID: String) {
        guard !silent else { return }
        publish("update_display_data", Self.displayContent(data, metadata, displayID), .emptyObject)
    }

    /// Clears the cell's output (`wait`: only when the next output arrives).
    public func clearOutput(wait: Bool = false) {
        guard !silent else { return }
        publish("clear_output", ["wait": .bool(wait)], .emptyObject)
    }

    /// Asks the user for a line of input; throws when the frontend does not allow input.
    public func input(prompt: String, password: Bool = false) throws -> String {
        guard allowStdin else {
            throw ExecutionError(
                name: "StdinNotImplementedError",
                value: """
                    this frontend does not support input requests (allow_stdin is false); pass the answer as an argument \
                    instead
                    """)
        }
        return try readInput(prompt, password)
    }

    /// Adds a reply payload (e.g. a pager page).
    public func addPayload(_ payload: JSON) { payloads.append(payload) }

    static func displayContent(_ data: MimeBundle, _ metadata: JSON, _ displayID: String?) -> JSON {
        var content: [String: JSON] = ["data": .object(data), "metadata": metadata]
        content["transient"] = displayID.map { ["display_id": .string($0)] } ?? .emptyObject
        return .object(content)
    }
}
