import Embeddings
import Jupyter

extension LoadMagic {
    /// `%load vectors NAME path=F [lang max lower format]`.
    func loadVectors(_ session: Session, _ context: ExecutionContext) throws -> MimeBundle? {
        let max = arguments.int("max")
        let lower = arguments.bool("lower") ?? false
        let language = arguments.string("lang")
        let binary = arguments.string("format") == "bin"
        let (space, report) = binary
            ? try Word2VecBinary.load(path: path, max: max, lowercase: lower, language: language)
            : try Word2VecText.load(path: path, max: max, lowercase: lower, language: language)
        guard space.count > 0 else {
            throw MagicError.failed(magic: "load", message: "\(path) holds no word vectors")
        }
        session.store(SpaceObject(space, origin: path), as: name, madeBy: "%load vectors \(name) path=\(path)", cell: context.executionCount)
        return Table(title: "loaded vectors `\(name)`", columns: ["name", "language", "words", "dim", "duplicates skipped", "zero vectors"],
                     rows: [[.text(name), .text(language ?? ""), .int(space.count), .int(space.dimension),
                             .int(report.duplicatesSkipped), .int(report.zeroVectors)]],
                     footnote: report.description).mimeBundle
    }

    /// `%load dict NAME path=F [format]`.
    func loadDictionary(_ session: Session, _ context: ExecutionContext) throws -> MimeBundle? {
        let format = DictionaryFormat(rawValue: arguments.string("format") ?? "auto") ?? .auto
        let dictionary = try BilingualDictionary.load(path: path, format: format)
        return DictCellMagic.store(dictionary, name: name, origin: path, session: session, context: context)
    }
}
