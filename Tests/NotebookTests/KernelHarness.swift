import Jupyter
import Testing

@testable import Notebook

/// An xling kernel on the in-memory transport, with its own interrupt source: what every
/// magic test runs through (no sockets).
final class KernelHarness {
    let interpreter = XlingInterpreter()
    let kernel: Kernel
    let transport = InMemoryTransport(key: "k")
    let codec = WireCodec(signer: MessageSigner(key: "k"))
    let headers = HeaderFactory(username: "test")

    init() { kernel = Kernel(interpreter: interpreter, signer: MessageSigner(key: "k"), interrupts: InterruptSource()) }

    /// Executes `code`; returns the reply content and the iopub outputs (without status and
    /// execute_input). `stdin` answers input requests in order.
    @discardableResult
    func run(_ code: String, allowStdin: Bool = true, stdin: [String] = []) -> (reply: JSON, outputs: [Message]) {
        transport.reset()
        transport.stdinReplies = stdin.map {
            codec.encode(Message(header: headers.header("input_reply"), content: ["value": .string($0)]))
        }
        let frames = codec.encode(
            Message(
                identities: [[7]], header: headers.header("execute_request"),
                content: ["code": .string(code), "allow_stdin": .bool(allowStdin)]))
        kernel.handle(frames, from: .shell, via: transport)
        let reply = transport.sent.first { $0.message.msgType == "execute_reply" }?.message.content ?? .null
        let outputs = transport.sent.filter { $0.channel == .iopub && !["status", "execute_input"].contains($0.message.msgType) }.map(
            \.message)
        return (reply, outputs)
    }

    /// Runs `code` (no stdin), expecting success; returns the rows of its result's
    /// Table Schema twin (`application/vnd.dataresource+json`, its `data`; empty when the result has none).
    func result(_ code: String, sourceLocation: SourceLocation = #_sourceLocation) -> [JSON] {
        let (reply, outputs) = run(code, allowStdin: false)
        #expect(reply["status"] == "ok", "\(code): \(reply["evalue"]?.stringValue ?? "")", sourceLocation: sourceLocation)
        return outputs.last { $0.msgType == "execute_result" }?.content["data"]?["application/vnd.dataresource+json"]?["data"]?.arrayValue
            ?? []
    }

    /// Runs `code` (no stdin), expecting an error; returns its message.
    func error(_ code: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        let (reply, _) = run(code, allowStdin: false)
        #expect(reply["status"] == "error", "\(code) should fail", sourceLocation: sourceLocation)
        return reply["evalue"]?.stringValue ?? ""
    }

    /// Runs `code` (no stdin), expecting success; returns its result's text/plain.
    func plainText(_ code: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        let (reply, outputs) = run(code, allowStdin: false)
        #expect(reply["status"] == "ok", "\(code): \(reply["evalue"]?.stringValue ?? "")", sourceLocation: sourceLocation)
        return outputs.last { $0.msgType == "execute_result" }?.content["data"]?["text/plain"]?.stringValue ?? ""
    }

    /// Executes `code` (no stdin) on an `InterruptingTransport` that raises an interrupt when a
    /// progress display starts with `trigger`; returns whether it was raised, the reply content and
    /// every iopub message (status included).
    func runInterrupted(_ code: String, trigger: String = "[running] training (") -> (raised: Bool, reply: JSON, outputs: [Message]) {
        let transport = InterruptingTransport(interrupts: kernel.interrupts, trigger: trigger)
        let frames = codec.encode(
            Message(
                identities: [[7]], header: headers.header("execute_request"), content: ["code": .string(code), "allow_stdin": false]))
        kernel.handle(frames, from: .shell, via: transport)
        let reply = transport.sent.first { $0.message.msgType == "execute_reply" }?.message.content ?? .null
        return (transport.raised, reply, transport.sent.filter { $0.channel == .iopub }.map(\.message))
    }

    /// Sends a shell request of `type`; returns its reply content.
    func request(_ type: String, _ content: JSON) -> JSON {
        transport.reset()
        kernel.handle(
            codec.encode(Message(identities: [[7]], header: headers.header(type), content: content)), from: .shell, via: transport)
        return transport.sent.first { $0.message.msgType.hasSuffix("_reply") }?.message.content ?? .null
    }

    /// The completions for `code` with the cursor at its end.
    func completions(_ code: String) -> [String] {
        request("complete_request", ["code": .string(code), "cursor_pos": .int(code.unicodeScalars.count)])["matches"]?
            .arrayValue?.compactMap(\.stringValue) ?? []
    }
}

/// A transport that raises an interrupt as soon as a progress display's text starts with
/// `trigger` (by default: training has reported a completed iteration), so an interrupt lands
/// mid-run at a known point.
final class InterruptingTransport: KernelTransport {
    let recorder = InMemoryTransport(key: "k")
    let interrupts: InterruptSource
    let trigger: String
    private(set) var raised = false

    init(interrupts: InterruptSource, trigger: String = "[running] training (") {
        self.interrupts = interrupts
        self.trigger = trigger
    }

    var sent: [(channel: Channel, message: Message)] { recorder.sent }

    func send(_ frames: [[UInt8]], on channel: Channel) {
        recorder.send(frames, on: channel)
        guard !raised, let message = recorder.sent.last?.message, message.msgType.hasSuffix("display_data"),
            let text = message.content["data"]?["text/plain"]?.stringValue, text.hasPrefix(trigger),
            trigger.contains("counting") || !text.contains(": 0/")
        else { return }
        raised = true
        interrupts.raise()
    }

    func receiveStdin(cancellation: CancellationToken) -> [[UInt8]]? { nil }
}
