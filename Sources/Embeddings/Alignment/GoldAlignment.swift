/// Reference word alignments for evaluation: sure links S and possible links P (Och & Ney
/// 2003), per sentence pair, 0-based.
///
/// Invariant: `sure.sentences[s] ⊆ possible.sentences[s]` for every `s`, and both have the same
/// number of sentences.
public struct GoldAlignment: Sendable, Equatable {
    /// S: the links every annotator agreed on.
    public let sure: WordAlignment
    /// P ⊇ S: the links at least one annotator allowed.
    public let possible: WordAlignment

    /// Gold links from sure and possible sets; `possible` is widened to include `sure`.
    public init(sure: WordAlignment, possible: WordAlignment) {
        precondition(sure.sentences.count == possible.sentences.count, "sure and possible links of different corpora")
        self.sure = sure
        self.possible = WordAlignment(sentences: zip(sure.sentences, possible.sentences).map { $0 + $1 })
    }

    /// The number of sentence pairs.
    public var sentenceCount: Int { sure.sentences.count }

    /// Reads a WPT 2003 gold file (1-based `i-j` sure, `ipj` possible; `oneBased: false` for
    /// 0-based files such as Pharaoh output used as a reference).
    public static func read(path: String, oneBased: Bool = true) throws(FormatError) -> GoldAlignment {
        let links = try PharaohFormat.read(path: path, oneBased: oneBased)
        return GoldAlignment(sure: links.sure, possible: links.possible)
    }

    /// Checks that this gold set fits `parallel` from sentence `offset` on: enough sentence pairs,
    /// and every link inside its sentences. Throws naming `file`, the 1-based line and the
    /// sentence lengths, and how to fix it (usually: tokenize without stripping punctuation, or
    /// give the matching corpus).
    public func validate(against parallel: ParallelCorpus, offset: Int = 0, file: String) throws(FormatError) {
        guard offset >= 0, offset + sentenceCount <= parallel.sentenceCount else {
            throw FormatError(
                file: file,
                problem: """
                    has \(sentenceCount) sentence pairs but the corpus has \
                    \(parallel.sentenceCount)\(offset > 0 ? " (from pair \(offset + 1))" : "")
                    """,
                fix: "give the gold alignments of this corpus's sentences, one line per pair, in corpus order")
        }
        for (s, links) in possible.sentences.enumerated() {
            let m = parallel.source.sentence(offset + s).count, n = parallel.target.sentence(offset + s).count
            if let bad = links.first(where: { Int($0.source) >= m || Int($0.target) >= n }) {
                throw FormatError(
                    file: file, line: s + 1,
                    problem: """
                        links source word \(bad.source + 1) to target word \(bad.target + 1), but the pair has \(m) and \(n) \
                        tokens
                        """,
                    fix: """
                        tokenize the corpus as the gold file was (every whitespace token kept, punctuation included) and \
                        check the line order
                        """)
            }
        }
    }
}
