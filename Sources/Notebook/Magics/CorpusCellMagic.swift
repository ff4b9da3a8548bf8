import Embeddings
import Jupyter

/// `%%corpus NAME lang=xx [lower punct]`: a monolingual corpus written in the cell body.
struct CorpusCellMagic: Magic {
    static let spec = MagicSpec(
        name: "corpus", abstract: "a monolingual corpus from the cell body (one sentence per line)",
        positionals: [.init("name", .string, help: "the name to store it under")],
        keys: [LoadKeys.lang, TextKeys.lower, TextKeys.punct],
        bodyHelp: "sentences, one per line",
        examples: ["%%corpus tiny lang=en\nthe cat sat on the mat .\nthe dog sat on the log ."])

    let name: String
    let language: String
    let tokenizer: Tokenizer
    let body: String

    init(_ arguments: MagicArguments) throws {
        name = arguments.words[0]
        guard let body = arguments.body else {
            throw arguments.usageError(
                """
                is a cell magic: write `%%corpus \(arguments.words[0]) lang=xx` on the first line and the sentences below it (or use %load \
                corpus)
                """)
        }
        self.body = body
        self.language = arguments[LoadKeys.lang]
        tokenizer = arguments.tokenizer
    }

    func run(in session: Session, context: ExecutionContext) throws -> MimeBundle? {
        // Lines as a file has them: a final newline ends the last line rather than starting an
        // empty one, so the body counts as many sentences as `%load corpus` of the same text.
        var pieces = body.split(separator: "\n", omittingEmptySubsequences: false)
        if body.hasSuffix("\n") { pieces.removeLast() }
        let lines = pieces.map { tokenizer.tokens(String($0)) }
        let corpus = Corpus(language: language, sentences: lines)
        guard corpus.tokenCount > 0 else {
            throw Self.failure(
                """
                the cell holds no tokens (after tokenizing: \(tokenizer)); write one sentence per line below `%%corpus \(name) \
                lang=\(language)`
                """)
        }
        return Self.store(
            corpus, name: name, origin: "cell", tokenizer: tokenizer, madeBy: "%%corpus \(name) lang=\(language)",
            session: session, context: context)
    }

    /// Stores a corpus and returns its summary table.
    static func store(
        _ corpus: Corpus, name: String, origin: String, tokenizer: Tokenizer, madeBy: String,
        session: Session, context: ExecutionContext
    ) -> MimeBundle {
        session.store(CorpusObject(corpus, origin: origin, tokenizer: tokenizer), as: name, madeBy: madeBy, cell: context.executionCount)
        let frequent = corpus.vocabulary.words.prefix(8).joined(separator: ", ")
        return Table(
            title: "corpus `\(name)`", columns: ["language", "sentences", "tokens", "types", "tokens per sentence"],
            rows: [LoadCorpusMagic.summaryRow(corpus)],
            footnote: "tokenized: \(tokenizer); most frequent: \(frequent)"
        ).mimeBundle
    }
}
