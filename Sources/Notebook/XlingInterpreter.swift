import Embeddings
import Jupyter

/// The xling language behind the kernel: parses a cell into magics and runs them against
/// one `Session`.
///
/// A cell's value is the value of its last magic; values of earlier magics are shown as
/// `display_data`. `%name?` anywhere adds the magic's help as a pager payload.
public final class XlingInterpreter: Interpreter {
    /// The named objects and settings that live across the cells this interpreter runs.
    public let session: Session
    /// The xling version, reported as `implementation_version` and language version in `kernel_info_reply`.
    public static let version = "0.1.0"

    /// Creates an interpreter over `session` (a fresh, empty one by default) and sets OpenBLAS to
    /// the session's thread count (1 unless set): OpenBLAS would otherwise start with one thread per
    /// core, and its results depend on its thread count (an SVD, a product with a long inner
    /// dimension), so a notebook would give other numbers on a machine with more cores.
    public init(session: Session = Session()) {
        self.session = session
        BLAS.setThreads(session.settings.threads)
    }

    /// The xling `language_info` and banner; see `Interpreter.info`.
    public var info: KernelInfo {
        KernelInfo(
            implementation: "xling", implementationVersion: Self.version,
            languageInfo: [
                "name": "xling", "version": .string(Self.version), "mimetype": "text/x-xling",
                "file_extension": ".xling", "pygments_lexer": "text", "codemirror_mode": "text/plain",
            ],
            banner: "xling \(Self.version) — cross-lingual word embeddings in a notebook. %help lists the magics.")
    }

    /// Parses the cell and runs its magics in order; see `Interpreter.execute`.
    ///
    /// `MagicError`s are rethrown as `ExecutionError`s; an engine error (`EngineError`) escaping
    /// a magic becomes one here, once, keyed by the running invocation's magic:
    /// `%align: PROBLEM; FIX` (never a bare type name such as `ShapeError`). Cancellation is
    /// checked before each magic.
    public func execute(_ code: String, context: ExecutionContext) throws -> ExecutionResult {
        var running: String?
        do {
            let invocations = try MagicParser.parse(code)
            var value: MimeBundle?
            for (index, invocation) in invocations.enumerated() {
                try context.cancellation.check()
                running = invocation.name
                let substituted = try SettingSubstitution.apply(invocation, settings: session.settings)
                let (magic, invocation) = try MagicRegistry.resolve(substituted)
                running = magic.spec.name
                if invocation.wantsHelp {
                    context.addPayload(MagicHelp.pagerPayload(for: magic.spec))
                    continue
                }
                let arguments = try MagicArguments(invocation, spec: magic.spec)
                let instance = try magic.init(arguments)
                session.running = Provenance(invocation, arguments: arguments)
                defer { session.running = nil }
                let result = try instance.run(in: session, context: context)
                if index == invocations.count - 1 {
                    value = result
                } else if let result {
                    context.display(result)
                }
            }
            return ExecutionResult(data: value)
        } catch let error as MagicError {
            throw error.executionError
        } catch let error as any EngineError {
            throw MagicError.failed(magic: running ?? "xling", message: error.description).executionError
        }
    }

    /// Runs the expression as a cell; its value, or empty text/plain when it has none.
    public func evaluate(expression: String, context: ExecutionContext) throws -> MimeBundle {
        try execute(expression, context: context).data ?? ["text/plain": ""]
    }

    /// The help bundle of the magic named on the cursor's line; see `Interpreter.inspect`.
    /// Reads the cursor's line only (`CursorLine`).
    public func inspect(_ code: String, cursor: Int, detailLevel: Int) -> MimeBundle? {
        let line = CursorLine(code: code, cursor: cursor)
        guard let name = line.magicName, let found = MagicRegistry.spec(named: name, words: line.lineWords) else { return nil }
        return MagicHelp.bundle(for: found.spec)
    }

    /// `incomplete` after a trailing `\` or a lone `%%name` line, `invalid` when the parser fails; see `Interpreter.isComplete`.
    public func isComplete(_ code: String) -> CompletenessStatus {
        if code.hasSuffix("\\") || code.hasSuffix("\\\n") { return .incomplete(indent: "") }
        if Self.isLoneCellMagicLine(code) { return .incomplete(indent: "") }
        do {
            _ = try MagicParser.parse(code)
            return .complete
        } catch {
            return .invalid
        }
    }

    /// Whether the cell, without surrounding whitespace, is one line starting with `%%`;
    /// scans bytes instead of copying the trimmed cell.
    static func isLoneCellMagicLine(_ code: String) -> Bool {
        let utf8 = code.utf8
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        guard let first = utf8.firstIndex(where: { !isSpace($0) }), let last = utf8.lastIndex(where: { !isSpace($0) }) else {
            return false
        }
        let body = utf8[first...last]
        return body.starts(with: "%%".utf8) && !body.contains(0x0A)
    }

    /// Completes magic names, keys and values with `MagicCompleter`; see `Interpreter.complete`.
    /// Only the cursor's line is handed to the completer, whose offsets are shifted back.
    public func complete(_ code: String, cursor: Int) -> Completion {
        let line = CursorLine.line(in: code, cursor: cursor)
        var completion = MagicCompleter(session: session).complete(line.text, cursor: line.cursor)
        completion.start += line.start
        completion.end += line.start
        return completion
    }
}
