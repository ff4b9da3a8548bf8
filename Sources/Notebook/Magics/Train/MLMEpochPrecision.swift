import Embeddings

/// BLI P@1 (CSLS, k = 10) of one direction of a `%train mlm` model after an epoch: `eval=`'s
/// dictionary i pairs the first language with language i + 1 and is read both ways (its pairs
/// reversed for language i + 1 → the first).
struct MLMEpochPrecision: Equatable {
    /// Language codes of the query and candidate sides.
    let source: String, target: String
    /// P@1 in [0, 1] over the covered query words (MUSE convention); nil when no pair is covered.
    let precision: Double?

    /// `en→de 3.1%` (or `n/a` when nothing is covered).
    var text: String { "\(source)→\(target) " + (precision.map { NumberText.fixed($0 * 100, 1) + "%" } ?? "n/a") }

    /// Every direction `dictionaries` reach: for dictionary i, first → i + 1 then i + 1 → first.
    static func all(_ model: MultilingualLM, _ corpora: [LMCorpus], dictionaries: [[(source: String, target: String)]]) -> [Self] {
        dictionaries.enumerated().flatMap { i, pairs -> [Self] in
            let l = i + 1
            guard let first = try? model.space(language: 0, corpus: corpora[0]),
                let other = try? model.space(language: l, corpus: corpora[l])
            else { return [] }
            let reversed = pairs.map { (source: $0.target, target: $0.source) }
            return [
                Self(source: corpora[0].language, target: corpora[l].language, precision: precisionAtOne(first, other, pairs)),
                Self(source: corpora[l].language, target: corpora[0].language, precision: precisionAtOne(other, first, reversed)),
            ]
        }
    }

    /// P@1 with CSLS (k = 10) of `source` → `target` on `pairs`; nil when no pair is covered.
    static func precisionAtOne(_ source: EmbeddingSpace, _ target: EmbeddingSpace, _ pairs: [(source: String, target: String)]) -> Double? {
        guard let result = try? BLIEvaluation.evaluate(source: source, target: target, dictionary: pairs, methods: [.csls(k: 10)], ks: [1]),
            result.counts.coveredSourceWords > 0
        else { return nil }
        return result.methods.first?.precision(at: 1, .muse)
    }

    /// `P@1 en→de 3.1%, de→en 2.5%` (empty for no directions).
    static func line(_ all: [Self]) -> String {
        all.isEmpty ? "" : "P@1 " + all.map(\.text).joined(separator: ", ")
    }
}
