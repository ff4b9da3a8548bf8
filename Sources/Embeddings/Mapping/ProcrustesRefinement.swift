/// Iterative Procrustes refinement (Conneau et al. 2018, MUSE `dico_build` + Procrustes):
/// map the source, induce a dictionary of mutual nearest neighbours by CSLS among the
/// `maxRank` most frequent words of each side (S2T & T2S), refit Procrustes on it, repeat.
public enum ProcrustesRefinement {
    /// One refinement step (the run's history; progress is reported as `Progress`).
    public struct Step: Sendable, Equatable {
        /// 1-based step number.
        public var iteration: Int
        /// Size of the induced dictionary (mutual CSLS nearest neighbours).
        public var pairs: Int
    }

    /// The induced dictionary: pairs (s, t) such that t is s's CSLS-nearest target and s is
    /// t's CSLS-nearest source, among the first `maxRank` rows of each side.
    ///
    /// - Parameters:
    ///   - mappedSource: mapped source vectors, `nS × d` (any norm; unit-normalised here).
    ///   - target: target vectors, `nT × d`.
    public static func mutualNeighbors(
        mappedSource: Matrix, target: Matrix, maxRank: Int, cslsK: Int = 10,
        search: NeighborSearch = NeighborSearch()
    ) throws(ShapeError) -> TrainingPairs {
        let s = NeighborSearch.unitNormalized(try mappedSource.selectingRows(Array(0..<min(maxRank, mappedSource.rows))))
        let t = NeighborSearch.unitNormalized(try target.selectingRows(Array(0..<min(maxRank, target.rows))))
        guard s.rows > 0, t.rows > 0 else { return TrainingPairs(sourceRows: [], targetRows: []) }
        let forward = try search.search(source: s, target: t, k: 1, method: .csls(k: min(cslsK, max(1, min(s.rows, t.rows)))))
        let backward = try search.search(source: t, target: s, k: 1, method: .csls(k: min(cslsK, max(1, min(s.rows, t.rows)))))
        var pairs = TrainingPairs(sourceRows: [], targetRows: [])
        for i in 0..<s.rows {
            let j = forward.indices[i]
            if backward.indices[j] == i {
                pairs.sourceRows.append(i)
                pairs.targetRows.append(j)
            }
        }
        return pairs
    }

    /// Runs `steps` refinement steps from `initial` (a source → target map of equal
    /// dimensions). `progress` hears of the start (step 0) and of every completed step (phase
    /// `refining`, unit `steps`, extra `pairs`: the induced dictionary's size); on `.stop` the map
    /// of the last completed step is returned with the steps done so far (fewer than `steps`).
    public static func run(
        initial: LinearMap, source: EmbeddingSpace, target: EmbeddingSpace, steps: Int,
        maxRank: Int, cslsK: Int = 10, search: NeighborSearch = NeighborSearch(),
        progress: ProgressHandler = ProgressAction.ignore
    ) throws -> (map: LinearMap, steps: [Step]) {
        var map = initial
        var done: [Step] = []
        let started = MonotonicClock.seconds()
        func report(_ step: Int, pairs: Int?) -> ProgressAction {
            progress(
                Progress(
                    phase: "refining", step: step, total: max(1, steps), unit: "steps",
                    elapsedSeconds: MonotonicClock.since(started),
                    extras: pairs.map { [.init("pairs", Double($0))] } ?? []))
        }
        guard steps > 0, report(0, pairs: nil) == .continue else { return (map, done) }
        for iteration in 1...steps {
            let mapped = try map.apply(to: source.vectors)
            let pairs = try mutualNeighbors(
                mappedSource: mapped, target: target.vectors, maxRank: maxRank,
                cslsK: cslsK, search: search)
            guard !pairs.isEmpty else { throw MappingError.emptyDictionary(method: "refinement (no mutual nearest neighbours)") }
            var refined = try Procrustes.fit(source: source, target: target, pairs: pairs)
            refined.method = "procrustes-refined"
            refined.parameters["refinement_steps"] = String(iteration)
            map = refined
            done.append(Step(iteration: iteration, pairs: pairs.count))
            if report(iteration, pairs: pairs.count) == .stop { break }
        }
        return (map, done)
    }
}
