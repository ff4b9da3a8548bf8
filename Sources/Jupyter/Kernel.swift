/// The kernel core: decodes requests, keeps the protocol bookkeeping and calls the
/// `Interpreter` (xeus' `xkernel_core`). Transport-agnostic: the same object serves ZeroMQ
/// sockets and the in-memory transport of the tests.
///
/// Threading: shell requests (and their stdin round trips) come from one thread; control
/// requests from another. Only shell requests touch the counter, history and interpreter;
/// control requests read immutable state only, so the two never race.
public final class Kernel: @unchecked Sendable {
    /// Encodes replies and decodes requests, signing with the connection's key.
    public let codec: WireCodec
    /// Makes the headers of every message this kernel sends (one session id per process).
    public let headers: HeaderFactory
    /// The language front end that runs cells; called on the shell thread only.
    public let interpreter: Interpreter
    private let log: @Sendable (String) -> Void
    /// Where this kernel's interrupts come from (`interrupt_request` raises it).
    public let interrupts: InterruptSource
    /// The number the next stored cell gets shown with minus one (IPython's `execution_count`).
    public private(set) var executionCount = 0
    /// The cells run with `store_history`, for `history_request`; changed on the shell thread only.
    public private(set) var history: History
    /// Unknown message types already logged (once each, at most `maxUnknownTypesLogged`);
    /// shared by the shell and control threads, hence the lock.
    private var unknownTypesLogged = Set<String>()
    private let unknownTypesLock = Lock()
    private static let maxUnknownTypesLogged = 256

    /// Creates a kernel core. `log` receives one line per dropped or malformed message;
    /// `historyLimits` bounds what `history_request` can return; a given `history` (e.g. one
    /// backed by a `HistoryStore`) is used instead of an empty one with those limits.
    public init(
        interpreter: Interpreter, signer: MessageSigner, interrupts: InterruptSource = Interrupts.process,
        historyLimits: History.Limits = .standard, history: History? = nil, log: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.history = history ?? History(limits: historyLimits)
        self.interrupts = interrupts
        self.codec = WireCodec(signer: signer)
        self.headers = HeaderFactory()
        self.interpreter = interpreter
        self.log = log
    }

    /// Handles one received multipart message from `channel`. Unsigned, badly signed, replayed
    /// or malformed messages are logged and dropped without any reply; a signed message of an
    /// unknown type gets busy/idle but no reply (its type is logged once).
    ///
    /// With `abortingRequestsSentBefore`, a shell `execute_request` whose header date is earlier
    /// (or unreadable) is answered `aborted` instead of run: it was queued behind a failed cell.
    /// A request sent after the failure, i.e. after the client could see the error, runs. Other
    /// requests (kernel_info, complete, …) are always answered, as in ipykernel.
    @discardableResult
    public func handle(
        _ frames: [[UInt8]], from channel: Channel, via transport: KernelTransport,
        abortingRequestsSentBefore cutoff: Double? = nil
    ) -> Disposition {
        let request: Message
        do {
            request = try codec.decode(frames)
        } catch {
            log("dropped a message on \(channel.rawValue): \(error)")
            return .proceed
        }
        guard request.header["msg_type"]?.stringValue != nil, request.header["msg_id"]?.stringValue != nil else {
            log("dropped a message on \(channel.rawValue): header without msg_type or msg_id")
            return .proceed
        }
        let replier = Replier(kernel: self, request: request, channel: channel, transport: transport)
        replier.publish("status", ["execution_state": "busy"])
        defer { replier.publish("status", ["execution_state": "idle"]) }
        if let cutoff, channel == .shell, request.msgType == "execute_request",
            (request.header["date"]?.stringValue.flatMap(Timestamp.epochSeconds(from:)) ?? -.infinity) < cutoff
        {
            replier.reply(["status": "aborted"], metadata: ["status": "aborted"])
            return .proceed
        }
        switch (request.msgType, channel) {
        case ("kernel_info_request", _):
            replier.reply(kernelInfoContent())
        case ("shutdown_request", _):
            let restart = request.content["restart"]?.boolValue ?? false
            replier.reply(["status": "ok", "restart": .bool(restart)])
            return .shutdown(restart: restart)
        case ("interrupt_request", _):
            interrupts.raise()
            replier.reply(["status": "ok"])
        case ("execute_request", .shell):
            return execute(request, replier)
        case ("complete_request", .shell):
            replier.reply(complete(request.content))
        case ("inspect_request", .shell):
            replier.reply(inspect(request.content))
        case ("is_complete_request", .shell):
            replier.reply(isComplete(request.content))
        case ("history_request", .shell):
            replier.reply(historyReply(request.content))
        case ("comm_info_request", .shell):
            replier.reply(["status": "ok", "comms": .emptyObject])
        case ("comm_open", .shell):
            // No comm targets exist: close what the frontend opens, as ipykernel does.
            let id = request.content["comm_id"] ?? .string("")
            replier.publish("comm_close", ["comm_id": id, "data": .emptyObject])
        case ("comm_msg", .shell), ("comm_close", .shell):
            break
        default:
            logUnknownType(request.msgType, on: channel)
        }
        return .proceed
    }

    /// Logs the first message of each unknown type and channel; later ones silently.
    private func logUnknownType(_ type: String, on channel: Channel) {
        let name = String(type.prefix(80))
        let line: String? = unknownTypesLock.withLock {
            let limit = Self.maxUnknownTypesLogged, key = "\(channel.rawValue) \(name)"
            guard !unknownTypesLogged.contains(key) else { return nil }
            if unknownTypesLogged.count == limit {
                unknownTypesLogged.insert("") // one more entry: the notice below is written once
                return "more than \(limit) unknown message types; further ones are not logged"
            }
            guard unknownTypesLogged.count < limit else { return nil }
            unknownTypesLogged.insert(key)
            return "unknown message type '\(name)' on \(channel.rawValue); not answered (logged once per type)"
        }
        if let line { log(line) }
    }

    func kernelInfoContent() -> JSON {
        let info = interpreter.info
        return [
            "status": "ok",
            "protocol_version": .string(jupyterProtocolVersion),
            "implementation": .string(info.implementation),
            "implementation_version": .string(info.implementationVersion),
            "language_info": info.languageInfo,
            "banner": .string(info.banner),
            "debugger": false,
            "help_links": .array(info.helpLinks.map { ["text": .string($0.text), "url": .string($0.url)] }),
        ]
    }

    // MARK: execute

    private func execute(_ request: Message, _ replier: Replier) -> Disposition {
        let content = request.content
        guard let code = content["code"]?.stringValue else {
            replier.reply(.object(errorContent(ExecutionError(name: "ValueError", value: "execute_request without a string 'code'"))))
            return .proceed
        }
        let silent = content["silent"]?.boolValue ?? false
        let storeHistory = silent ? false : (content["store_history"]?.boolValue ?? true)
        let allowStdin = content["allow_stdin"]?.boolValue ?? true
        let stopOnError = content["stop_on_error"]?.boolValue ?? true
        if storeHistory { executionCount += 1 }
        let count = max(executionCount, 1)
        if !silent {
            replier.publish("execute_input", ["code": .string(code), "execution_count": .int(count)])
        }
        let context = replier.context(executionCount: count, silent: silent, allowStdin: allowStdin)
        var failure: ExecutionError?
        var result = ExecutionResult.none
        do {
            result = try interpreter.execute(code, context: context)
        } catch let error as ExecutionError {
            failure = error
        } catch is Interrupted {
            failure = ExecutionError(
                name: "KeyboardInterrupt", value: "interrupted by the user",
                traceback: ["KeyboardInterrupt: interrupted by the user; the session keeps everything made so far"])
        } catch {
            failure = ExecutionError(name: String(describing: type(of: error)), value: String(describing: error))
        }
        replier.flushCapturedOutput()
        if storeHistory {
            history.append(line: count, input: code, output: result.data?["text/plain"]?.stringValue)
        }
        if let failure {
            if !silent {
                replier.publish(
                    "error",
                    [
                        "ename": .string(failure.name), "evalue": .string(failure.value),
                        "traceback": .array(failure.traceback.map(JSON.string)),
                    ])
            }
            var reply = errorContent(failure)
            reply["execution_count"] = .int(count)
            replier.reply(.object(reply), metadata: ["status": "error"])
            return stopOnError ? .abortQueued(failedAt: Timestamp.epochSeconds()) : .proceed
        }
        if let data = result.data, !silent {
            replier.publish(
                "execute_result",
                [
                    "execution_count": .int(count), "data": .object(data),
                    "metadata": result.metadata,
                ])
        }
        var expressions: [String: JSON] = [:]
        for (name, expression) in content["user_expressions"]?.objectValue ?? [:] {
            guard let text = expression.stringValue else { continue }
            do {
                let bundle = try interpreter.evaluate(
                    expression: text, context: replier.context(executionCount: count, silent: true, allowStdin: false))
                expressions[name] = ["status": "ok", "data": .object(bundle), "metadata": .emptyObject]
            } catch let error as ExecutionError {
                expressions[name] = .object(errorContent(error))
            } catch {
                expressions[name] = .object(errorContent(ExecutionError(name: "Error", value: String(describing: error))))
            }
        }
        replier.reply(
            [
                "status": "ok", "execution_count": .int(count),
                "payload": .array(result.payload + context.payloads),
                "user_expressions": .object(expressions),
            ],
            metadata: ["status": "ok"])
        return .proceed
    }

    private func errorContent(_ error: ExecutionError) -> [String: JSON] {
        [
            "status": "error", "ename": .string(error.name), "evalue": .string(error.value),
            "traceback": .array(error.traceback.map(JSON.string)),
        ]
    }

    // MARK: introspection

    private func cursor(_ content: JSON, code: String) -> Int {
        let length = code.unicodeScalars.count
        guard let position = content["cursor_pos"]?.intValue else { return length }
        return min(max(position, 0), length)
    }

    private func complete(_ content: JSON) -> JSON {
        let code = content["code"]?.stringValue ?? ""
        let completion = interpreter.complete(code, cursor: cursor(content, code: code))
        return [
            "status": "ok", "matches": .array(completion.matches.map(JSON.string)),
            "cursor_start": .int(completion.start), "cursor_end": .int(completion.end),
            "metadata": completion.metadata,
        ]
    }

    private func inspect(_ content: JSON) -> JSON {
        let code = content["code"]?.stringValue ?? ""
        let detail = content["detail_level"]?.intValue ?? 0
        let bundle = interpreter.inspect(code, cursor: cursor(content, code: code), detailLevel: detail)
        return ["status": "ok", "found": .bool(bundle != nil), "data": .object(bundle ?? [:]), "metadata": .emptyObject]
    }

    private func isComplete(_ content: JSON) -> JSON {
        switch interpreter.isComplete(content["code"]?.stringValue ?? "") {
        case .complete: return ["status": "complete"]
        case .incomplete(let indent): return ["status": "incomplete", "indent": .string(indent)]
        case .invalid: return ["status": "invalid"]
        case .unknown: return ["status": "unknown"]
        }
    }

    private func historyReply(_ content: JSON) -> JSON {
        let output = content["output"]?.boolValue ?? false
        let entries: [History.Entry]
        switch content["hist_access_type"]?.stringValue ?? "tail" {
        case "range":
            entries = history.range(
                session: content["session"]?.intValue ?? 0, start: content["start"]?.intValue ?? 1,
                stop: content["stop"]?.intValue ?? 0)
        case "search":
            entries = history.search(
                pattern: content["pattern"]?.stringValue ?? "*", n: content["n"]?.intValue,
                unique: content["unique"]?.boolValue ?? false)
        default:
            entries = history.tail(content["n"]?.intValue ?? 10)
        }
        let rows: [JSON] = entries.map { entry in
            let input: JSON = .string(entry.input)
            let cell: JSON = output ? .array([input, entry.output.map(JSON.string) ?? .null]) : input
            return .array([.int(entry.session), .int(entry.line), cell])
        }
        return ["status": "ok", "history": .array(rows)]
    }
}
