import Embeddings
import Jupyter

/// `%load vectors|dict|corpus|parallel|labeled NAME …`: read data into the session. Each kind
/// is its own method magic (`Load…Magic`).
enum LoadMagic: MagicFamily {
    static let familyName = "load"
    static let abstract = "load word vectors, a bilingual dictionary, a corpus, a parallel corpus or labelled documents (plain or .gz)"
    nonisolated(unsafe) static let methods: [any Magic.Type] = [
        LoadVectorsMagic.self,
        LoadDictMagic.self,
        LoadCorpusMagic.self,
        LoadParallelMagic.self,
        LoadLabeledMagic.self,
    ]
    static let discussion = """
        Paths are relative to the notebook's folder. Vectors keep the file's order (most frequent first). \
        Corpora hold one sentence per line; a parallel corpus is two line-aligned files (src= tgt=) or one file \
        with both sides (path=). Labelled documents are one per line, tokenized like corpora.
        """
}

/// The keys the loaders share.
enum LoadKeys {
    /// The NAME positional every loader takes.
    static let name = MagicSpec.Positional("name", .string, help: "the name to store it under")
    static let path = Opt.required("path", .path, help: "the file (plain or .gz)")
    static let lang = Opt.required("lang", .string, help: "language code such as en")
}

/// The tokenizer keys of every magic that reads text (`%load corpus|parallel|labeled`,
/// `%%corpus`, `%%labeled`).
enum TextKeys {
    /// `punct=`: what to do with punctuation.
    enum Punctuation: String, OptionChoice { case strip, keep }

    static let lower = Opt.bool("lower", default: true, help: "lowercase tokens")
    static let punct = Opt.choice(
        "punct", default: Punctuation.strip,
        help: """
            strip punctuation from token edges and drop punctuation tokens (as Shi et al. 2015), or keep every \
            whitespace token
            """)
    static let maxLines = Opt.int("max_lines", min: 1, help: "read only the first N lines")
}

extension MagicArguments {
    /// The tokenizer that `lower=` and `punct=` ask for.
    var tokenizer: Tokenizer {
        Tokenizer(lowercase: self[TextKeys.lower], stripPunctuation: self[TextKeys.punct] == .strip)
    }
}
