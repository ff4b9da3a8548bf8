/// One link of a word alignment: token `source` of a source sentence is aligned to token
/// `target` of its translation (both 0-based token positions in the tokenized sentences).
public struct AlignmentLink: Sendable, Hashable, Comparable {
    /// 0-based source token position.
    public var source: Int32
    /// 0-based target token position.
    public var target: Int32

    /// A link between source position `source` and target position `target`.
    public init(source: Int32, target: Int32) {
        self.source = source
        self.target = target
    }

    public static func < (a: AlignmentLink, b: AlignmentLink) -> Bool {
        a.source != b.source ? a.source < b.source : a.target < b.target
    }
}

/// Word alignments of a sentence-aligned parallel corpus: `sentences[s]` holds the links of
/// sentence pair `s`, sorted, without duplicates.
///
/// Invariant: `sentences.count` equals the parallel corpus's `sentenceCount`, and every link's
/// positions are inside its sentences.
public struct WordAlignment: Sendable, Equatable {
    /// Links per sentence pair.
    public var sentences: [[AlignmentLink]]

    /// Alignments from per-sentence links (each list is sorted and de-duplicated here).
    public init(sentences: [[AlignmentLink]]) {
        self.sentences = sentences.map { Array(Set($0)).sorted() }
    }

    /// The total number of links.
    public var linkCount: Int { sentences.reduce(0) { $0 + $1.count } }
}
