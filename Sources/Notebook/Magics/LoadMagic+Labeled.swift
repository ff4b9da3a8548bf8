import Embeddings
import Jupyter

extension LoadMagic {
    /// `%load labeled NAME path=F lang=xx [format=tsv|sib200] [lower punct]`.
    func loadLabeled(_ session: Session, _ context: ExecutionContext) throws -> MimeBundle? {
        let language = arguments.string("lang") ?? ""
        let format = arguments.string("format").flatMap(LabeledDocuments.Format.init(rawValue:))
        let documents = try LabeledDocuments.read(path: path, language: language, format: format, tokenizer: tokenizer)
        let formatText = format.map { " format=\($0.rawValue)" } ?? ""
        return LabeledCellMagic.store(documents, name: name, origin: path, tokenizer: tokenizer,
                                      madeBy: "%load labeled \(name) path=\(path) lang=\(language)\(formatText)",
                                      session: session, context: context)
    }
}
