import Embeddings

/// `%align lstsq src=S tgt=T dict=D`: the unconstrained least-squares map (Mikolov et al. 2013).
struct AlignLstsqMagic: AlignMethod {
    static let spec = MagicSpec(
        name: "align lstsq", abstract: "unconstrained least squares, min ‖XW − Z‖ (Mikolov et al. 2013)",
        keys: AlignKeys.supervised + [AlignKeys.name],
        examples: ["%align lstsq src=en tgt=fr dict=train"])

    let arguments: MagicArguments
    init(_ arguments: MagicArguments) throws { self.arguments = arguments }

    func fit(source: EmbeddingSpace, target: EmbeddingSpace, pairs: TrainingPairs) throws -> BilingualMapping {
        BilingualMapping(source: try LeastSquares.fit(source: source, target: target, pairs: pairs))
    }
}
