import Jupyter

/// `%who`: every named object with its kind, languages, size and how it was made.
struct WhoMagic: Magic {
    static let spec = MagicSpec(name: "who", abstract: "list every named object: kind, languages, size, how it was made")

    init(_ arguments: MagicArguments) throws {}

    func run(in session: Session, context: ExecutionContext) throws -> MimeBundle? {
        let rows: [[TableCell]] = session.order.compactMap { name in
            guard let entry = session.objects[name] else { return nil }
            return [
                .text(name), .text(entry.object.kind), .text(entry.object.languages.joined(separator: ",")),
                .text(entry.object.sizeDescription), .text(entry.madeBy), .int(entry.cell),
            ]
        }
        let note = rows.isEmpty ? "The session is empty: magics store what they make under a name (as=NAME)." : nil
        return Table(
            title: "session objects", columns: ["name", "kind", "languages", "size", "made by", "cell"],
            rows: rows, footnote: note
        ).mimeBundle
    }
}
