import Embeddings

/// `%align identical src=S tgt=T [refine=N]`: Procrustes on a seed dictionary of identical
/// strings among both sides' most frequent words (a pseudo-dictionary; no `dict=`).
struct AlignIdenticalMagic: AlignMethod {
    static let spec = MagicSpec(
        name: "align identical", abstract: "Procrustes on identical strings (a pseudo-dictionary), with optional refinement",
        keys: [AlignKeys.src, AlignKeys.tgt, AlignKeys.normalize, AlignKeys.refine, AlignKeys.maxRank, AlignKeys.name],
        examples: ["%align identical src=en tgt=fr refine=5"])
    static let needsEqualDimensions = true

    let arguments: MagicArguments
    init(_ arguments: MagicArguments) throws { self.arguments = arguments }

    var refinementSteps: Int { arguments[AlignKeys.refine] }

    func trainingPairs(source: EmbeddingSpace, target: EmbeddingSpace, session: Session) throws -> (TrainingPairs, String) {
        let maxRank = arguments[AlignKeys.maxRank]
        let pairs = IdenticalStrings.pairs(source: source, target: target, topN: maxRank)
        return (pairs, "\(pairs.count.formatted) identical strings among the top \(maxRank.formatted) words")
    }

    func fit(source: EmbeddingSpace, target: EmbeddingSpace, pairs: TrainingPairs) throws -> BilingualMapping {
        try Procrustes.fitMapping(source: source, target: target, pairs: pairs)
    }
}
