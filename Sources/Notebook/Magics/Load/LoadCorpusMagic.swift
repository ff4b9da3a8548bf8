import Embeddings
import Jupyter

/// `%load corpus NAME path=F lang=xx [lower punct max_lines]`: a tokenized monolingual corpus.
struct LoadCorpusMagic: Magic {
    static let spec = MagicSpec(
        name: "load corpus", abstract: "a tokenized monolingual corpus (plain or .gz, one sentence per line)",
        positionals: [LoadKeys.name], keys: [LoadKeys.path, LoadKeys.lang, TextKeys.lower, TextKeys.punct, TextKeys.maxLines],
        examples: ["%load corpus en path=data/europarl.en.gz lang=en"])

    let arguments: MagicArguments
    init(_ arguments: MagicArguments) throws { self.arguments = arguments }

    /// Reads, tokenizes and stores the corpus.
    func run(in session: Session, context: ExecutionContext) throws -> MimeBundle? {
        let name = arguments.words[0], path = arguments[LoadKeys.path]
        let language = arguments[LoadKeys.lang]
        let corpus = try Corpus.read(path: path, language: language, tokenizer: arguments.tokenizer, maxLines: arguments[TextKeys.maxLines])
        return CorpusCellMagic.store(
            corpus, name: name, origin: path, tokenizer: arguments.tokenizer,
            madeBy: """
                %load corpus \(name) path=\(path) lang=\(language)
                """,
            session: session, context: context)
    }
    /// One corpus's summary row: language, sentences, tokens, types, mean sentence length.
    static func summaryRow(_ corpus: Corpus) -> [TableCell] {
        [
            .text(corpus.language), .int(corpus.sentenceCount), .int(corpus.tokenCount), .int(corpus.vocabulary.count),
            .double(Double(corpus.tokenCount) / Double(max(1, corpus.sentenceCount))),
        ]
    }
}
