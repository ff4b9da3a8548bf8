/// Alignment quality against gold sure (S) and possible (P ⊇ S) links (Och & Ney 2003):
/// precision |A∩P| / |A|, recall |A∩S| / |S|, and
/// AER = 1 − (|A∩S| + |A∩P|) / (|A| + |S|), all micro-averaged over the corpus (counts summed
/// over sentences first, as the WPT scorer and fast_align's `atools` do).
public struct AlignmentErrorRate: Sendable, Equatable {
    /// |A|: predicted links.
    public var predicted: Int
    /// |S|: sure gold links.
    public var sure: Int
    /// |A ∩ S|.
    public var sureMatches: Int
    /// |A ∩ P|.
    public var possibleMatches: Int

    /// Counts as they are.
    public init(predicted: Int, sure: Int, sureMatches: Int, possibleMatches: Int) {
        self.predicted = predicted
        self.sure = sure
        self.sureMatches = sureMatches
        self.possibleMatches = possibleMatches
    }

    /// |A∩P| / |A| (0 when nothing was predicted).
    public var precision: Double { predicted > 0 ? Double(possibleMatches) / Double(predicted) : 0 }
    /// |A∩S| / |S| (0 when there are no sure links).
    public var recall: Double { sure > 0 ? Double(sureMatches) / Double(sure) : 0 }
    /// 1 − (|A∩S| + |A∩P|) / (|A| + |S|), in [0, 1]; lower is better (1 when both are empty).
    public var aer: Double {
        predicted + sure > 0 ? 1 - Double(sureMatches + possibleMatches) / Double(predicted + sure) : 1
    }

    /// Scores `predicted` against `gold`: gold sentence `s` is compared with predicted sentence
    /// `offset + s` (so a gold test set at the start of a larger aligned corpus can be scored).
    /// Precondition: `predicted` has at least `offset + gold.sentenceCount` sentences.
    public static func evaluate(_ predicted: WordAlignment, against gold: GoldAlignment, offset: Int = 0) -> AlignmentErrorRate {
        precondition(offset >= 0 && offset + gold.sentenceCount <= predicted.sentences.count, "gold covers sentences the alignment lacks")
        var result = AlignmentErrorRate(predicted: 0, sure: 0, sureMatches: 0, possibleMatches: 0)
        for s in 0..<gold.sentenceCount {
            let a = predicted.sentences[offset + s]
            let sure = Set(gold.sure.sentences[s]), possible = Set(gold.possible.sentences[s])
            result.predicted += a.count
            result.sure += sure.count
            result.sureMatches += a.reduce(0) { $0 + (sure.contains($1) ? 1 : 0) }
            result.possibleMatches += a.reduce(0) { $0 + (possible.contains($1) ? 1 : 0) }
        }
        return result
    }
}
