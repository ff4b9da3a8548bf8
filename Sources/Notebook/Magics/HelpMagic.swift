import Jupyter

/// `%help [MAGIC]`: the list of magics, or one magic's help, generated from the specs.
struct HelpMagic: Magic {
    static let spec = MagicSpec(
        name: "help", abstract: "list the magics, or show one magic's help (also `%name?`)",
        positionals: [.init("magic", .magicName, optional: true, help: "the magic to explain, with or without %")],
        examples: ["%help", "%help sleep", "%sleep?"])

    let topic: String?

    init(_ arguments: MagicArguments) throws {
        topic = arguments.words.first.map { $0.hasPrefix("%") ? String($0.drop(while: { $0 == "%" })) : $0 }
    }

    func run(in session: Session, context: ExecutionContext) throws -> MimeBundle? {
        guard let topic else { return MagicRegistry.overview.mimeBundle }
        return MagicHelp.bundle(for: try MagicRegistry.lookup(topic).spec)
    }
}
