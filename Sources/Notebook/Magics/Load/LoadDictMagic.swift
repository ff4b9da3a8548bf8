import Embeddings
import Jupyter

extension DictionaryFormat: OptionChoice {}

/// `%load dict NAME path=F [format] [lower]`: a bilingual dictionary (many translations per word).
struct LoadDictMagic: Magic {
    static let format = Opt.choice(
        "format", default: DictionaryFormat.auto,
        help: """
            tsv (src<TAB>tgt), muse (src tgt), at (tgt @ src) or auto (detected)
            """)
    static let lower = Opt.bool(
        "lower", default: false,
        help: """
            lowercase both words of every pair and merge pairs that become equal (for dictionaries that keep case, e.g. German \
            nouns in xling-eval, against corpora loaded with %load corpus's default lower=true); default false keeps the file's spelling
            """)
    static let spec = MagicSpec(
        name: "load dict", abstract: "a bilingual dictionary (tsv, MUSE or `tgt @ src` lines)",
        positionals: [LoadKeys.name], keys: [LoadKeys.path, format, lower],
        examples: ["%load dict train path=data/en-fr.train.tsv", "%load dict test path=data/en-de.test.tsv lower=true"])

    let arguments: MagicArguments
    init(_ arguments: MagicArguments) throws { self.arguments = arguments }

    /// Reads and stores the dictionary.
    func run(in session: Session, context: ExecutionContext) throws -> MimeBundle? {
        let name = arguments.words[0], path = arguments[LoadKeys.path]
        let format = arguments[Self.format]
        let read = try BilingualDictionary.load(path: path, format: format)
        guard arguments[Self.lower] else { return DictCellMagic.store(read, name: name, origin: path, session: session, context: context) }
        let lowered = read.lowercased()
        return DictCellMagic.store(
            lowered, name: name, origin: path, session: session, context: context,
            note: "lowercased: \(read.count.formatted) pairs in the file, \((read.count - lowered.count).formatted) merged as duplicates")
    }
}
