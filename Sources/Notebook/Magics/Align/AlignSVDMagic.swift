import Embeddings

/// `%align svd src=S tgt=T dict=D [dim=N | threshold=t]`: Smith et al. 2017's SVD mapping of
/// both sides with dimensionality reduction.
struct AlignSVDMagic: AlignMethod {
    static let dim = Opt.int("dim", min: 1, note: "all", help: "keep this many dimensions")
    static let threshold = Opt.double("threshold", min: 0, help: "keep components with singular value ≥ threshold")
    static let spec = MagicSpec(
        name: "align svd", abstract: "SVD mapping of both sides with dimensionality reduction (Smith et al. 2017)",
        keys: AlignKeys.supervised + [dim, threshold, AlignKeys.name],
        examples: ["%align svd src=en tgt=it dict=seed threshold=1"])

    let arguments: MagicArguments
    init(_ arguments: MagicArguments) throws { self.arguments = arguments }

    func fit(source: EmbeddingSpace, target: EmbeddingSpace, pairs: TrainingPairs) throws -> BilingualMapping {
        try SVDMapping.fit(
            source: source, target: target, pairs: pairs, dim: arguments[Self.dim],
            threshold: arguments[Self.threshold].map { Float($0) })
    }

    func summaryRows(_ mapping: BilingualMapping) -> [[TableCell]] {
        Self.topValuesRows(mapping, label: "top singular values")
    }
}
