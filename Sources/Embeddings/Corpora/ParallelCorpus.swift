/// A sentence-aligned parallel corpus: sentence `s` of `source` translates sentence `s` of
/// `target`.
///
/// Invariant: `source.sentenceCount == target.sentenceCount`.
public struct ParallelCorpus: Sendable {
    /// The source-language side.
    public let source: Corpus
    /// The target-language side.
    public let target: Corpus

    /// Pairs two corpora line by line; throws when their sentence counts differ.
    public init(source: Corpus, target: Corpus) throws(FormatError) {
        guard source.sentenceCount == target.sentenceCount else {
            throw FormatError(
                file: "\(source.language)–\(target.language) parallel corpus",
                problem: """
                    the sides have different line counts (\(source.sentenceCount) \(source.language) vs \
                    \(target.sentenceCount) \(target.language))
                    """,
                fix: "give line-aligned files: line n of one side must translate line n of the other")
        }
        self.source = source
        self.target = target
    }

    /// The number of sentence pairs.
    public var sentenceCount: Int { source.sentenceCount }

    /// Reads two line-aligned files (plain or gzip). Throws naming both files when their line
    /// counts differ, and when either side holds no tokens.
    public static func read(
        sourcePath: String, targetPath: String, sourceLanguage: String, targetLanguage: String,
        tokenizer: Tokenizer = Tokenizer(), maxLines: Int? = nil
    ) throws(FormatError) -> ParallelCorpus {
        let source = try Corpus.read(path: sourcePath, language: sourceLanguage, tokenizer: tokenizer, maxLines: maxLines)
        let target = try Corpus.read(path: targetPath, language: targetLanguage, tokenizer: tokenizer, maxLines: maxLines)
        guard source.sentenceCount == target.sentenceCount else {
            throw FormatError(
                file: "\(sourcePath) and \(targetPath)",
                problem: "the files have different line counts (\(source.sentenceCount) vs \(target.sentenceCount))",
                fix: "give line-aligned files: line n of one file must translate line n of the other")
        }
        return try ParallelCorpus(source: source, target: target)
    }

    /// Reads one file whose lines hold both sides split by `separator`: a TAB (TSV) or
    /// ` ||| ` (the fast_align / WPT format). With a TAB, `columns` picks the two fields
    /// (0-based; default the first two). Throws naming the line when a line lacks a field.
    public static func read(
        path: String, separator: String, columns: (Int, Int) = (0, 1),
        sourceLanguage: String, targetLanguage: String,
        tokenizer: Tokenizer = Tokenizer(), maxLines: Int? = nil
    ) throws(FormatError) -> ParallelCorpus {
        let reader = try LineReader(path: path)
        var sources: [[String]] = [], targets: [[String]] = []
        let needed = Swift.max(columns.0, columns.1)
        while maxLines.map({ sources.count < $0 }) ?? true, let line = try reader.nextLine() {
            let fields = line.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
            guard fields.count > needed else {
                throw FormatError(
                    file: path, line: reader.lineNumber,
                    problem: "has \(fields.count) field(s) split by \(separator == "\t" ? "TAB" : "'\(separator)'"), needs \(needed + 1)",
                    fix: "each line must hold the source and the target sentence")
            }
            sources.append(tokenizer.tokens(fields[columns.0]))
            targets.append(tokenizer.tokens(fields[columns.1]))
        }
        let source = Corpus(language: sourceLanguage, sentences: sources)
        let target = Corpus(language: targetLanguage, sentences: targets)
        guard source.tokenCount > 0, target.tokenCount > 0 else {
            throw FormatError(
                file: path, problem: "holds no tokens on the \(source.tokenCount == 0 ? "source" : "target") side",
                fix: "give a file with one sentence pair per line")
        }
        return try ParallelCorpus(source: source, target: target)
    }
}
