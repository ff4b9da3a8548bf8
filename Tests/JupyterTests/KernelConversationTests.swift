import Testing

@testable import Jupyter

/// A minimal language for protocol tests: `print X`, `fail`, `ask`, `show`, `value X`.
final class ScriptedInterpreter: Interpreter {
    let interrupts: InterruptSource
    init(interrupts: InterruptSource) { self.interrupts = interrupts }

    var info: KernelInfo {
        KernelInfo(implementation: "scripted", implementationVersion: "1", languageInfo: ["name": "scripted"], banner: "b")
    }

    func execute(_ code: String, context: ExecutionContext) throws -> ExecutionResult {
        if code.hasPrefix("print ") { context.stream(String(code.dropFirst(6)) + "\n") }
        if code == "fail" { throw ExecutionError(name: "Boom", value: "it failed") }
        if code == "interrupt" {
            interrupts.raise()
            try context.cancellation.check()
        }
        if code == "ask" { return ExecutionResult(data: ["text/plain": .string(try context.input(prompt: "name? "))]) }
        if code == "show" {
            context.display(["text/plain": "1"], displayID: "d1")
            context.update(["text/plain": "2"], displayID: "d1")
        }
        if code.hasPrefix("value ") { return ExecutionResult(data: ["text/plain": .string(String(code.dropFirst(6)))]) }
        return .none
    }

    func evaluate(expression: String, context: ExecutionContext) throws -> MimeBundle {
        guard expression != "fail" else { throw ExecutionError(name: "Boom", value: "bad expression") }
        return ["text/plain": .string(expression.uppercased())]
    }
}

/// Collects log lines from any thread.
final class LogLines: @unchecked Sendable {
    private let lock = Lock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}

/// A client end of the in-memory transport: signs requests like jupyter_client would.
struct TestClient {
    let codec = WireCodec(signer: MessageSigner(key: "test-key"))
    let headers = HeaderFactory(username: "client")
    let identity: [UInt8] = Array("client-1".utf8)

    func request(_ type: String, _ content: JSON) -> (id: String, frames: [[UInt8]]) {
        let header = headers.header(type)
        return (header["msg_id"]?.stringValue ?? "", codec.encode(Message(identities: [identity], header: header, content: content)))
    }
}

@Suite(.serialized) struct KernelConversationTests {
    let kernel: Kernel
    init() {
        let interrupts = InterruptSource()
        kernel = Kernel(
            interpreter: ScriptedInterpreter(interrupts: interrupts), signer: MessageSigner(key: "test-key"),
            interrupts: interrupts)
    }
    let transport = InMemoryTransport(key: "test-key")
    let client = TestClient()

    func execute(_ code: String, _ extra: [String: JSON] = [:]) -> (String, Disposition) {
        var content: [String: JSON] = [
            "code": .string(code), "silent": false, "store_history": true,
            "user_expressions": .emptyObject, "allow_stdin": true, "stop_on_error": true,
        ]
        for (k, v) in extra { content[k] = v }
        let (id, frames) = client.request("execute_request", .object(content))
        return (id, kernel.handle(frames, from: .shell, via: transport))
    }

    func types() -> [String] { transport.sent.map { "\($0.channel.rawValue):\($0.message.msgType)" } }

    @Test func executeOrderingAndParents() {
        let (id, _) = execute("print hi")
        #expect(types() == ["iopub:status", "iopub:execute_input", "iopub:stream", "shell:execute_reply", "iopub:status"])
        #expect(transport.sent.allSatisfy { $0.message.parentHeader["msg_id"]?.stringValue == id })
        #expect(transport.sent.first?.message.content["execution_state"] == "busy")
        #expect(transport.sent.last?.message.content["execution_state"] == "idle")
        let reply = transport.sent[3].message
        #expect(reply.content["status"] == "ok" && reply.content["execution_count"] == 1)
        #expect(reply.identities == [client.identity])
        #expect(transport.sent[0].message.identities.first.map { String(decoding: $0, as: UTF8.self) }?.hasPrefix("kernel.") == true)
    }

    @Test func countersSilentAndStoreHistory() {
        _ = execute("value a")
        _ = execute("value b", ["silent": true])
        _ = execute("value c", ["store_history": false])
        transport.reset()
        _ = execute("value d")
        #expect(types() == ["iopub:status", "iopub:execute_input", "iopub:execute_result", "shell:execute_reply", "iopub:status"])
        #expect(transport.sent[3].message.content["execution_count"] == 2)
        #expect(kernel.history.entries.map(\.input) == ["value a", "value d"])
    }

    @Test func silentProducesNoOutputs() {
        _ = execute("print x", ["silent": true])
        #expect(types() == ["iopub:status", "shell:execute_reply", "iopub:status"])
    }

    @Test func errorsReplyWithCountAndAbortQueue() {
        let (_, disposition) = execute("fail")
        guard case .abortQueued(let failedAt) = disposition else {
            Issue.record("no abort")
            return
        }
        #expect(types() == ["iopub:status", "iopub:execute_input", "iopub:error", "shell:execute_reply", "iopub:status"])
        let reply = transport.sent[3].message.content
        #expect(reply["status"] == "error" && reply["ename"] == "Boom" && reply["execution_count"] == 1)
        transport.reset()
        let (_, queued) = client.request("execute_request", ["code": "print never"])
        kernel.handle(queued, from: .shell, via: transport, abortingRequestsSentBefore: failedAt + 1)
        #expect(types() == ["iopub:status", "shell:execute_reply", "iopub:status"])
        #expect(transport.sent[1].message.content["status"] == "aborted")
        transport.reset()
        let (_, later) = client.request("execute_request", ["code": "print runs"])
        kernel.handle(later, from: .shell, via: transport, abortingRequestsSentBefore: failedAt - 1)
        #expect(transport.sent.first { $0.message.msgType == "execute_reply" }?.message.content["status"] == "ok")
        #expect(execute("fail", ["stop_on_error": false]).1 == .proceed)
    }

    @Test func onlyExecuteRequestsAreAbortedAfterAFailure() {
        guard case .abortQueued(let failedAt) = execute("fail").1 else {
            Issue.record("no abort")
            return
        }
        for type in ["kernel_info_request", "is_complete_request", "complete_request", "history_request", "comm_info_request"] {
            transport.reset()
            let (_, frames) = client.request(type, ["code": "x", "cursor_pos": 1])
            kernel.handle(frames, from: .shell, via: transport, abortingRequestsSentBefore: failedAt + 1)
            let reply = transport.sent.first { $0.channel == .shell }?.message
            #expect(reply?.msgType == String(type.dropLast(8)) + "_reply")
            #expect(reply?.content["status"] != "aborted", "\(type) was aborted")
        }
        transport.reset()
        let (_, frames) = client.request("execute_request", ["code": "print never"])
        kernel.handle(frames, from: .shell, via: transport, abortingRequestsSentBefore: failedAt + 1)
        #expect(transport.sent.first { $0.channel == .shell }?.message.content["status"] == "aborted")
    }

    @Test func unknownTypesGetNoReplyAndAreLoggedOnce() {
        let lines = LogLines()
        let kernel = Kernel(
            interpreter: ScriptedInterpreter(interrupts: InterruptSource()), signer: MessageSigner(key: "test-key"),
            log: { lines.append($0) })
        for type in ["bogus_request", "bogus_request", "frobnicate", "bogus_request"] {
            kernel.handle(client.request(type, .emptyObject).frames, from: .shell, via: transport, abortingRequestsSentBefore: .infinity)
        }
        #expect(!transport.sent.contains { $0.channel == .shell })
        #expect(lines.all.count == 2)
        #expect(lines.all.first?.contains("unknown message type 'bogus_request' on shell") == true)
        transport.reset()
        kernel.handle(client.request("kernel_info_request", .emptyObject).frames, from: .shell, via: transport)
        #expect(transport.sent.contains { $0.message.msgType == "kernel_info_reply" })
    }

    @Test func headerDatesParse() {
        #expect(Timestamp.epochSeconds(from: "1970-01-01T00:00:01.5Z") == 1.5)
        #expect(Timestamp.epochSeconds(from: "2026-11-21T20:06:18.000000+00:00") == 1_795_291_578)
        #expect(Timestamp.epochSeconds(from: "2026-11-21T21:06:18+01:00") == 1_795_291_578)
        #expect(Timestamp.epochSeconds(from: "yesterday") == nil)
        let now = Timestamp.epochSeconds()
        #expect(abs((Timestamp.epochSeconds(from: Timestamp.now()) ?? 0) - now) < 1)
    }

    @Test func interruptEndsWithKeyboardInterrupt() {
        _ = execute("interrupt")
        let reply = transport.sent.first { $0.message.msgType == "execute_reply" }?.message.content
        #expect(reply?["ename"] == "KeyboardInterrupt")
    }

    @Test func stdinRoundTripAndDisallowed() {
        let replyHeader = client.headers.header("input_reply")
        transport.stdinReplies = [
            client.codec.encode(Message(identities: [client.identity], header: replyHeader, content: ["value": "Ada"]))
        ]
        _ = execute("ask")
        #expect(types().contains("stdin:input_request"))
        #expect(transport.sent.first { $0.message.msgType == "execute_result" }?.message.content["data"]?["text/plain"] == "Ada")
        transport.reset()
        _ = execute("ask", ["allow_stdin": false])
        #expect(!types().contains("stdin:input_request"))
        #expect(transport.sent.first { $0.message.msgType == "execute_reply" }?.message.content["ename"] == "StdinNotImplementedError")
    }

    @Test func displayAndUpdateCarryTransientID() {
        _ = execute("show")
        let displays = transport.sent.filter { $0.message.msgType.hasSuffix("display_data") }
        #expect(displays.map(\.message.msgType) == ["display_data", "update_display_data"])
        #expect(displays.allSatisfy { $0.message.content["transient"]?["display_id"] == "d1" })
    }

    @Test func userExpressions() {
        _ = execute("value x", ["user_expressions": ["a": "seed", "b": "fail"]])
        let expressions = transport.sent.first { $0.message.msgType == "execute_reply" }?.message.content["user_expressions"]
        #expect(expressions?["a"]?["data"]?["text/plain"] == "SEED")
        #expect(expressions?["b"]?["status"] == "error")
    }

    @Test func capturedOutputPrecedesReplyAndIdle() {
        transport.pendingCapturedOutput = [("stdout", "from C\n")]
        _ = execute("value 1")
        #expect(
            types() == [
                "iopub:status", "iopub:stream", "iopub:execute_input", "iopub:execute_result", "shell:execute_reply", "iopub:status",
            ])
    }

    @Test func everyRequestTypeIsWrappedInBusyIdle() {
        let requests: [(String, JSON, Channel)] = [
            ("kernel_info_request", .emptyObject, .shell), ("kernel_info_request", .emptyObject, .control),
            ("complete_request", ["code": "x", "cursor_pos": 1], .shell), ("inspect_request", ["code": "x", "cursor_pos": 1], .shell),
            ("is_complete_request", ["code": "x"], .shell), ("history_request", ["hist_access_type": "tail", "n": 3], .shell),
            ("comm_info_request", .emptyObject, .shell), ("interrupt_request", .emptyObject, .control),
        ]
        for (type, content, channel) in requests {
            transport.reset()
            let (id, frames) = client.request(type, content)
            kernel.handle(frames, from: channel, via: transport)
            let expectedReply = String(type.dropLast(8)) + "_reply"
            #expect(types() == ["iopub:status", "\(channel.rawValue):\(expectedReply)", "iopub:status"], "\(type)")
            #expect(transport.sent.allSatisfy { $0.message.parentHeader["msg_id"]?.stringValue == id })
            let status = transport.sent[1].message.content["status"]
            #expect(status == (type == "is_complete_request" ? "unknown" : "ok"))
        }
    }

    @Test func kernelInfoAndShutdown() {
        let (_, info) = client.request("kernel_info_request", .emptyObject)
        kernel.handle(info, from: .control, via: transport)
        let content = transport.sent[1].message.content
        #expect(content["protocol_version"] == "5.3" && content["implementation"] == "scripted")
        let (_, shutdown) = client.request("shutdown_request", ["restart": true])
        #expect(kernel.handle(shutdown, from: .control, via: transport) == .shutdown(restart: true))
        #expect(transport.sent.last { $0.message.msgType == "shutdown_reply" }?.message.content["restart"] == true)
    }

    @Test func commOpenIsClosed() {
        let (_, frames) = client.request("comm_open", ["comm_id": "c1", "target_name": "nothing", "data": .emptyObject])
        kernel.handle(frames, from: .shell, via: transport)
        #expect(transport.sent.contains { $0.message.msgType == "comm_close" && $0.message.content["comm_id"] == "c1" })
    }

    @Test func badlySignedMessagesGetNoAnswer() {
        var (_, frames) = client.request("kernel_info_request", .emptyObject)
        frames[2] = Array("0000".utf8)
        kernel.handle(frames, from: .shell, via: transport)
        #expect(transport.sentFrames.isEmpty)
        let (_, good) = client.request("kernel_info_request", .emptyObject)
        kernel.handle(good, from: .shell, via: transport)
        kernel.handle(good, from: .shell, via: transport) // replay: dropped
        #expect(transport.sent.filter { $0.message.msgType == "kernel_info_reply" }.count == 1)
    }

    @Test func historyRequests() {
        _ = execute("value 1")
        _ = execute("value 2")
        transport.reset()
        let (_, frames) = client.request("history_request", ["hist_access_type": "tail", "n": 1, "output": true, "raw": true])
        kernel.handle(frames, from: .shell, via: transport)
        #expect(transport.sent[1].message.content["history"] == [[1, 2, ["value 2", "2"]]])
    }
}
