import Embeddings

/// `%align procrustes src=S tgt=T dict=D [refine=N]`: the orthogonal map W = UVᵀ from
/// SVD(YᵀX) (Xing et al. 2015), optionally refined MUSE-style.
struct AlignProcrustesMagic: AlignMethod {
    static let spec = MagicSpec(
        name: "align procrustes", abstract: "orthogonal Procrustes, W = UVᵀ (Xing et al. 2015), with optional refinement",
        keys: AlignKeys.supervised + [AlignKeys.refine, AlignKeys.maxRank, AlignKeys.name],
        examples: ["%align procrustes src=en tgt=fr dict=train normalize=unit,center,unit as=en_fr"])
    static let needsEqualDimensions = true

    let arguments: MagicArguments
    init(_ arguments: MagicArguments) throws { self.arguments = arguments }

    var refinementSteps: Int { arguments[AlignKeys.refine] }

    func fit(source: EmbeddingSpace, target: EmbeddingSpace, pairs: TrainingPairs) throws -> BilingualMapping {
        try Procrustes.fitMapping(source: source, target: target, pairs: pairs)
    }
}
