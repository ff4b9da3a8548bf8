import Embeddings
import Jupyter

/// `%load vectors|dict|corpus|parallel|labeled NAME …`: read data into the session. Each kind's
/// reading lives in its own `LoadMagic+Kind.swift`; this file owns the spec and which keys
/// each kind takes.
struct LoadMagic: Magic {
    static let spec = MagicSpec(
        name: "load", abstract: "load word vectors, a bilingual dictionary, a corpus, a parallel corpus or labelled documents (plain or .gz)",
        positionals: [.init("kind", .choice(["vectors", "dict", "corpus", "parallel", "labeled"]), help: "what to load"),
                      .init("name", .string, help: "the name to store it under")],
        options: [.init("path", .path, help: "the file (plain or .gz); parallel: one file holding both sides (see format)"),
                  .init("lang", .string, help: "vectors, corpus, labeled: language code such as en"),
                  .init("max", .int(min: 1, max: nil), help: "vectors: keep only the first N (most frequent) words"),
                  .init("lower", .bool, help: "lowercase words (vectors: default false, of duplicates the first is kept; corpora, labeled: default true)"),
                  .init("punct", .choice(["strip", "keep"]), help: "corpora, labeled: strip punctuation from token edges and drop punctuation tokens (default strip, as Shi et al. 2015), or keep every whitespace token"),
                  .init("max_lines", .int(min: 1, max: nil), help: "corpora: read only the first N lines"),
                  .init("src", .path, help: "parallel: the source-language file (line-aligned with tgt)"),
                  .init("tgt", .path, help: "parallel: the target-language file"),
                  .init("src_lang", .string, help: "parallel: source language code"),
                  .init("tgt_lang", .string, help: "parallel: target language code"),
                  .init("format", .choice(["vec", "bin", "tsv", "muse", "at", "auto", "pipes", "sib200"]),
                        help: "vectors: vec (text) or bin; dict: tsv (src<TAB>tgt), muse (src tgt), at (tgt @ src) or auto (default); parallel path=: tsv (src<TAB>tgt, default) or pipes (src ||| tgt); labeled: tsv (label<TAB>text) or sib200 (SIB-200 TSV with header; default: detected from the first line)")],
        discussion: "Paths are relative to the notebook's folder. Vectors keep the file's order (most frequent first). Corpora hold one sentence per line; a parallel corpus is two line-aligned files (src= tgt=) or one file with both sides (path=). Labelled documents are one per line, tokenized like corpora.",
        examples: ["%load vectors en path=data/en.vec.gz lang=en max=200000", "%load dict train path=data/en-fr.train.tsv",
                   "%load corpus en path=data/europarl.en.gz lang=en", "%load parallel ende src=data/train.en.gz tgt=data/train.de.gz src_lang=en tgt_lang=de",
                   "%load labeled en_train path=data/sib200/eng_Latn/train.tsv lang=en format=sib200"])

    /// The keys each kind accepts (besides its two positionals).
    static let keys: [String: Set<String>] = [
        "vectors": ["path", "lang", "max", "lower", "format"],
        "dict": ["path", "format"],
        "corpus": ["path", "lang", "lower", "punct", "max_lines"],
        "parallel": ["path", "src", "tgt", "src_lang", "tgt_lang", "lower", "punct", "max_lines", "format"],
        "labeled": ["path", "lang", "lower", "punct", "format"],
    ]
    /// The formats each kind accepts.
    static let formats: [String: [String]] = [
        "vectors": ["vec", "bin"], "dict": ["tsv", "muse", "at", "auto"], "corpus": [], "parallel": ["tsv", "pipes"],
        "labeled": ["tsv", "sib200"],
    ]

    let kind: String
    let name: String
    let arguments: MagicArguments

    init(_ arguments: MagicArguments) throws {
        kind = arguments.words[0]
        name = arguments.words[1]
        self.arguments = arguments
        let allowed = Self.keys[kind] ?? []
        for key in Self.spec.options.map(\.key) where arguments.has(key) && !allowed.contains(key) {
            throw MagicError.usage(magic: "load", message: "`\(key)=` does not apply to `%load \(kind)` (it takes \(allowed.sorted().map { "\($0)=" }.joined(separator: " ")))", usage: Self.spec.usage)
        }
        if let format = arguments.string("format"), let formats = Self.formats[kind], !formats.contains(format) {
            throw MagicError.usage(magic: "load", message: "format=\(format) is not a \(kind) format; use \(formats.joined(separator: ", "))", usage: Self.spec.usage)
        }
        let needsLanguage = kind == "corpus" || kind == "labeled" ? ["lang"] : kind == "parallel" ? ["src_lang", "tgt_lang"] : []
        for key in needsLanguage where !arguments.has(key) {
            throw MagicError.usage(magic: "load", message: "missing \(key)=xx (the language code, e.g. en)", usage: Self.spec.usage)
        }
        if kind == "parallel" {
            let twoFiles = arguments.has("src") || arguments.has("tgt")
            guard twoFiles ? (arguments.has("src") && arguments.has("tgt") && !arguments.has("path")) : arguments.has("path") else {
                throw MagicError.usage(magic: "load", message: "give two line-aligned files (src=F tgt=F) or one file with both sides (path=F), not both", usage: Self.spec.usage)
            }
        } else if !arguments.has("path") {
            throw MagicError.usage(magic: "load", message: "missing path=FILE", usage: Self.spec.usage)
        }
    }

    func run(in session: Session, context: ExecutionContext) throws -> MimeBundle? {
        do {
            switch kind {
            case "vectors": return try loadVectors(session, context)
            case "dict": return try loadDictionary(session, context)
            case "corpus": return try loadCorpus(session, context)
            case "labeled": return try loadLabeled(session, context)
            default: return try loadParallel(session, context)
            }
        } catch let error as FormatError {
            throw MagicError.failed(magic: "load", message: error.description)
        }
    }

    /// The tokenizer the arguments ask for (lowercase and strip punctuation by default).
    var tokenizer: Tokenizer { arguments.tokenizer }

    /// The `path=` argument (validated present for kinds that need it).
    var path: String { arguments.string("path") ?? "" }
}
