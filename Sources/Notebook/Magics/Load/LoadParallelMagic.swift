import Embeddings
import Jupyter

/// `%load parallel NAME (src=F tgt=F | path=F [format=tsv|pipes]) src_lang=xx tgt_lang=yy [lower punct max_lines]`:
/// a sentence-aligned parallel corpus.
struct LoadParallelMagic: Magic {
    /// `format=` of a one-file parallel corpus.
    enum Format: String, OptionChoice { case tsv, pipes }

    static let path = Opt.text("path", .path, help: "one file holding both sides (see format=)")
    static let src = Opt.text("src", .path, help: "the source-language file (line-aligned with tgt=)")
    static let tgt = Opt.text("tgt", .path, help: "the target-language file")
    static let srcLang = Opt.required("src_lang", .string, help: "source language code")
    static let tgtLang = Opt.required("tgt_lang", .string, help: "target language code")
    static let format = Opt.choice("format", default: Format.tsv, help: "path=: tsv (src<TAB>tgt) or pipes (src ||| tgt)")
    static let spec = MagicSpec(
        name: "load parallel", abstract: "a sentence-aligned parallel corpus: two line-aligned files or one file of pairs",
        positionals: [LoadKeys.name],
        keys: [srcLang, tgtLang, src, tgt, path, format, TextKeys.lower, TextKeys.punct, TextKeys.maxLines],
        examples: ["%load parallel ende src=data/train.en.gz tgt=data/train.de.gz src_lang=en tgt_lang=de"])

    let arguments: MagicArguments

    init(_ arguments: MagicArguments) throws {
        self.arguments = arguments
        let twoFiles = arguments.has(Self.src) || arguments.has(Self.tgt)
        let valid = twoFiles ? arguments.has(Self.src) && arguments.has(Self.tgt) && !arguments.has(Self.path) : arguments.has(Self.path)
        guard valid else {
            throw arguments.usageError("give two line-aligned files (src=F tgt=F) or one file with both sides (path=F), not both")
        }
        if twoFiles, arguments.has(Self.format) {
            throw arguments.usageError("format= describes a one-file corpus (path=); drop it with src= and tgt=")
        }
    }

    /// Reads, tokenizes and stores both sides.
    func run(in session: Session, context: ExecutionContext) throws -> MimeBundle? {
        let name = arguments.words[0]
        let sourceLanguage = arguments[Self.srcLang], targetLanguage = arguments[Self.tgtLang]
        let maxLines = arguments[TextKeys.maxLines]
        let parallel: ParallelCorpus
        let origin: String
        if let path = arguments[Self.path] {
            parallel = try ParallelCorpus.read(
                path: path, separator: arguments[Self.format] == .pipes ? " ||| " : "\t",
                sourceLanguage: sourceLanguage, targetLanguage: targetLanguage,
                tokenizer: arguments.tokenizer, maxLines: maxLines)
            origin = "path=\(path)"
        } else {
            // init proved that without path= both src= and tgt= are given.
            let source = arguments[Self.src] ?? "", target = arguments[Self.tgt] ?? ""
            parallel = try ParallelCorpus.read(
                sourcePath: source, targetPath: target, sourceLanguage: sourceLanguage,
                targetLanguage: targetLanguage, tokenizer: arguments.tokenizer, maxLines: maxLines)
            origin = "src=\(source) tgt=\(target)"
        }
        session.store(
            ParallelObject(parallel, origin: origin, tokenizer: arguments.tokenizer), as: name,
            madeBy: "%load parallel \(name) \(origin)", cell: context.executionCount)
        let sides = [parallel.source, parallel.target]
        return Table(
            title: "parallel corpus `\(name)` (\(parallel.sentenceCount.formatted) sentence pairs)",
            columns: ["language", "sentences", "tokens", "types", "tokens per sentence"],
            rows: sides.map { LoadCorpusMagic.summaryRow($0) },
            footnote: "tokenized: \(arguments.tokenizer)"
        ).mimeBundle
    }
}
