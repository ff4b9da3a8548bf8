import Embeddings

/// A fitted mapping between two stored spaces (`%align`), with the spaces as they were fitted
/// (after `normalize=`), so evaluation and neighbours see exactly what the fit saw.
final class MappingObject: SessionObject {
    let mapping: BilingualMapping
    let method: String
    let sourceName: String
    let targetName: String
    /// The source and target spaces after normalisation, before mapping.
    let source: EmbeddingSpace
    let target: EmbeddingSpace
    /// Dictionary pairs the final fit used.
    let pairsUsed: Int
    /// The per-iteration losses when a trainer made it (`%train cofactor`), else nil.
    var history: TrainingHistory?
    private var mappedCache: (source: EmbeddingSpace, target: EmbeddingSpace)?
    private var unitCache: (source: Matrix, target: Matrix)?
    private var cslsCache: [String: CSLSStatistics] = [:]

    init(
        mapping: BilingualMapping, method: String, sourceName: String, targetName: String,
        source: EmbeddingSpace, target: EmbeddingSpace, pairsUsed: Int
    ) {
        self.mapping = mapping
        self.method = method
        self.sourceName = sourceName
        self.targetName = targetName
        self.source = source
        self.target = target
        self.pairsUsed = pairsUsed
    }

    /// Both spaces in the shared space: the source mapped, the target mapped when the method
    /// maps both sides (CCA, SVD), else as it is. Computed once.
    func mapped() throws -> (source: EmbeddingSpace, target: EmbeddingSpace) {
        if let mappedCache { return mappedCache }
        let result = try mapping.apply(source: source, target: target)
        mappedCache = result
        return result
    }

    /// The mapped spaces' vectors with unit rows, as retrieval needs them. Computed once.
    func unitVectors() throws -> (source: Matrix, target: Matrix) {
        if let unitCache { return unitCache }
        let mapped = try mapped()
        let result = (NeighborSearch.unitNormalized(mapped.source.vectors), NeighborSearch.unitNormalized(mapped.target.vectors))
        unitCache = result
        return result
    }

    /// CSLS statistics (r_T, r_S over the whole vocabularies) for queries from the source
    /// (`fromSource`) or from the target side, computed once per direction and k: one GEMM
    /// sweep over both vocabularies that `%neighbors … retrieval=csls` would otherwise repeat
    /// for every word.
    func cslsStatistics(fromSource: Bool, k: Int) throws -> CSLSStatistics {
        let key = "\(fromSource ? "s2t" : "t2s")-\(k)"
        if let cached = cslsCache[key] { return cached }
        let unit = try unitVectors()
        let statistics =
            fromSource
            ? try CSLSStatistics.compute(source: unit.source, target: unit.target, k: k)
            : try CSLSStatistics.compute(source: unit.target, target: unit.source, k: k)
        cslsCache[key] = statistics
        return statistics
    }

    /// Whether both spaces were trained in one space (`%train cofactor`): the map is the identity.
    var isJoint: Bool { mapping.source.method == "joint" }

    var kind: String { isJoint ? "joint space" : "mapping" }
    var languages: [String] { [source.language ?? sourceName, target.language ?? targetName] }
    var sizeDescription: String {
        if isJoint { return "\(source.count.formatted) + \(target.count.formatted) words × \(source.dimension)" }
        return "\(mapping.source.inputDimension)→\(mapping.source.outputDimension), \(pairsUsed.formatted) pairs"
    }

    func vocabularyWords(prefix: String, limit: Int) -> [String] {
        var found: [String] = []
        for vocabulary in [source.vocabulary, target.vocabulary] {
            for word in vocabulary.words where word.hasPrefix(prefix) && !found.contains(word) {
                found.append(word)
                if found.count >= limit { return found }
            }
        }
        return found
    }
}
