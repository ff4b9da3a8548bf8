import Embeddings

/// `%align cca src=S tgt=T dict=D [dim=N] [reg=ε]`: canonical correlation analysis (Faruqui &
/// Dyer 2014); both sides are projected.
struct AlignCCAMagic: AlignMethod {
    static let dim = Opt.int("dim", min: 1, note: "all", help: "keep this many canonical dimensions")
    static let reg = Opt.double(
        "reg", min: 0, default: Double(CCA.defaultEpsilon),
        help: """
            ε added to the covariance diagonals (raise it when there are fewer pairs than dimensions)
            """)
    static let spec = MagicSpec(
        name: "align cca", abstract: "canonical correlation analysis (Faruqui & Dyer 2014), both sides projected",
        keys: AlignKeys.supervised + [dim, reg, AlignKeys.name],
        examples: ["%align cca src=en tgt=fr dict=train dim=100"])

    let arguments: MagicArguments
    init(_ arguments: MagicArguments) throws { self.arguments = arguments }

    func fit(source: EmbeddingSpace, target: EmbeddingSpace, pairs: TrainingPairs) throws -> BilingualMapping {
        do {
            return try CCA.fit(
                source: source, target: target, pairs: pairs, epsilon: Float(arguments[Self.reg]),
                dim: arguments[Self.dim])
        } catch is LinearAlgebraError {
            throw Self.failure(
                """
                the covariance of the \(pairs.count) training pairs is singular (\(pairs.count) pairs for \
                \(source.dimension) and \(target.dimension) dimensions); raise the regulariser, e.g. reg=0.01, \
                or use more pairs
                """)
        }
    }

    func summaryRows(_ mapping: BilingualMapping) -> [[TableCell]] {
        Self.topValuesRows(mapping, label: "top canonical correlations")
    }
}
