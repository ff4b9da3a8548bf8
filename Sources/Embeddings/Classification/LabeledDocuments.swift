/// Labelled documents of one language: tokenized texts with a class label each, for document
/// classification (cross-lingual document classification trains on one language's set and
/// tests on another's).
///
/// Invariants: `documents.count == labels.count`; every label id is in `0..<labelNames.count`;
/// `labelNames` are distinct and sorted, so two sets with the same label names number them the
/// same way whatever order their files list documents in; there is at least one document.
public struct LabeledDocuments: Sendable {
    /// The language code (`en`), as the user gave it.
    public let language: String
    /// Each document's tokens, in file order (a document may have no tokens).
    public let documents: [[String]]
    /// `labels[i]` is the label id of `documents[i]`, an index into `labelNames`.
    public let labels: [Int]
    /// The distinct label names, sorted.
    public let labelNames: [String]

    /// Labelled documents from `(label, tokens)` pairs; label ids follow the sorted names.
    /// Nil when `examples` is empty.
    public init?(language: String, examples: [(label: String, tokens: [String])]) {
        guard !examples.isEmpty else { return nil }
        let names = Array(Set(examples.map(\.label))).sorted()
        var id: [String: Int] = [:]
        for (i, name) in names.enumerated() { id[name] = i }
        self.language = language
        self.labelNames = names
        self.documents = examples.map(\.tokens)
        self.labels = examples.map { id[$0.label] ?? 0 }
    }

    /// The number of documents.
    public var count: Int { documents.count }

    /// The number of tokens over all documents.
    public var tokenCount: Int { documents.reduce(0) { $0 + $1.count } }

    /// `labelCounts[k]` = how many documents have label `k`.
    public var labelCounts: [Int] {
        var counts = Array(repeating: 0, count: labelNames.count)
        for label in labels { counts[label] += 1 }
        return counts
    }

    /// The most frequent label id (the lowest id among ties): the majority-class baseline's answer.
    public var majorityLabel: Int {
        let counts = labelCounts
        var best = 0
        for k in counts.indices where counts[k] > counts[best] { best = k }
        return best
    }

    /// The label ids of this set renumbered into `names` (another set's label list); nil for a
    /// label that `names` lacks.
    public func labels(in names: [String]) -> [Int?] {
        var id: [String: Int] = [:]
        for (i, name) in names.enumerated() { id[name] = i }
        return labels.map { id[labelNames[$0]] }
    }
}
