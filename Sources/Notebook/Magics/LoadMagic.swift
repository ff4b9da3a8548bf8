import Embeddings
import Jupyter

/// `%load vectors NAME path=F …` and `%load dict NAME path=F …`: read data into the session.
struct LoadMagic: Magic {
    static let spec = MagicSpec(
        name: "load", abstract: "load word vectors (word2vec/fastText text or binary, .gz too) or a bilingual dictionary",
        positionals: [.init("kind", .choice(["vectors", "dict"]), help: "what to load"),
                      .init("name", .string, help: "the name to store it under")],
        options: [.init("path", .path, help: "the file (plain or .gz)"),
                  .init("lang", .string, help: "vectors: language code such as en"),
                  .init("max", .int(min: 1, max: nil), help: "vectors: keep only the first N (most frequent) words"),
                  .init("lower", .bool, default: "false", help: "vectors: lowercase words; of duplicates the first is kept"),
                  .init("format", .choice(["vec", "bin", "tsv", "muse", "at", "auto"]),
                        help: "vectors: vec (text) or bin; dict: tsv (src<TAB>tgt), muse (src tgt), at (tgt @ src) or auto (default)")],
        discussion: "Paths are relative to the notebook's folder. Vectors keep the file's order (most frequent first).",
        examples: ["%load vectors en path=data/en.vec.gz lang=en max=200000", "%load dict train path=data/en-fr.train.tsv"])

    let kind: String
    let name: String
    let path: String
    let arguments: MagicArguments

    init(_ arguments: MagicArguments) throws {
        kind = arguments.words[0]
        name = arguments.words[1]
        guard let path = arguments.string("path") else {
            throw MagicError.usage(magic: "load", message: "missing path=FILE", usage: Self.spec.usage)
        }
        self.path = path
        self.arguments = arguments
        let vectorOnly = ["lang", "max", "lower"].filter { arguments.has($0) }
        if kind == "dict", let key = vectorOnly.first {
            throw MagicError.usage(magic: "load", message: "`\(key)=` applies to `%load vectors` only", usage: Self.spec.usage)
        }
        if let format = arguments.string("format") {
            let allowed = kind == "vectors" ? ["vec", "bin"] : ["tsv", "muse", "at", "auto"]
            guard allowed.contains(format) else {
                throw MagicError.usage(magic: "load", message: "format=\(format) is not a \(kind) format; use \(allowed.joined(separator: ", "))", usage: Self.spec.usage)
            }
        }
    }

    func run(in session: Session, context: ExecutionContext) throws -> MimeBundle? {
        do {
            return kind == "vectors" ? try loadVectors(session, context) : try loadDictionary(session, context)
        } catch let error as FormatError {
            throw MagicError.failed(magic: "load", message: error.description)
        }
    }

    private func loadVectors(_ session: Session, _ context: ExecutionContext) throws -> MimeBundle? {
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

    private func loadDictionary(_ session: Session, _ context: ExecutionContext) throws -> MimeBundle? {
        let format = DictionaryFormat(rawValue: arguments.string("format") ?? "auto") ?? .auto
        let dictionary = try BilingualDictionary.load(path: path, format: format)
        return DictCellMagic.store(dictionary, name: name, origin: path, session: session, context: context)
    }
}
