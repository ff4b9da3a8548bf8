/// Counts the co-occurrence matrices of Shi et al. 2015: monolingual windows (the X of
/// eq. 1–2, GloVe-style), and the two bilingual definitions CLC-WA (eq. 4) and CLC+WA (eq. 5).
///
/// All three share one engine: rows are split into shards that fit
/// `options.memoryLimit` (frequent rows as dense Double rows, the others as 4-byte records
/// summed per row), one pass over the corpus per shard, shards dealt to `options.threads`
/// threads. Values are summed in Double in a fixed order per row, so the result is bit-for-bit
/// the same for any thread count and memory limit. `progress` is polled every 1,024 sentences
/// (`Progress.isPoll`, phase `counting co-occurrences`; from the counting threads, one call at
/// a time); `.stop` throws `CooccurrenceError.stopped` and keeps nothing.
public enum CooccurrenceCounter {
    /// The monolingual matrix X (`vocabularySize × vocabularySize`) of `corpus` restricted to
    /// ids `0..<vocabularySize` (its most frequent words).
    ///
    /// For in-vocabulary words d ≤ `options.window` in-vocabulary positions apart in the same
    /// sentence, X[earlier, later] (and, symmetric, X[later, earlier]) gains 1/d (or 1). Out-of-
    /// vocabulary tokens are removed before windowing, as in GloVe's `cooccur.c`, so they
    /// neither count nor take up distance. The same conventions as `cooccur -symmetric 1`:
    /// X is symmetric and each pair counts once in each direction (twice on the diagonal).
    public static func monolingual(
        _ corpus: Corpus, vocabularySize: Int, options: CooccurrenceOptions = CooccurrenceOptions(),
        progress: ProgressHandler = ProgressAction.ignore
    ) throws(CooccurrenceError) -> CooccurrenceMatrix {
        guard (1...CooccurrenceOptions.maximumWindow).contains(options.window) else { throw .invalidWindow(options.window) }
        guard vocabularySize >= 0 else { throw .invalidArgument("vocabulary size \(vocabularySize); give 0 or more words") }
        let pairs = MonolingualWindowPairs(corpus: corpus, vocabularySize: vocabularySize, options: options)
        return try CooccurrenceShardRunner.count(
            pairs, memoryLimit: options.memoryLimit, threads: options.threads,
            progress: progress)
    }

    /// CLC-WA (eq. 4): X[j, k] = Σ over sentence pairs of #(j, S¹)·#(k, S²), a `rows × columns`
    /// matrix. `sourceMap[id]` / `targetMap[id]` carry each side's corpus ids to a row / column
    /// (-1 = not counted); see `Corpus.idMap(into:limit:)`. Only `memoryLimit` and `threads`
    /// of `options` apply.
    public static func sentencePairs(
        _ parallel: ParallelCorpus, sourceMap: [Int32], targetMap: [Int32],
        rows: Int, columns: Int, options: CooccurrenceOptions = CooccurrenceOptions(),
        progress: ProgressHandler = ProgressAction.ignore
    ) throws(CooccurrenceError) -> CooccurrenceMatrix {
        try checkMaps(parallel, sourceMap: sourceMap, targetMap: targetMap, rows: rows, columns: columns)
        let pairs = SentencePairProducts(parallel, sourceMap: sourceMap, targetMap: targetMap, rows: rows, columns: columns)
        return try CooccurrenceShardRunner.count(
            pairs, memoryLimit: options.memoryLimit, threads: options.threads,
            progress: progress)
    }

    /// CLC+WA (eq. 5): for each link (a, b) of `alignment` with j = `sourceMap`[S¹[a]] ≥ 0,
    /// each mapped target word k at positions b − `window` … b + `window` of S² (clipped to
    /// the sentence, b included) adds 1 to X[j, k] (plain counts, no distance weighting). Link
    /// positions are 0-based token positions of the tokenized sentences, OOV tokens included.
    /// Only `memoryLimit` and `threads` of `options` apply. Throws when the alignment does not
    /// have one entry per sentence pair or a link lies outside its sentences.
    public static func alignedWindows(
        _ parallel: ParallelCorpus, alignment: WordAlignment, sourceMap: [Int32],
        targetMap: [Int32], rows: Int, columns: Int, window: Int,
        options: CooccurrenceOptions = CooccurrenceOptions(),
        progress: ProgressHandler = ProgressAction.ignore
    ) throws(CooccurrenceError) -> CooccurrenceMatrix {
        guard window >= 0 else { throw .invalidWindow(window) }
        try checkMaps(parallel, sourceMap: sourceMap, targetMap: targetMap, rows: rows, columns: columns)
        guard alignment.sentences.count == parallel.sentenceCount else {
            throw .alignmentSentenceCount(alignment: alignment.sentences.count, corpus: parallel.sentenceCount)
        }
        for (s, links) in alignment.sentences.enumerated() {
            let sourceLength = parallel.source.sentence(s).count, targetLength = parallel.target.sentence(s).count
            for link in links
            where link.source < 0 || Int(link.source) >= sourceLength || link.target < 0 || Int(link.target) >= targetLength {
                throw .linkOutOfRange(sentence: s, link: link, sourceLength: sourceLength, targetLength: targetLength)
            }
        }
        let pairs = AlignedWindowPairs(
            parallel, alignment: alignment, sourceMap: sourceMap, targetMap: targetMap,
            rows: rows, columns: columns, window: window)
        return try CooccurrenceShardRunner.count(
            pairs, memoryLimit: options.memoryLimit, threads: options.threads,
            progress: progress)
    }

    /// The PMI of every entry of `matrix`, in entry order: log(X_jk · ΣX / (X_j· · X_·k))
    /// (the M_jk of eq. 2, Shi et al. 2015). Empty for an empty matrix.
    public static func pmi(of matrix: CooccurrenceMatrix) -> [Double] {
        CooccurrenceStatistics(matrix).pmi(of: matrix)
    }

    /// Checks that the id maps cover each side's vocabulary and stay inside the matrix.
    private static func checkMaps(
        _ parallel: ParallelCorpus, sourceMap: [Int32], targetMap: [Int32],
        rows: Int, columns: Int
    ) throws(CooccurrenceError) {
        guard rows >= 0, columns >= 0 else { throw .invalidArgument("matrix shape \(rows) × \(columns); give 0 or more rows and columns") }
        for (side, map, corpus, limit) in [("source", sourceMap, parallel.source, rows), ("target", targetMap, parallel.target, columns)] {
            guard map.count == corpus.vocabulary.count else {
                throw .idMapMismatch(
                    side: side,
                    problem: """
                        has \(map.count) entries but the \(side) side has \(corpus.vocabulary.count) word types
                        """)
            }
            if let bad = map.first(where: { $0 < -1 || Int($0) >= limit }) {
                throw .idMapMismatch(side: side, problem: "maps a word to \(bad), outside -1..<\(limit)")
            }
        }
    }
}
