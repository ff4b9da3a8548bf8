/// The words of an embedding space in frequency order (row i of the matrix is word i), with
/// a word → row index.
///
/// Invariant: words are unique; `index[words[i]] == i`.
public struct Vocabulary: Sendable, Equatable {
    /// The words, most frequent first (the order of the file they came from).
    public private(set) var words: [String]
    private var index: [String: Int]

    /// A vocabulary over `words`; a repeated word keeps its first position and later copies
    /// are skipped (loaders drop their rows too, so rows and words stay aligned).
    public init(_ words: [String]) {
        self.words = []
        self.words.reserveCapacity(words.count)
        index = Dictionary(minimumCapacity: words.count)
        for word in words where index[word] == nil {
            index[word] = self.words.count
            self.words.append(word)
        }
    }

    /// The number of words.
    public var count: Int { words.count }

    /// The row of `word`, or nil when it is not in the vocabulary.
    public func id(_ word: String) -> Int? { index[word] }

    /// Whether `word` is in the vocabulary.
    public func contains(_ word: String) -> Bool { index[word] != nil }

    /// The word at row `i`.
    public subscript(i: Int) -> String { words[i] }

    /// Appends `word` if new; returns its row.
    @discardableResult
    public mutating func append(_ word: String) -> Int {
        if let i = index[word] { return i }
        index[word] = words.count
        words.append(word)
        return words.count - 1
    }
}
