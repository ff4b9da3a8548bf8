import Jupyter

/// One magic of the xling language, shaped like swift-argument-parser's `ParsableCommand`:
/// a static spec, an init that parses and validates arguments, and `run`.
///
/// Adding a magic = one file in `Notebook/Magics/` + one line in `MagicRegistry.all`; adding a
/// method to a family (`%train mlm`) = one file + one line in the family's `methods`.
public protocol Magic {
    /// Name, help, positionals and options: the single source of help, completion, inspection.
    static var spec: MagicSpec { get }

    /// The methods of a family, each its own magic; empty (the default) for a single magic.
    static var methods: [any Magic.Type] { get }

    /// Reads validated arguments; throws `MagicError.usage` for values that the spec's types
    /// cannot express (e.g. a positional that must be a number).
    init(_ arguments: MagicArguments) throws

    /// Does the work. Returns the cell's value (shown as `execute_result`), or nil.
    /// Long loops check `context.cancellation` and keep partial results in `session`.
    func run(in session: Session, context: ExecutionContext) throws -> MimeBundle?
}

extension Magic {
    public static var methods: [any Magic.Type] { [] }

    /// A failure of this magic (`%align: …`): the request is well-formed but cannot be done.
    static func failure(_ message: String) -> MagicError { .failed(magic: spec.name, message: message) }

    /// A usage error of this magic, with its usage line.
    static func usageError(_ message: String) -> MagicError {
        .usage(magic: spec.name, message: message, usage: spec.usage)
    }
}

/// A family of methods (`%train`, `%align`, `%eval`, `%load`): a name, a summary and the list
/// of its methods. The first word of an invocation picks the method (`MagicRegistry.resolve`),
/// so a family itself is never constructed or run.
public protocol MagicFamily: Magic {
    /// The family's name without `%`.
    static var familyName: String { get }
    /// One line for `%help`.
    static var abstract: String { get }
    /// Prose shared by the methods, shown on the family's help page.
    static var discussion: String { get }
}

extension MagicFamily {
    public static var discussion: String { "" }

    public static var spec: MagicSpec {
        MagicSpec(family: familyName, abstract: abstract, methods: methods.map { $0.spec }, discussion: discussion)
    }

    /// Reached only when no method word was given; `MagicRegistry.resolve` reports that first.
    public init(_ arguments: MagicArguments) throws {
        throw MagicError.usage(magic: Self.familyName, message: "missing METHOD", usage: Self.spec.usage)
    }

    public func run(in session: Session, context: ExecutionContext) throws -> MimeBundle? { nil }
}
