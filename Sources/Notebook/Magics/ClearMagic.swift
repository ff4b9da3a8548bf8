import Jupyter

/// `%clear`: clears the cell's output so far (`clear_output`).
struct ClearMagic: Magic {
    static let wait = Opt.bool("wait", default: false, help: "clear only when the next output arrives (avoids flicker)")
    static let spec = MagicSpec(
        name: "clear", abstract: "clear the cell's output so far",
        keys: [wait],
        examples: ["%echo this disappears\n%clear\n%echo only this stays"])

    let wait: Bool

    init(_ arguments: MagicArguments) throws { wait = arguments[Self.wait] }

    func run(in session: Session, context: ExecutionContext) throws -> MimeBundle? {
        context.clearOutput(wait: wait)
        return nil
    }
}
