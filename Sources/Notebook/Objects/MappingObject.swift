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
    private var mappedCache: (source: EmbeddingSpace, target: EmbeddingSpace)?

    init(mapping: BilingualMapping, method: String, sourceName: String, targetName: String,
         source: EmbeddingSpace, target: EmbeddingSpace, pairsUsed: Int) {
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

    var kind: String { "mapping" }
    var languages: [String] { [source.language ?? sourceName, target.language ?? targetName] }
    var sizeDescription: String {
        "\(mapping.source.inputDimension)→\(mapping.source.outputDimension), \(pairsUsed.formatted) pairs"
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
