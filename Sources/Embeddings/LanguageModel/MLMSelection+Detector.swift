import XlingCore

extension MLMSelection {
    /// The failure detector (`FailureDetector`) for a multilingual LM's joint space: the paper's
    /// criterion (`meanCSLS`) of language 0 against language ℓ, next to the same criterion after
    /// `rotations` random orthogonal maps of language ℓ's rows (the same words, norms and
    /// neighbourhoods within each language, no alignment between them), judged with
    /// `FailureDetector.Thresholds.relative`.
    ///
    /// Both sides are centred (column means removed) first, so that a direction every language's
    /// embeddings share (a common mean, which an untrained or unaligned model also has) is not
    /// taken for an alignment; the criterion reported here is therefore not the raw per-epoch one.
    /// There is no fitted map to overfit, so the criterion needs no held-out split (unlike
    /// `FailureDetector.judgeMapping`).
    ///
    /// - Parameters:
    ///   - source: language 0's rows (V₀ × e, most frequent first, UNK removed).
    ///   - target: language ℓ's rows (Vℓ × e, likewise).
    ///   - sourceWords: the most frequent source words the criterion translates.
    ///   - seed: the random rotations' seed (the judgement is deterministic for a seed).
    public static func judge(
        source: Matrix, target: Matrix, sourceWords: Int = 3000, rotations: Int = 3, seed: UInt64 = 0
    ) throws -> FailureDetector.Judgement {
        let s = source.centeredColumns(), t = target.centeredColumns()
        let value = try meanCSLS(source: s, target: t, sourceWords: sourceWords)
        var rng = SplitMix64(seed: seed ^ 0x6D6C_6D6E)
        var null: [Double] = []
        for _ in 0..<max(1, rotations) {
            let q = try FailureDetector.randomOrthogonal(t.cols, rng: &rng)
            null.append(try meanCSLS(source: s, target: Matrix.product(t, q), sourceWords: sourceWords))
        }
        return FailureDetector.judge(
            criterion: "mean CSLS (r_T omitted) of the top \(min(sourceWords, s.rows)) source words, rows centred", value: value,
            null: null)
    }

    /// `judge` for every pair (language 0, ℓ), ℓ = 1…, of `model`, UNK rows left out; element ℓ − 1
    /// is the pair with language ℓ.
    public static func judge(_ model: MultilingualLM, sourceWords: Int = 3000, seed: UInt64 = 0) throws -> [FailureDetector.Judgement] {
        let source = MLMTrainer.withoutUnknown(model.embeddings(language: 0))
        return try (1..<model.configuration.vocabularySizes.count).map { l in
            try judge(
                source: source, target: MLMTrainer.withoutUnknown(model.embeddings(language: l)), sourceWords: sourceWords, seed: seed)
        }
    }
}
