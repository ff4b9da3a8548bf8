import Jupyter

/// `%who [NAME]`: every named object with its kind, languages, size and the command that made
/// it (as typed); with a name, that object's full provenance: every option it ran with.
struct WhoMagic: Magic {
    static let spec = MagicSpec(
        name: "who", abstract: "list every named object (kind, languages, size, the command that made it), or one object's provenance",
        positionals: [.init("name", .object, optional: true, help: "an object whose full provenance to show")],
        examples: ["%who", "%who en_fr"])

    let name: String?

    init(_ arguments: MagicArguments) throws { name = arguments.words.first }

    func run(in session: Session, context: ExecutionContext) throws -> MimeBundle? {
        if let name { return try Self.provenance(of: name, in: session) }
        let rows: [[TableCell]] = session.order.compactMap { name in
            guard let entry = session.objects[name] else { return nil }
            return [
                .text(name), .text(entry.object.kind), .text(entry.object.languages.joined(separator: ",")),
                .text(entry.object.sizeDescription), .text(entry.madeBy), .int(entry.cell),
            ]
        }
        let note =
            rows.isEmpty
            ? "The session is empty: magics store what they make under a name (as=NAME)."
            : "`%who NAME` shows every option an object was made with."
        return Table(
            title: "session objects", columns: ["name", "kind", "languages", "size", "made by", "cell"],
            rows: rows, footnote: note
        ).mimeBundle
    }

    /// One object's provenance: what it is, the command, and every option with its value.
    static func provenance(of name: String, in session: Session) throws -> MimeBundle {
        _ = try session.object(name, for: "who")
        guard let entry = session.objects[name] else { return ["text/plain": ""] }
        var rows: [[TableCell]] = [
            [.text("kind"), .text(entry.object.kind), .text("")],
            [.text("languages"), .text(entry.object.languages.joined(separator: ",")), .text("")],
            [.text("size"), .text(entry.object.sizeDescription), .text("")],
            [.text("made by"), .text(entry.madeBy), .text("cell \(entry.cell)")],
        ]
        if !entry.summary.isEmpty, entry.summary != entry.madeBy {
            rows.append([.text("summary"), .text(entry.summary), .text("")])
        }
        rows += entry.options.map { [.text($0.key + "="), .text($0.value), .text($0.written ? "written" : "default")] }
        return Table(
            title: "provenance of `\(name)`", columns: ["property", "value", "source"], rows: rows,
            footnote: entry.options.isEmpty ? nil : "Every option of the command, as written or by default."
        ).mimeBundle
    }
}
