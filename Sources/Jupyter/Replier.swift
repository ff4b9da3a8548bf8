/// Sends everything that answers one request: iopub messages with the request as parent,
/// the reply on the request's own channel and socket identities, and stdin round trips.
///
/// Before any iopub output it forwards what the engine wrote to the process's stdout/stderr,
/// so printed text keeps its place among the cell's outputs and always precedes `idle`.
struct Replier {
    let kernel: Kernel
    let request: Message
    let channel: Channel
    let transport: KernelTransport

    private func message(
        _ msgType: String, _ content: JSON, metadata: JSON = .emptyObject,
        identities: [[UInt8]] = []
    ) -> Message {
        Message(
            identities: identities, header: kernel.headers.header(msgType), parentHeader: request.header,
            metadata: metadata, content: content)
    }

    /// Publishes on iopub (topic frame `kernel.<session>.<msg_type>`, as ipykernel uses).
    func publish(_ msgType: String, _ content: JSON, metadata: JSON = .emptyObject) {
        if msgType != "status" { flushCapturedOutput() }
        send(msgType, content, metadata: metadata)
    }

    private func send(_ msgType: String, _ content: JSON, metadata: JSON = .emptyObject) {
        let topic = Array("kernel.\(kernel.headers.session).\(msgType)".utf8)
        transport.send(kernel.codec.encode(message(msgType, content, metadata: metadata, identities: [topic])), on: .iopub)
    }

    /// Forwards captured process output as `stream` messages.
    func flushCapturedOutput() {
        for chunk in transport.drainCapturedOutput() where !chunk.text.isEmpty {
            send("stream", ["name": .string(chunk.name), "text": .string(chunk.text)])
        }
    }

    /// Sends the `<type>_reply` for the request on its channel.
    func reply(_ content: JSON, metadata: JSON = .emptyObject) {
        let type = request.msgType.hasSuffix("_request") ? String(request.msgType.dropLast(8)) + "_reply" : request.msgType + "_reply"
        transport.send(kernel.codec.encode(message(type, content, metadata: metadata, identities: request.identities)), on: channel)
    }

    /// An execution context whose outputs are parented to this request.
    func context(executionCount: Int, silent: Bool, allowStdin: Bool) -> ExecutionContext {
        ExecutionContext(
            executionCount: executionCount, silent: silent, allowStdin: allowStdin,
            cancellation: CancellationToken(source: kernel.interrupts),
            publish: { type, content, metadata in publish(type, content, metadata: metadata) },
            readInput: { prompt, password in try readInput(prompt: prompt, password: password) })
    }

    /// Sends an `input_request` on stdin (to the shell request's identities, which the client
    /// shares between its shell and stdin sockets) and waits for the matching `input_reply`.
    func readInput(prompt: String, password: Bool) throws -> String {
        flushCapturedOutput()
        let cancellation = CancellationToken(source: kernel.interrupts)
        transport.send(
            kernel.codec.encode(
                message(
                    "input_request", ["prompt": .string(prompt), "password": .bool(password)],
                    identities: request.identities)), on: .stdin)
        while true {
            guard let frames = transport.receiveStdin(cancellation: cancellation) else { throw Interrupted() }
            guard let reply = try? kernel.codec.decode(frames), reply.msgType == "input_reply" else { continue }
            return reply.content["value"]?.stringValue ?? ""
        }
    }
}
