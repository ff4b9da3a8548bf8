/// One weighted cross-lingual word pair: the sim(j, k) of the CLSim objective of Shi et al.
/// (2015, §4.2, eqs. 6–7), L_cross = Σ_{j,k} sim(j, k) · ‖w_j − w_k‖², over corpus word ids.
///
/// The paper takes sim from the translation probabilities of symmetrised SyMGIZA++ models. Our
/// choice: sim(j, k) = ½ (t→(k | j) + t←(j | k)), the mean of the forward model's probability of
/// target k given source j and the backward model's probability of j given k, over the pairs
/// (j, k) that the symmetrised alignment links at least `minimumLinks` times. Averaging the two
/// directions makes sim symmetric and damps the garbage-collector effect of either direction
/// (a rare word that one model pairs with everything); restricting to linked pairs keeps the
/// list sparse (≈ the number of distinct links, not of co-occurring pairs) and drops the long
/// tail of small EM probabilities that every co-occurring pair receives. Values lie in [0, 1].
public struct TranslationSimilarity: Sendable, Hashable {
    /// The source word's id in the parallel corpus's source `Corpus`.
    public var source: Int32
    /// The target word's id in the parallel corpus's target `Corpus`.
    public var target: Int32
    /// sim(source, target) in [0, 1].
    public var similarity: Float

    /// A pair with its similarity.
    public init(source: Int32, target: Int32, similarity: Float) {
        self.source = source
        self.target = target
        self.similarity = similarity
    }

    /// The similarities of every (source id, target id) pair linked ≥ `minimumLinks` times in
    /// `alignment` (a symmetrised alignment of `parallel`) with sim ≥ `minimumSimilarity`,
    /// sorted by source id, then target id.
    ///
    /// - Parameters:
    ///   - forward: the `.forward` model (rows: source ids), trained on `parallel`.
    ///   - backward: the `.backward` model (rows: target ids), trained on `parallel`.
    /// Time O(links + pairs · log row length); memory O(distinct linked pairs).
    public static func compute(
        forward: IBMModel1, backward: IBMModel1, alignment: WordAlignment, parallel: ParallelCorpus,
        minimumLinks: Int = 1, minimumSimilarity: Float = 0
    ) -> [TranslationSimilarity] {
        precondition(forward.direction == .forward && backward.direction == .backward, "models in the wrong directions")
        precondition(alignment.sentences.count == parallel.sentenceCount, "an alignment of another corpus")
        var linkCounts: [UInt64: Int] = [:]
        for (s, links) in alignment.sentences.enumerated() {
            let sourceWords = parallel.source.sentence(s), targetWords = parallel.target.sentence(s)
            for link in links {
                let j = sourceWords[sourceWords.startIndex + Int(link.source)]
                let k = targetWords[targetWords.startIndex + Int(link.target)]
                linkCounts[UInt64(UInt32(j)) << 32 | UInt64(UInt32(k)), default: 0] += 1
            }
        }
        var result: [TranslationSimilarity] = []
        result.reserveCapacity(linkCounts.count)
        for (key, count) in linkCounts where count >= minimumLinks {
            let j = Int32(truncatingIfNeeded: key >> 32), k = Int32(truncatingIfNeeded: key & 0xffff_ffff)
            let sim = (forward.table.probability(of: k, given: j) + backward.table.probability(of: j, given: k)) / 2
            if sim >= minimumSimilarity { result.append(TranslationSimilarity(source: j, target: k, similarity: sim)) }
        }
        return result.sorted { $0.source != $1.source ? $0.source < $1.source : $0.target < $1.target }
    }
}
