import Jupyter

/// One magic of the xling language, shaped like swift-argument-parser's `ParsableCommand`:
/// a static spec, an init that parses and validates arguments, and `run`.
///
/// Adding a magic = one file in `Notebook/Magics/` + one line in `MagicRegistry.all`.
public protocol Magic {
    /// Name, help, positionals and options: the single source of help, completion, inspection.
    static var spec: MagicSpec { get }

    /// Reads validated arguments; throws `MagicError.usage` for values that the spec's types
    /// cannot express (e.g. a positional that must be a number).
    init(_ arguments: MagicArguments) throws

    /// Does the work. Returns the cell's value (shown as `execute_result`), or nil.
    /// Long loops check `context.cancellation` and keep partial results in `session`.
    func run(in session: Session, context: ExecutionContext) throws -> MimeBundle?
}
