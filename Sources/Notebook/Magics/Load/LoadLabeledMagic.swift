import Embeddings
import Jupyter

extension LabeledDocuments.Format: OptionChoice {}

/// `%load labeled NAME path=F lang=xx [format=tsv|sib200] [lower punct]`: labelled documents.
struct LoadLabeledMagic: Magic {
    static let format = Opt.choice(
        "format", LabeledDocuments.Format.self, note: "detected from the first line",
        help: """
            tsv (label<TAB>text) or sib200 (SIB-200 TSV with a header naming the category and text columns)
            """)
    static let spec = MagicSpec(
        name: "load labeled", abstract: "labelled documents (SIB-200 or label<TAB>text), tokenized like corpora",
        positionals: [LoadKeys.name], keys: [LoadKeys.path, LoadKeys.lang, format, TextKeys.lower, TextKeys.punct],
        examples: ["%load labeled en_train path=data/sib200/eng_Latn/train.tsv lang=en format=sib200"])

    let arguments: MagicArguments
    init(_ arguments: MagicArguments) throws { self.arguments = arguments }

    /// Reads, tokenizes and stores the documents.
    func run(in session: Session, context: ExecutionContext) throws -> MimeBundle? {
        let name = arguments.words[0], path = arguments[LoadKeys.path]
        let language = arguments[LoadKeys.lang]
        let format = arguments[Self.format]
        let documents = try LabeledDocuments.read(path: path, language: language, format: format, tokenizer: arguments.tokenizer)
        let formatText = format.map { " format=\($0.rawValue)" } ?? ""
        return LabeledCellMagic.store(
            documents, name: name, origin: path, tokenizer: arguments.tokenizer,
            madeBy: "%load labeled \(name) path=\(path) lang=\(language)\(formatText)",
            session: session, context: context)
    }
}
