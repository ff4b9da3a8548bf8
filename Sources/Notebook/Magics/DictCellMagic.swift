import Embeddings
import Jupyter

/// `%%dict NAME [format=…] [lower]`: a bilingual dictionary written in the cell body; `lower=true`
/// lowercases and merges its pairs as `%load dict … lower=true` does.
struct DictCellMagic: Magic {
    static let spec = MagicSpec(
        name: "dict", abstract: "a bilingual dictionary from the cell body (one pair per line)",
        positionals: [.init("name", .string, help: "the name to store it under")],
        keys: [LoadDictMagic.format, LoadDictMagic.lower],
        bodyHelp: "pairs, one per line, e.g. `house maison`",
        examples: ["%%dict seed\nhouse maison\ncat chat", "%%dict nouns lower=true\nparliament Parlament\ncommission Kommission"])

    let name: String
    let format: DictionaryFormat
    let lower: Bool
    let body: String

    init(_ arguments: MagicArguments) throws {
        name = arguments.words[0]
        format = arguments[LoadDictMagic.format]
        lower = arguments[LoadDictMagic.lower]
        guard let body = arguments.body else {
            throw Self.usageError("is a cell magic: write `%%dict \(arguments.words[0])` on the first line and the pairs below it")
        }
        self.body = body
    }

    func run(in session: Session, context: ExecutionContext) throws -> MimeBundle? {
        let dictionary = try BilingualDictionary.parse(body, format: format, name: "the cell")
        guard lower else { return Self.store(dictionary, name: name, origin: "cell", session: session, context: context) }
        let lowered = dictionary.lowercased()
        return Self.store(
            lowered, name: name, origin: "cell", session: session, context: context,
            note:
                "lowercased: \(dictionary.count.formatted) pairs in the cell, \((dictionary.count - lowered.count).formatted) merged as duplicates"
        )
    }

    /// Stores a dictionary and returns its summary table.
    static func store(
        _ dictionary: BilingualDictionary, name: String, origin: String, session: Session,
        context: ExecutionContext, note: String? = nil
    ) -> MimeBundle {
        session.store(
            DictionaryObject(dictionary, origin: origin), as: name,
            madeBy: (origin == "cell" ? "%%dict \(name)" : "%load dict \(name) path=\(origin)") + (note == nil ? "" : " lower=true"),
            cell: context.executionCount)
        let examples = dictionary.pairs.prefix(3).map { "\($0.source) → \($0.target)" }.joined(separator: ", ")
        return Table(
            title: "dictionary `\(name)`", columns: ["name", "pairs", "source words", "translations per source word"],
            rows: [
                [
                    .text(name), .int(dictionary.count), .int(dictionary.sources.count),
                    .double(Double(dictionary.count) / Double(max(1, dictionary.sources.count))),
                ]
            ],
            footnote: (note.map { $0 + "; " } ?? "") + "e.g. \(examples)"
        ).mimeBundle
    }
}
