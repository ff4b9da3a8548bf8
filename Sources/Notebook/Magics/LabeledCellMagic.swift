import Embeddings
import Jupyter

/// `%%labeled NAME lang=xx [format=tsv|sib200] [lower punct]`: labelled documents written in
/// the cell body, one `label<TAB>text` per line (or a SIB-200 TSV with its header).
struct LabeledCellMagic: Magic {
    static let spec = MagicSpec(
        name: "labeled", abstract: "labelled documents from the cell body (label<TAB>text per line)",
        positionals: [.init("name", .string, help: "the name to store them under")],
        keys: [LoadKeys.lang, LoadLabeledMagic.format, TextKeys.lower, TextKeys.punct],
        bodyHelp: "documents, one per line: label<TAB>text",
        discussion: """
            Texts are tokenized like corpora (lowercased, punctuation removed). Blank lines are skipped. `%eval cldc` trains on one \
            labelled set and tests on another.
            """,
        examples: ["%%labeled tiny lang=en\nsports\tthe match ended in a draw\npolitics\tthe parliament passed the law"])

    let name: String
    let language: String
    let format: LabeledDocuments.Format?
    let tokenizer: Tokenizer
    let body: String

    init(_ arguments: MagicArguments) throws {
        name = arguments.words[0]
        guard let body = arguments.body else {
            throw arguments.usageError(
                """
                is a cell magic: write `%%labeled \(arguments.words[0]) lang=xx` on the first line and label<TAB>text lines below it (or \
                use %load labeled)
                """)
        }
        self.body = body
        self.language = arguments[LoadKeys.lang]
        format = arguments[LoadLabeledMagic.format]
        tokenizer = arguments.tokenizer
    }

    func run(in session: Session, context: ExecutionContext) throws -> MimeBundle? {
        let documents = try LabeledDocuments.parse(
            body, name: "%%labeled cell", language: language, format: format,
            tokenizer: tokenizer)
        return Self.store(
            documents, name: name, origin: "cell", tokenizer: tokenizer, madeBy: "%%labeled \(name) lang=\(language)",
            session: session, context: context)
    }

    /// Stores labelled documents and returns their summary table: one row per label with its
    /// document count and share.
    static func store(
        _ documents: LabeledDocuments, name: String, origin: String, tokenizer: Tokenizer, madeBy: String,
        session: Session, context: ExecutionContext
    ) -> MimeBundle {
        let object = LabeledObject(documents, origin: origin, tokenizer: tokenizer)
        session.store(object, as: name, madeBy: madeBy, cell: context.executionCount)
        let counts = documents.labelCounts
        let rows: [[TableCell]] = documents.labelNames.indices.map { k in
            [.text(documents.labelNames[k]), .int(counts[k]), .percent(Double(counts[k]) / Double(documents.count) * 100)]
        }
        let perDocument = Double(documents.tokenCount) / Double(documents.count)
        return Table(
            title: "labelled documents `\(name)` (\(documents.language), \(object.sizeDescription))",
            columns: ["label", "documents", "share (%)"], rows: rows,
            footnote: """
                \(documents.tokenCount.formatted) tokens, \(NumberText.fixed(perDocument, 1)) per document; tokenized: \
                \(tokenizer)
                """
        ).mimeBundle
    }
}
