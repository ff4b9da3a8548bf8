import Jupyter

/// `%help [MAGIC]`: the list of magics, or one magic's help, generated from the specs.
struct HelpMagic: Magic {
    static let spec = MagicSpec(
        name: "help", abstract: "list the magics, or show one magic's help (also `%name?`)",
        positionals: [
            .init("magic", .magicName, optional: true, help: "the magic to explain, with or without %"),
            .init("method", .string, optional: true, help: "a method of a family such as train or align"),
        ],
        examples: ["%help", "%help sleep", "%help train cofactor", "%sleep?", "%train cofactor?"])

    let topic: String?
    let method: String?

    init(_ arguments: MagicArguments) throws {
        topic = arguments.words.first.map { $0.hasPrefix("%") ? String($0.drop(while: { $0 == "%" })) : $0 }
        method = arguments.words.dropFirst().first
    }

    func run(in session: Session, context: ExecutionContext) throws -> MimeBundle? {
        guard let topic else { return MagicHelp.overview.mimeBundle }
        var invocation = MagicInvocation(name: topic, words: method.map { [$0] } ?? [], wantsHelp: true)
        invocation.wantsHelp = true
        if method != nil, try MagicRegistry.lookup(topic).methods.isEmpty {
            throw Self.usageError("%\(topic) has no methods; `%help \(topic)` shows its help")
        }
        return MagicHelp.bundle(for: try MagicRegistry.resolve(invocation).0.spec)
    }
}
