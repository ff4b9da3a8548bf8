/// A bilingual dictionary: (source, target) word pairs in file order.
///
/// A source word may have many translations; a repeated pair is kept once (first position).
/// Invariant: `pairs` has no duplicates; `sources` lists each source word once, in the order
/// it first appears in `pairs`.
public struct BilingualDictionary: Sendable, Equatable {
    /// One translation pair.
    public struct Pair: Hashable, Sendable, CustomStringConvertible {
        /// The source-language word.
        public let source: String
        /// The target-language word.
        public let target: String
        /// A pair `source → target`.
        public init(source: String, target: String) {
            self.source = source
            self.target = target
        }
        /// `source target`.
        public var description: String { "\(source) \(target)" }
    }

    /// The pairs, in first-seen order, without duplicates.
    public private(set) var pairs: [Pair] = []
    /// The unique source words, in first-seen order.
    public private(set) var sources: [String] = []
    private var translationsBySource: [String: [String]] = [:]
    private var seen: Set<Pair> = []

    /// An empty dictionary.
    public init() {}

    /// A dictionary over `pairs`; repeated pairs are dropped.
    public init(_ pairs: some Sequence<Pair>) {
        for pair in pairs { insert(pair) }
    }

    /// A dictionary over `(source, target)` tuples; repeated pairs are dropped.
    public init(pairs: [(String, String)]) {
        for (source, target) in pairs { insert(Pair(source: source, target: target)) }
    }

    /// The number of (unique) pairs.
    public var count: Int { pairs.count }

    /// Whether there are no pairs.
    public var isEmpty: Bool { pairs.isEmpty }

    /// The translations of `source`, in file order; empty when it has none.
    public func translations(of source: String) -> [String] {
        translationsBySource[source] ?? []
    }

    /// Adds `pair` unless present; returns whether it was added.
    @discardableResult
    public mutating func insert(_ pair: Pair) -> Bool {
        guard seen.insert(pair).inserted else { return false }
        pairs.append(pair)
        if translationsBySource[pair.source] == nil { sources.append(pair.source) }
        translationsBySource[pair.source, default: []].append(pair.target)
        return true
    }

    /// Equal when the pairs are equal, in order.
    public static func == (lhs: BilingualDictionary, rhs: BilingualDictionary) -> Bool {
        lhs.pairs == rhs.pairs
    }

    /// How the dictionary's pairs fall into two vocabularies.
    ///
    /// Invariant: `inVocabulary + sourceOnlyMissing + targetOnlyMissing + bothMissing == total`;
    /// `rows.count == inVocabulary`.
    public struct Coverage: Sendable, Equatable {
        /// All pairs considered.
        public let total: Int
        /// Pairs whose source and target words are both in their vocabularies.
        public let inVocabulary: Int
        /// Pairs whose source word is missing but whose target word is present.
        public let sourceOnlyMissing: Int
        /// Pairs whose target word is missing but whose source word is present.
        public let targetOnlyMissing: Int
        /// Pairs with both words missing.
        public let bothMissing: Int
        /// The in-vocabulary pairs as (source row, target row), in dictionary order.
        public let rows: [RowPair]

        /// The fraction of pairs with both words present (0 for an empty dictionary).
        public var fraction: Double { total == 0 ? 0 : Double(inVocabulary) / Double(total) }
    }

    /// One in-vocabulary pair as row indices into the source and target spaces.
    public struct RowPair: Hashable, Sendable {
        /// The source word's row.
        public let source: Int
        /// The target word's row.
        public let target: Int
        /// A pair of rows.
        public init(source: Int, target: Int) {
            self.source = source
            self.target = target
        }
    }

    /// Counts the pairs found in `source` and `target` and lists the found ones as rows.
    public func coverage(source: Vocabulary, target: Vocabulary) -> Coverage {
        var rows: [RowPair] = []
        rows.reserveCapacity(pairs.count)
        var sourceOnly = 0, targetOnly = 0, both = 0
        for pair in pairs {
            let s = source.id(pair.source), t = target.id(pair.target)
            switch (s, t) {
            case let (s?, t?): rows.append(RowPair(source: s, target: t))
            case (nil, .some): sourceOnly += 1
            case (.some, nil): targetOnly += 1
            case (nil, nil): both += 1
            }
        }
        return Coverage(
            total: pairs.count, inVocabulary: rows.count, sourceOnlyMissing: sourceOnly,
            targetOnlyMissing: targetOnly, bothMissing: both, rows: rows)
    }
}

extension BilingualDictionary {
    /// The dictionary with both words of every pair lowercased (Unicode `lowercased()`, what
    /// `Tokenizer(lowercase: true)` does to corpus tokens), pairs that become equal merged into
    /// the first. For dictionaries that keep case (German nouns in the xling-eval files) against
    /// lowercased corpora. Invariant: `count` ≤ the original's; `sources` in first-seen order.
    public func lowercased() -> BilingualDictionary {
        BilingualDictionary(pairs.lazy.map { Pair(source: $0.source.lowercased(), target: $0.target.lowercased()) })
    }
}
