import Embeddings
import Jupyter

/// `%load vectors NAME path=F [lang max lower format]`: word2vec/fastText vectors, streamed.
struct LoadVectorsMagic: Magic {
    /// `format=` of a vectors file.
    enum Format: String, OptionChoice { case vec, bin }

    static let lang = Opt.text("lang", .string, help: "language code such as en")
    static let max = Opt.int("max", min: 1, help: "keep only the first N (most frequent) words")
    static let lower = Opt.bool("lower", default: false, help: "lowercase words; of duplicates the first is kept")
    static let format = Opt.choice("format", default: Format.vec, help: "vec (text) or bin (word2vec binary)")
    static let spec = MagicSpec(
        name: "load vectors", abstract: "word2vec/fastText text or binary vectors (.gz too)",
        positionals: [LoadKeys.name], keys: [LoadKeys.path, lang, max, lower, format],
        examples: ["%load vectors en path=data/en.vec.gz lang=en max=200000"])

    let arguments: MagicArguments
    init(_ arguments: MagicArguments) throws { self.arguments = arguments }

    /// Reads the vectors and stores them as a space.
    func run(in session: Session, context: ExecutionContext) throws -> MimeBundle? {
        let name = arguments.words[0], path = arguments[LoadKeys.path]
        let max = arguments[Self.max]
        let lower = arguments[Self.lower]
        let language = arguments[Self.lang]
        let binary = arguments[Self.format] == .bin
        let (space, report) =
            binary
            ? try Word2VecBinary.load(path: path, max: max, lowercase: lower, language: language)
            : try Word2VecText.load(path: path, max: max, lowercase: lower, language: language)
        guard space.count > 0 else {
            throw Self.failure("\(path) holds no word vectors")
        }
        session.store(
            SpaceObject(space, origin: path), as: name, madeBy: "%load vectors \(name) path=\(path)", cell: context.executionCount)
        return Table(
            title: "loaded vectors `\(name)`", columns: ["name", "language", "words", "dim", "duplicates skipped", "zero vectors"],
            rows: [
                [
                    .text(name), .text(language ?? ""), .int(space.count), .int(space.dimension),
                    .int(report.duplicatesSkipped), .int(report.zeroVectors),
                ]
            ],
            footnote: report.description
        ).mimeBundle
    }
}
