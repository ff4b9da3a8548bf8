import XlingCore

/// MUSE's Procrustes refinement step (Conneau et al. 2018, §3.2; MUSE `build_dictionary` +
/// `procrustes`): induce a dictionary from the current map by CSLS among the `maxRank` most
/// frequent words of each side, then refit the orthogonal map on it.
public enum MUSERefinement {
    /// Which induced pairs are kept (MUSE `--dico_build`).
    public enum Build: String, Sendable, CaseIterable {
        /// Every one of the top source words with its CSLS-nearest target (MUSE's default, S2T).
        case s2t
        /// Only mutual CSLS nearest neighbours (S2T&T2S).
        case mutual
    }

    /// The induced dictionary of `mapped` (rows are mapped source words, most frequent first)
    /// against `target`: source rows 0..<min(maxRank, nS) with their CSLS-`k` nearest among target
    /// rows 0..<min(maxRank, nT), rows unit-normalised for the retrieval. `mutual` keeps only the
    /// pairs whose target's CSLS-nearest source is that row.
    public static func dictionary(
        mapped: Matrix, target: Matrix, maxRank: Int, cslsK: Int = 10, build: Build = .s2t, search: NeighborSearch = NeighborSearch()
    ) throws(ShapeError) -> TrainingPairs {
        if build == .mutual {
            return try ProcrustesRefinement.mutualNeighbors(
                mappedSource: mapped, target: target, maxRank: maxRank, cslsK: cslsK, search: search)
        }
        let s = NeighborSearch.unitNormalized(try mapped.selectingRows(Array(0..<min(maxRank, mapped.rows))))
        let t = NeighborSearch.unitNormalized(try target.selectingRows(Array(0..<min(maxRank, target.rows))))
        guard s.rows > 0, t.rows > 0 else { return TrainingPairs(sourceRows: [], targetRows: []) }
        let found = try search.search(source: s, target: t, k: 1, method: .csls(k: min(cslsK, max(1, min(s.rows, t.rows)))))
        var pairs = TrainingPairs(sourceRows: [], targetRows: [])
        for i in 0..<s.rows where found.indices[i] >= 0 {
            pairs.sourceRows.append(i)
            pairs.targetRows.append(found.indices[i])
        }
        return pairs
    }

    /// One step: the dictionary induced by `weights` (d × d, applied as x·W), and the Procrustes
    /// map W = UVᵀ of the SVD of XᵀY over its pairs (X, Y: the paired rows of `source`, `target`).
    public static func step(
        source: Matrix, target: Matrix, weights: Matrix, maxRank: Int, cslsK: Int = 10, build: Build = .s2t,
        search: NeighborSearch = NeighborSearch()
    ) throws -> (weights: Matrix, pairs: TrainingPairs) {
        let head = try source.selectingRows(Array(0..<min(maxRank, source.rows)))
        let pairs = try dictionary(
            mapped: Matrix.product(head, weights), target: target, maxRank: maxRank, cslsK: cslsK, build: build, search: search)
        guard !pairs.isEmpty else { throw MappingError.emptyDictionary(method: "muse refinement (no induced pairs)") }
        let fitted = try Procrustes.fit(x: source.selectingRows(pairs.sourceRows), y: target.selectingRows(pairs.targetRows))
        return (fitted.weights, pairs)
    }
}
