/// Bilingual lexicon induction (word translation) evaluation: for each gold source word,
/// retrieve its top-k target words and count it correct at k if ANY of its gold translations
/// is among them; precision@k under the three out-of-vocabulary conventions in use.
///
/// Definitions (G = unique source words of the gold pairs, in first-appearance order;
/// a pair is *usable* when its source word is in the source vocabulary and its target word in
/// the target vocabulary; C ⊆ G = source words with at least one usable pair, the *covered*
/// words; a covered word's gold set = its usable targets; only covered words are queried):
///
/// - **MUSE** (`word_translation.py`): pairs with an OOV source or target word are dropped
///   when the dictionary is loaded; precision@k is the mean over the remaining unique source
///   words, i.e. `correct@k / |C|`.
/// - **VecMap** (`eval_translation.py`): pairs with an OOV side are dropped; accuracy over the
///   source words with at least one remaining pair, `correct@k / |C|` (the same number as
///   MUSE's), reported with coverage `|C| / |G|`.
/// - **fastText** (`alignment/eval.py`): every gold source word counts, OOV ones (and words
///   whose gold targets are all OOV) as wrong: `correct@k / |G|`.
///
/// CSLS's r_S and the inverted softmax's normaliser are taken over the WHOLE source space
/// (not just the queries), r_T over the whole target space, as in MUSE and VecMap.
public enum BLIEvaluation {
    /// An out-of-vocabulary convention (see the type's documentation).
    public enum OOVConvention: String, Sendable, CaseIterable {
        /// `correct / covered` (pairs with an OOV word dropped).
        case muse
        /// `correct / covered`, with coverage `covered / total`.
        case vecmap
        /// `correct / total` (OOV source words are wrong).
        case fasttext
    }

    /// Dictionary bookkeeping shared by every method.
    public struct Counts: Sendable, Equatable {
        /// Gold pairs given (with repeats).
        public var pairs: Int
        /// Distinct gold pairs whose source and target words are both in vocabulary.
        public var usablePairs: Int
        /// |G|: unique gold source words.
        public var sourceWords: Int
        /// Unique gold source words present in the source vocabulary.
        public var sourceWordsInVocabulary: Int
        /// |C|: source words with at least one usable pair (the queries evaluated).
        public var coveredSourceWords: Int

        /// VecMap's coverage |C| / |G| (0 for an empty dictionary).
        public var coverage: Double { sourceWords > 0 ? Double(coveredSourceWords) / Double(sourceWords) : 0 }
    }

    /// The results of one retrieval method.
    public struct MethodResult: Sendable, Equatable {
        /// The retrieval method.
        public var method: RetrievalMethod
        /// The cut-offs, in the order given.
        public var ks: [Int]
        /// Covered words correct at `ks[i]` (non-decreasing in k).
        public var correct: [Int]
        /// Denominators, copied from the evaluation's counts.
        public var counts: Counts

        /// Precision@k under `convention`, in [0, 1]; nil when `k` was not evaluated. 0 when the
        /// denominator is 0.
        public func precision(at k: Int, _ convention: OOVConvention) -> Double? {
            guard let i = ks.firstIndex(of: k) else { return nil }
            let denominator = convention == .fasttext ? counts.sourceWords : counts.coveredSourceWords
            return denominator > 0 ? Double(correct[i]) / Double(denominator) : 0
        }
    }

    /// The evaluation of every requested method.
    public struct Result: Sendable, Equatable {
        /// Dictionary bookkeeping (queries evaluated = `coveredSourceWords`, total =
        /// `sourceWords`).
        public var counts: Counts
        /// One row per method, in the order requested.
        public var methods: [MethodResult]
        /// The queried source words (C), in first-appearance order.
        public var queries: [String]
    }

    /// Evaluates BLI.
    ///
    /// - Parameters:
    ///   - source: the mapped source space (nS × d).
    ///   - target: the target space (nT × d); must have the same dimension.
    ///   - dictionary: gold (source word, target word) pairs; a source word may have several.
    ///   - methods: retrieval methods, e.g. `[.nn, .csls(k: 10)]`.
    ///   - ks: cut-offs (each ≥ 1), e.g. `[1, 5, 10]`.
    ///   - normalize: unit-normalise copies of both spaces first (MUSE and VecMap evaluate
    ///     unit vectors); pass false when the spaces are already unit-normalised.
    ///   - search: blocking and threading of the retrieval.
    /// - Throws: `ShapeError` when the dimensions differ (naming both), a k is < 1, or a
    ///   method's parameters are invalid.
    public static func evaluate(
        source: EmbeddingSpace, target: EmbeddingSpace,
        dictionary: [(source: String, target: String)],
        methods: [RetrievalMethod] = [.nn, .csls(k: 10)],
        ks: [Int] = [1, 5, 10], normalize: Bool = true,
        search: NeighborSearch = NeighborSearch()
    ) throws(ShapeError) -> Result {
        guard source.dimension == target.dimension else {
            throw ShapeError("source dimension \(source.dimension) does not match target dimension \(target.dimension)")
        }
        for k in ks where k < 1 { throw ShapeError("precision@k needs k ≥ 1, got \(k)") }
        for method in methods { try NeighborSearch.checkMethod(method, k: 1) }

        // Dictionary bookkeeping.
        var order: [String] = []
        var seen: Set<String> = []
        var gold: [String: Set<Int>] = [:]
        var usable: Set<[Int]> = []
        for (s, t) in dictionary {
            if seen.insert(s).inserted { order.append(s) }
            if let si = source.vocabulary.id(s), let ti = target.vocabulary.id(t) {
                gold[s, default: []].insert(ti)
                usable.insert([si, ti])
            }
        }
        let covered = order.filter { gold[$0] != nil }
        let counts = Counts(
            pairs: dictionary.count, usablePairs: usable.count, sourceWords: order.count,
            sourceWordsInVocabulary: order.filter { source.vocabulary.contains($0) }.count,
            coveredSourceWords: covered.count)
        let sortedKs = ks
        let kmax = ks.max() ?? 1
        var results: [MethodResult] = []
        let rows = covered.compactMap { source.vocabulary.id($0) }
        let s = normalize ? NeighborSearch.unitNormalized(source.vectors) : source.vectors
        let t = normalize ? NeighborSearch.unitNormalized(target.vectors) : target.vectors
        var statistics: CSLSStatistics?
        for method in methods {
            var correct = [Int](repeating: 0, count: sortedKs.count)
            if !rows.isEmpty, target.count > 0 {
                if case .csls(let kc) = method, statistics?.k != kc {
                    statistics = try CSLSStatistics.compute(source: s, target: t, k: kc, using: search)
                }
                let found = try search.search(
                    source: s, target: t, queryRows: rows, k: kmax,
                    method: method, statistics: statistics)
                for (q, word) in covered.enumerated() {
                    let targets = gold[word] ?? []
                    let list = found.targets(ofQuery: q)
                    // Rank of the first gold hit (k positions, 0-based), or nil.
                    let firstHit = list.firstIndex(where: { targets.contains($0) }).map { $0 - list.startIndex }
                    guard let firstHit else { continue }
                    for (i, k) in sortedKs.enumerated() where firstHit < k { correct[i] += 1 }
                }
            }
            results.append(MethodResult(method: method, ks: sortedKs, correct: correct, counts: counts))
        }
        return Result(counts: counts, methods: results, queries: covered)
    }
}
