import Jupyter

/// `%echo [stream=stderr] TEXT…`: prints text, for batch scripts and tutorials.
struct EchoMagic: Magic {
    /// `stream=`: where the text goes.
    enum Stream: String, OptionChoice { case stdout, stderr }
    static let stream = Opt.choice("stream", default: Stream.stdout, help: "which stream to write to")
    static let spec = MagicSpec(
        name: "echo", abstract: "print text to stdout (or stderr)",
        positionals: [.init("text", .string, optional: true, repeating: true, help: "the words to print, joined by spaces")],
        keys: [stream],
        examples: ["%echo hello, world", "%echo stream=stderr \"something went wrong\""])

    let text: String
    let stream: String

    init(_ arguments: MagicArguments) throws {
        text = arguments.words.joined(separator: " ")
        stream = arguments[Self.stream].rawValue
    }

    func run(in session: Session, context: ExecutionContext) throws -> MimeBundle? {
        context.stream(text + "\n", name: stream)
        return nil
    }
}
