/// A tokenized monolingual corpus in memory: sentences of word ids over a frequency-ordered
/// vocabulary of every word type it contains.
///
/// Invariants: `vocabulary[i]` occurs `counts[i]` times; counts never increase with `i` (ties
/// in word order, so the order is deterministic); every token id is in `0..<vocabulary.count`;
/// sentence `s` is `tokens[sentenceStarts[s]..<sentenceStarts[s + 1]]` and may be empty (an
/// empty line keeps its place, so line-aligned corpora stay aligned). Because ids are
/// frequency ranks, "the words seen at least `minCount` times" is the id prefix
/// `0..<vocabularySize(minCount:)`.
public struct Corpus: Sendable {
    /// The language code (`en`), as the user gave it.
    public let language: String
    /// Every word type, most frequent first.
    public let vocabulary: Vocabulary
    /// `counts[i]` = occurrences of word `i`.
    public let counts: [Int]
    /// The token ids of all sentences, concatenated.
    public let tokens: [Int32]
    /// Sentence boundaries into `tokens`: `sentenceCount + 1` offsets, first 0, last `tokens.count`.
    public let sentenceStarts: [Int]

    /// Builds a corpus from tokenized sentences (used by the readers, `%%corpus` and tests).
    public init(language: String, sentences: some Sequence<[String]>) {
        var builder = CorpusBuilder(language: language)
        for sentence in sentences { builder.append(sentence) }
        self = builder.build()
    }

    /// A corpus from parts that already satisfy the invariants (the builder's output).
    init(language: String, vocabulary: Vocabulary, counts: [Int], tokens: [Int32], sentenceStarts: [Int]) {
        self.language = language
        self.vocabulary = vocabulary
        self.counts = counts
        self.tokens = tokens
        self.sentenceStarts = sentenceStarts
    }

    /// The number of sentences (lines).
    public var sentenceCount: Int { sentenceStarts.count - 1 }
    /// The number of tokens.
    public var tokenCount: Int { tokens.count }

    /// The token ids of sentence `s` (0-based).
    public func sentence(_ s: Int) -> ArraySlice<Int32> { tokens[sentenceStarts[s]..<sentenceStarts[s + 1]] }

    /// How many of the most frequent words have at least `minCount` occurrences, capped at
    /// `maxSize`: the vocabulary of a model trained on this corpus is ids `0..<result`.
    public func vocabularySize(minCount: Int = 1, maxSize: Int? = nil) -> Int {
        var lo = 0, hi = counts.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if counts[mid] >= minCount { lo = mid + 1 } else { hi = mid }
        }
        return Swift.min(lo, maxSize ?? lo)
    }

    /// For each word id of this corpus, its row in `vocabulary` when that row is below
    /// `limit`, else -1: how a parallel corpus side's ids are carried into the vocabulary of
    /// a model trained on (other) monolingual text.
    public func idMap(into vocabulary: Vocabulary, limit: Int) -> [Int32] {
        self.vocabulary.words.map { word in
            guard let row = vocabulary.id(word), row < limit else { return -1 }
            return Int32(row)
        }
    }

    /// This corpus followed by `others`, as one corpus (vocabulary and counts merged and
    /// re-ranked): e.g. Europarl plus the same language's side of a parallel corpus.
    public func concatenating(_ others: [Corpus]) -> Corpus {
        var builder = CorpusBuilder(language: language)
        for corpus in [self] + others {
            let words = corpus.vocabulary.words
            for s in 0..<corpus.sentenceCount {
                builder.append(corpus.sentence(s).map { words[Int($0)] })
            }
        }
        return builder.build()
    }

    /// Reads one sentence per line from a plain or gzip file, tokenized by `tokenizer`.
    /// Throws a `FormatError` naming the file when it cannot be read or is not UTF-8, and when
    /// it holds no tokens at all (an empty corpus cannot train anything).
    public static func read(
        path: String, language: String, tokenizer: Tokenizer = Tokenizer(),
        maxLines: Int? = nil
    ) throws(FormatError) -> Corpus {
        let reader = try LineReader(path: path)
        var builder = CorpusBuilder(language: language)
        while maxLines.map({ builder.sentenceCount < $0 }) ?? true {
            let more: Bool? = try reader.withNextLine { bytes throws(FormatError) in
                guard String(validating: bytes, as: UTF8.self) != nil else {
                    _ = try reader.decode(bytes)
                    return false
                }
                builder.appendLine(bytes, tokenizer: tokenizer)
                return true
            }
            guard more != nil else { break }
        }
        let corpus = builder.build()
        guard corpus.tokenCount > 0 else {
            throw FormatError(
                file: path,
                problem: """
                    holds no tokens (\(corpus.sentenceCount) lines, all empty after tokenizing: \(tokenizer))
                    """,
                fix: "give a text file with one sentence per line")
        }
        return corpus
    }
}
