import Embeddings
import Jupyter

extension DictionaryFormat: OptionChoice {}

/// `%load dict NAME path=F [format]`: a bilingual dictionary (many translations per word).
struct LoadDictMagic: Magic {
    static let format = Opt.choice(
        "format", default: DictionaryFormat.auto,
        help: """
            tsv (src<TAB>tgt), muse (src tgt), at (tgt @ src) or auto (detected)
            """)
    static let spec = MagicSpec(
        name: "load dict", abstract: "a bilingual dictionary (tsv, MUSE or `tgt @ src` lines)",
        positionals: [LoadKeys.name], keys: [LoadKeys.path, format],
        examples: ["%load dict train path=data/en-fr.train.tsv"])

    let arguments: MagicArguments
    init(_ arguments: MagicArguments) throws { self.arguments = arguments }

    /// Reads and stores the dictionary.
    func run(in session: Session, context: ExecutionContext) throws -> MimeBundle? {
        let name = arguments.words[0], path = arguments[LoadKeys.path]
        let format = arguments[Self.format]
        let dictionary = try BilingualDictionary.load(path: path, format: format)
        return DictCellMagic.store(dictionary, name: name, origin: path, session: session, context: context)
    }
}
