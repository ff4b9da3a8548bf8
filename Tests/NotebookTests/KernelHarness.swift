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
