/// The identical-strings pseudo-dictionary (Smith et al. 2017; Artetxe et al. 2017): words
/// spelled the same in both vocabularies (numerals, names, loan words) taken as translation
/// pairs to seed a mapping without a bilingual dictionary.
public enum IdenticalStrings {
    /// The pairs (source row, target row) of every word present in both vocabularies, in source
    /// frequency order (source row ascending).
    ///
    /// - Parameters:
    ///   - source: the source vocabulary (rows in frequency order).
    ///   - target: the target vocabulary.
    ///   - topN: when given, only the first `topN` rows (most frequent words) of *each*
    ///     vocabulary are considered; a word qualifies only if it is within the top N on both
    ///     sides. `topN ≤ 0` gives no pairs.
    public static func pairs(source: Vocabulary, target: Vocabulary, topN: Int? = nil) -> TrainingPairs {
        let limitSource = min(source.count, max(0, topN ?? source.count))
        let limitTarget = min(target.count, max(0, topN ?? target.count))
        var pairs = TrainingPairs(sourceRows: [], targetRows: [])
        for i in 0..<limitSource {
            if let j = target.id(source[i]), j < limitTarget {
                pairs.sourceRows.append(i)
                pairs.targetRows.append(j)
            }
        }
        return pairs
    }

    /// The same, on two spaces' vocabularies.
    public static func pairs(source: EmbeddingSpace, target: EmbeddingSpace, topN: Int? = nil) -> TrainingPairs {
        pairs(source: source.vocabulary, target: target.vocabulary, topN: topN)
    }
}
