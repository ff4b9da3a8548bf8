import Jupyter

/// `%clear`: clears the cell's output so far (`clear_output`).
struct ClearMagic: Magic {
    static let spec = MagicSpec(
        name: "clear", abstract: "clear the cell's output so far",
        options: [.init("wait", .bool, default: "false", help: "clear only when the next output arrives (avoids flicker)")],
        examples: ["%echo this disappears\n%clear\n%echo only this stays"])

    let wait: Bool

    init(_ arguments: MagicArguments) throws { wait = arguments.bool("wait") ?? false }

    func run(in session: Session, context: ExecutionContext) throws -> MimeBundle? {
        context.clearOutput(wait: wait)
        return nil
    }
}
