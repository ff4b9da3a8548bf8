import Embeddings
import Jupyter

extension LoadMagic {
    /// `%load corpus NAME path=F lang=xx [lower punct max_lines]`.
    func loadCorpus(_ session: Session, _ context: ExecutionContext) throws -> MimeBundle? {
        let language = arguments.string("lang") ?? ""
        let corpus = try Corpus.read(path: path, language: language, tokenizer: tokenizer, maxLines: arguments.int("max_lines"))
        return CorpusCellMagic.store(corpus, name: name, origin: path, tokenizer: tokenizer, madeBy: "%load corpus \(name) path=\(path) lang=\(language)",
                                     session: session, context: context)
    }

    /// `%load parallel NAME (src=F tgt=F | path=F [format=tsv|pipes]) src_lang=xx tgt_lang=yy [lower punct max_lines]`.
    func loadParallel(_ session: Session, _ context: ExecutionContext) throws -> MimeBundle? {
        let sourceLanguage = arguments.string("src_lang") ?? "", targetLanguage = arguments.string("tgt_lang") ?? ""
        let maxLines = arguments.int("max_lines")
        let parallel: ParallelCorpus
        let origin: String
        if let source = arguments.string("src"), let target = arguments.string("tgt") {
            parallel = try ParallelCorpus.read(sourcePath: source, targetPath: target, sourceLanguage: sourceLanguage,
                                               targetLanguage: targetLanguage, tokenizer: tokenizer, maxLines: maxLines)
            origin = "src=\(source) tgt=\(target)"
        } else {
            parallel = try ParallelCorpus.read(path: path, separator: arguments.string("format") == "pipes" ? " ||| " : "\t",
                                               sourceLanguage: sourceLanguage, targetLanguage: targetLanguage,
                                               tokenizer: tokenizer, maxLines: maxLines)
            origin = "path=\(path)"
        }
        session.store(ParallelObject(parallel, origin: origin, tokenizer: tokenizer), as: name,
                      madeBy: "%load parallel \(name) \(origin)", cell: context.executionCount)
        let sides = [parallel.source, parallel.target]
        return Table(title: "parallel corpus `\(name)` (\(parallel.sentenceCount.formatted) sentence pairs)",
                     columns: ["language", "sentences", "tokens", "types", "tokens per sentence"],
                     rows: sides.map { Self.summaryRow($0) },
                     footnote: "tokenized: \(tokenizer)").mimeBundle
    }

    /// One corpus's summary row: language, sentences, tokens, types, mean sentence length.
    static func summaryRow(_ corpus: Corpus) -> [TableCell] {
        [.text(corpus.language), .int(corpus.sentenceCount), .int(corpus.tokenCount), .int(corpus.vocabulary.count),
         .double(Double(corpus.tokenCount) / Double(max(1, corpus.sentenceCount)))]
    }
}
