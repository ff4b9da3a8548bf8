/// Accumulates sentences into a `Corpus`: provisional ids in order of first occurrence, then
/// `build()` ranks the words by frequency and renumbers the tokens.
struct CorpusBuilder {
    let language: String
    private var ids: [String: Int32] = [:]
    private var words: [String] = []
    private var counts: [Int] = []
    private var tokens: [Int32] = []
    private var starts: [Int] = [0]

    init(language: String) { self.language = language }

    /// Sentences appended so far.
    var sentenceCount: Int { starts.count - 1 }

    /// Appends a sentence of tokens (possibly empty).
    mutating func append(_ sentence: [String]) {
        for word in sentence { appendToken(word) }
        starts.append(tokens.count)
    }

    /// Tokenizes one UTF-8 line and appends it as a sentence.
    mutating func appendLine(_ bytes: UnsafeBufferPointer<UInt8>, tokenizer: Tokenizer) {
        tokenizer.forEachToken(bytes) { appendToken($0) }
        starts.append(tokens.count)
    }

    private mutating func appendToken(_ word: String) {
        if let id = ids[word] {
            tokens.append(id)
            counts[Int(id)] += 1
        } else {
            let id = Int32(words.count)
            ids[word] = id
            words.append(word)
            counts.append(1)
            tokens.append(id)
        }
    }

    /// The corpus, words ranked by count (descending), ties by word (ascending, by Unicode
    /// scalars so the order does not depend on the locale).
    func build() -> Corpus {
        let order = words.indices.sorted { a, b in
            counts[a] != counts[b] ? counts[a] > counts[b] : words[a].unicodeScalars.lexicographicallyPrecedes(words[b].unicodeScalars)
        }
        var rank = [Int32](repeating: 0, count: words.count)
        for (newID, oldID) in order.enumerated() { rank[oldID] = Int32(newID) }
        return Corpus(
            language: language, vocabulary: Vocabulary(order.map { words[$0] }),
            counts: order.map { counts[$0] }, tokens: tokens.map { rank[Int($0)] },
            sentenceStarts: starts)
    }
}
