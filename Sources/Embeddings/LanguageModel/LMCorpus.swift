/// One language's training text for `MultilingualLM`: the words kept (count ≥ `minCount`, at
/// most `maxWords`, most frequent first) and the sentences as model ids.
///
/// Invariants: `words[0]` is `<unk>` (model id 0, the language's UNK row in E^ℓ and W^ℓ); word
/// id r ≥ 1 is `words[r]`, the corpus word of frequency rank r − 1; every sentence is non-empty,
/// at most `maxLength` tokens, ids in `0..<words.count`.
public struct LMCorpus: Sendable {
    /// The language code.
    public let language: String
    /// `<unk>`, then the kept words by descending frequency.
    public let words: [String]
    /// Sentences of model ids (0 = UNK).
    public let sentences: [[Int]]
    /// Lines dropped: empty, or longer than `maxLength`.
    public let droppedLines: Int
    /// The share of kept tokens that map to UNK.
    public let unknownRate: Double

    /// The UNK spelling (also its id 0).
    public static let unknown = "<unk>"

    /// Keeps words with count ≥ `minCount` (capped at the `maxWords` most frequent) and the
    /// non-empty lines of at most `maxLength` tokens (a labelled deviation: the paper states no
    /// cap; Europarl lines reach 862 tokens). Throws when no word or no sentence is left.
    public init(_ corpus: Corpus, minCount: Int, maxWords: Int? = nil, maxLength: Int = 100) throws(LanguageModelError) {
        guard minCount >= 1 else {
            throw LanguageModelError(problem: "min_count must be at least 1, got \(minCount)", fix: "e.g. min_count=3")
        }
        guard maxLength >= 1 else { throw LanguageModelError(problem: "the length cap must be at least 1", fix: "e.g. 100 tokens") }
        let kept = corpus.vocabularySize(minCount: minCount, maxSize: maxWords)
        guard kept > 0 else {
            throw LanguageModelError(
                problem: "no word of the \(corpus.language) corpus occurs \(minCount) times",
                fix: "lower min_count (its most frequent word occurs \(corpus.counts.first ?? 0) times) or use a larger corpus")
        }
        var sentences: [[Int]] = []
        var dropped = 0, unknown = 0, tokens = 0
        for s in 0..<corpus.sentenceCount {
            let ids = corpus.sentence(s)
            guard !ids.isEmpty, ids.count <= maxLength else {
                dropped += 1
                continue
            }
            let mapped = ids.map { Int($0) < kept ? Int($0) + 1 : 0 }
            unknown += mapped.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
            tokens += mapped.count
            sentences.append(mapped)
        }
        guard !sentences.isEmpty else {
            throw LanguageModelError(
                problem: "the \(corpus.language) corpus has no sentence of 1…\(maxLength) tokens", fix: "give a corpus with text in it")
        }
        language = corpus.language
        words = [Self.unknown] + corpus.vocabulary.words[0..<kept]
        self.sentences = sentences
        droppedLines = dropped
        unknownRate = Double(unknown) / Double(tokens)
    }
}
