/// VecMap's robust self-learning (Artetxe, Labaka & Agirre 2018, ACL, §3.3–3.4), as
/// `map_embeddings.py` runs it in its `--unsupervised`, `--semi_supervised` and `--identical`
/// modes, from an initial dictionary on normalised spaces X (nX × d) and Z (nZ × d):
///
/// repeat: (a) the orthogonal map W = Procrustes(dictionary), X W; (b) a new dictionary by CSLS
/// over the `cutoff` most frequent rows of each side, forward (every source row → a target) ∪
/// backward (every target row → a source), with stochastic dictionary induction (keep
/// probability p); (c) the objective, the mean best forward cosine and the mean best backward
/// cosine averaged. p starts at `keepInitial` and is multiplied by `multiplier` (capped at 1)
/// whenever `interval` iterations pass without a gain ≥ `threshold` in the objective; once that
/// happens with p = 1 the loop ends, and the final map is fitted on the last dictionary:
/// `WhitenedMapping` (whitening, orthogonal, re-weighting, de-whitening) or, with
/// `whitenedFinal` false, one more orthogonal map.
///
/// The first iteration makes two blocked sweeps over the cutoff × cutoff similarities X·Zᵀ (VecMap
/// makes four GEMMs per iteration): one for both CSLS statistics and the best cosines, one for
/// both sides' exact top-M CSLS candidates (`BidirectionalCandidates`, see `StochasticInduction`);
/// later iterations make one (`OneSweepCandidates`: the statistics and certified candidate
/// lists at once, bounded by the previous iteration's lists); memory O(threads × cutoff × M),
/// no cutoff × cutoff matrix. Random
/// choices come from one `SplitMix64` seeded with `seed`, which gives each iteration and direction
/// a stream of keyed draws (one per entry, `StochasticInduction`): same seed and inputs ⇒ same
/// result for any thread count, blocking and `singleSweep` (the sweeps are exact and the mask
/// does not depend on the order in which entries are examined).
public enum VecMapSelfLearning {
    /// The knobs, with VecMap's defaults.
    public struct Options: Sendable {
        /// Dictionary induction over the first `cutoff` rows of each side (`--vocabulary_cutoff`).
        public var cutoff = 20_000
        /// CSLS neighbourhood (`--csls`).
        public var cslsK = 10
        /// Initial keep probability (`--stochastic_initial`).
        public var keepInitial = 0.1
        /// Keep-probability multiplier (`--stochastic_multiplier`).
        public var multiplier = 2.0
        /// Iterations without improvement before p grows (`--stochastic_interval`).
        public var interval = 50
        /// Minimal objective gain that counts as an improvement (`--threshold`).
        public var threshold = 1e-6
        /// The final map: whitening chain (true, VecMap's recommended modes) or orthogonal.
        public var whitenedFinal = true
        /// Re-weighting exponent of the final step (`--src_reweight`/`--trg_reweight`).
        public var reweight: Float = 0.5
        /// A cap on the iterations (nil: until convergence, as VecMap).
        public var maxIterations: Int? = nil
        /// CSLS candidates kept per query (M; see `StochasticInduction`).
        public var candidates = 64
        /// The seed of the stochastic induction.
        public var seed: UInt64 = 0
        /// From the second iteration on, one similarity sweep per iteration bounded by the last
        /// iteration's lists (`OneSweepCandidates`) instead of two; false: always two sweeps.
        /// Both are exact and give the same dictionaries (they differ only in which rows are
        /// finished on a dense row, and the keyed mask does not depend on that).
        public var singleSweep = true
        /// Entries kept per list by the single sweep (K ≥ M; the certified prefix, cut to M, is
        /// longer the larger K is).
        public var keptCandidates = 96
        /// Blocking and threads of the sweeps.
        public var search = NeighborSearch()

        /// VecMap's defaults.
        public init() {}
    }

    /// One self-learning iteration.
    public struct Iteration: Sendable, Equatable {
        /// 1-based.
        public var iteration: Int
        /// (mean best forward cosine + mean best backward cosine) / 2 of this iteration's map.
        public var objective: Double
        /// Distinct pairs of the induced dictionary.
        public var pairs: Int
        /// The keep probability p used for the induction.
        public var keep: Double
        /// Seconds the iteration took.
        public var seconds: Double
    }

    /// What a run returns.
    public struct Result: Sendable {
        /// The map(s): after convergence the final step's; after a stop the orthogonal map of
        /// the last completed iteration (target unchanged).
        public var mapping: BilingualMapping
        /// The last dictionary (with VecMap's duplicates).
        public var dictionary: TrainingPairs
        /// Every completed iteration.
        public var history: [Iteration]
        /// Whether the loop ended by convergence (false: stopped, or `maxIterations` reached; the
        /// final step is fitted in both of those cases except a stop).
        public var converged: Bool
        /// Whether the progress handler stopped the run.
        public var interrupted: Bool
        /// Whether the final whitening chain was fitted.
        public var whitened: Bool
        /// Queries finished on dense rows over the whole run (see `StochasticInduction`).
        public var denseRows: Int
    }

    /// Runs self-learning from `initial` on normalised spaces of equal dimension.
    ///
    /// `progress` hears phase `self-learning` once per iteration (step = iteration, total = the
    /// projected number of iterations, extras `objective`, `pairs`, `keep`) and a poll between
    /// the sweeps; `.stop` keeps the last completed iteration's orthogonal map. `stages` (for
    /// benchmarks) hears each stage of an iteration as it ends with its wall seconds: `procrustes`,
    /// `project`, `priors`, `sweep`, `certify` (or `statistics` and `candidates` for two sweeps),
    /// `induction`, `objective`.
    /// - Throws: `ShapeError` for different dimensions or a bad dictionary row,
    ///   `MappingError.emptyDictionary` for an empty initial dictionary, LAPACK errors.
    public static func run(
        source x: Matrix, target z: Matrix, initial: TrainingPairs, options: Options = Options(),
        progress: ProgressHandler = ProgressAction.ignore, stages: ((String, Double) -> Void)? = nil
    ) throws -> Result {
        guard x.cols == z.cols else {
            throw ShapeError("self-learning needs equal dimensions: source \(x.cols), target \(z.cols)")
        }
        guard !initial.isEmpty else { throw MappingError.emptyDictionary(method: "vecmap") }
        let sourceCut = min(options.cutoff, x.rows), targetCut = min(options.cutoff, z.rows)
        let zCut = try z.rows == targetCut ? z : z.selectingRows(Array(0..<targetCut))
        var rng = SplitMix64(seed: options.seed)
        var dictionary = initial
        var history: [Iteration] = []
        var best = -100.0, lastImprovement = 0, iteration = 1, keep = options.keepInitial
        var end = false, capped = false, interrupted = false, denseRows = 0
        var priorLists: PriorLists? = nil
        var map = try Procrustes.fit(x: x.selectingRows(dictionary.sourceRows), y: z.selectingRows(dictionary.targetRows))
        let started = MonotonicClock.seconds()
        let projected = projectedIterations(options)
        var clock = started
        func lap(_ name: String) {
            guard let stages else { return }
            let now = MonotonicClock.seconds()
            stages(name, now - clock)
            clock = now
        }
        func poll(_ step: Int) -> Bool {
            let report = Progress(
                phase: "self-learning", step: min(step, projected), total: projected, unit: "iterations",
                elapsedSeconds: MonotonicClock.since(started))
            return progress(report.asPoll) == .stop
        }
        if progress(Progress(phase: "self-learning", step: 0, total: projected, unit: "iterations", elapsedSeconds: 0)) == .stop {
            interrupted = true
        }
        while !interrupted {
            if iteration - lastImprovement > options.interval {
                if keep >= 1 { end = true }
                keep = min(1, options.multiplier * keep)
                lastImprovement = iteration
            }
            if let cap = options.maxIterations, iteration > cap {
                end = true
                capped = true
            }
            if end { break }
            let t0 = MonotonicClock.seconds()
            clock = t0
            let w = try Procrustes.fit(x: x.selectingRows(dictionary.sourceRows), y: z.selectingRows(dictionary.targetRows))
            lap("procrustes")
            let xwCut = try Matrix.product(x.rows == sourceCut ? x : x.selectingRows(Array(0..<sourceCut)), w.weights)
            lap("project")
            let sweep: InductionSweep
            if options.singleSweep, let prior = priorLists {
                // One sweep, bounded by the last iteration's lists (see `OneSweepCandidates`).
                let priors = OneSweepCandidates.priors(
                    queries: xwCut, targets: zCut, forwardLists: prior.forward, forwardScores: prior.forwardScores,
                    forwardWidth: prior.forwardWidth, backwardLists: prior.backward, backwardScores: prior.backwardScores,
                    backwardWidth: prior.backwardWidth, k: options.cslsK,
                    candidates: options.candidates, threads: options.search.threads)
                lap("priors")
                let one = OneSweepCandidates.run(
                    queries: xwCut, targets: zCut, k: options.cslsK, candidates: options.candidates,
                    kept: options.keptCandidates, priors: priors,
                    search: options.search, stages: stages == nil ? nil : lap)
                sweep = InductionSweep(
                    rowMeans: one.rowMeans, columnMeans: one.columnMeans, forwardBest: one.rowMaxima,
                    columnMaxima: one.columnMaxima, forward: one.forward, backward: one.backward,
                    scores: options.search.screen.effective)
                priorLists = PriorLists(
                    forward: one.forwardKept, forwardScores: one.forwardKeptScores, forwardWidth: one.forward.k,
                    backward: one.backwardKept, backwardScores: one.backwardKeptScores, backwardWidth: one.backward.k)
                if poll(iteration) {
                    interrupted = true
                    break
                }
            } else {
                // Sweep 1: X·Zᵀ gives both CSLS neighbourhoods (r_f per source, r_b per target) and
                // the best cosines of both directions (the objective).
                let stats = SimilarityStatistics.run(
                    queries: xwCut, targets: zCut, rowK: options.cslsK, columnK: options.cslsK, beta: nil,
                    search: options.search, candidates: 1)
                guard let rowTops = stats.candidates else { throw MappingError.emptyDictionary(method: "vecmap (empty vocabulary)") }
                lap("statistics")
                if poll(iteration) {
                    interrupted = true
                    break
                }
                // Sweep 2: both sides' exact top-M by 2·s − r of the other side, from one X·Zᵀ pass.
                let (forwardLists, backwardLists) = BidirectionalCandidates.run(
                    queries: xwCut, targets: zCut, candidates: options.candidates, rowPenalty: stats.rowMeans,
                    columnPenalty: stats.columnMeans, search: options.search)
                lap("candidates")
                sweep = InductionSweep(
                    rowMeans: stats.rowMeans, columnMeans: stats.columnMeans,
                    forwardBest: (0..<sourceCut).map { rowTops.values[$0 * rowTops.capacity] }, columnMaxima: stats.columnMaxima,
                    forward: forwardLists, backward: backwardLists)
                priorLists = PriorLists(
                    forward: forwardLists.indices.map { Int32(truncatingIfNeeded: $0) }, forwardScores: forwardLists.scores,
                    forwardWidth: forwardLists.k, backward: backwardLists.indices.map { Int32(truncatingIfNeeded: $0) },
                    backwardScores: backwardLists.scores, backwardWidth: backwardLists.k)
            }
            let p = Float(keep)
            // One keyed stream per direction and iteration: the matches do not depend on threads or blocking.
            let forward = try StochasticInduction(
                queries: xwCut, candidates: zCut, penalty: sweep.columnMeans, lists: sweep.forward, scores: sweep.scores
            ).run(keep: p, stream: rng.next())
            let backward = try StochasticInduction(
                queries: zCut, candidates: xwCut, penalty: sweep.rowMeans, lists: sweep.backward, scores: sweep.scores
            ).run(keep: p, stream: rng.next())
            denseRows += forward.denseRows + backward.denseRows
            dictionary = TrainingPairs(
                sourceRows: Array(0..<sourceCut) + backward.matches, targetRows: forward.matches + Array(0..<targetCut))
            lap("induction")
            let objective = (mean(sweep.forwardBest) + mean(sweep.columnMaxima)) / 2
            if objective - best >= options.threshold {
                lastImprovement = iteration
                best = objective
            }
            map = w
            let record = Iteration(
                iteration: iteration, objective: objective, pairs: distinctPairs(dictionary), keep: keep,
                seconds: MonotonicClock.since(t0))
            history.append(record)
            lap("objective")
            let report = Progress(
                phase: "self-learning", step: min(iteration, projected), total: projected, unit: "iterations",
                elapsedSeconds: MonotonicClock.since(started),
                extras: [.init("objective", objective), .init("pairs", Double(record.pairs)), .init("keep", keep)])
            if progress(report) == .stop { interrupted = true }
            iteration += 1
        }
        if interrupted || !end {
            var kept = map
            kept.method = "vecmap"
            kept.parameters["iterations"] = "\(history.count)"
            return Result(
                mapping: BilingualMapping(source: kept), dictionary: dictionary, history: history, converged: false,
                interrupted: interrupted, whitened: false, denseRows: denseRows)
        }
        let xs = try x.selectingRows(dictionary.sourceRows), zs = try z.selectingRows(dictionary.targetRows)
        var mapping: BilingualMapping
        if options.whitenedFinal {
            mapping = try WhitenedMapping.fit(x: xs, z: zs, reweight: options.reweight)
            mapping.source.method = "vecmap"
            mapping.target?.method = "vecmap"
        } else {
            mapping = try Procrustes.fitMapping(x: xs, y: zs)
            mapping.source.method = "vecmap"
        }
        mapping.source.parameters["iterations"] = "\(history.count)"
        return Result(
            mapping: mapping, dictionary: dictionary, history: history, converged: !capped, interrupted: false,
            whitened: options.whitenedFinal, denseRows: denseRows)
    }

    /// What an iteration's similarity sweep(s) give the induction.
    struct InductionSweep {
        var rowMeans: [Float], columnMeans: [Float], forwardBest: [Float], columnMaxima: [Float]
        var forward: NeighborSearch.Neighbors, backward: NeighborSearch.Neighbors
        /// Whose fp32 scores the lists hold (the induction's dense rows must use the same).
        var scores: SimilarityScreen = .float32
    }

    /// The last iteration's candidate lists (−1 padded), the next sweep's priors.
    struct PriorLists {
        var forward: [Int32], forwardScores: [Float], forwardWidth: Int
        var backward: [Int32], backwardScores: [Float], backwardWidth: Int
    }

    /// The fewest iterations the schedule can take: (interval + 1) per keep level.
    public static func projectedIterations(_ options: Options) -> Int {
        if let cap = options.maxIterations { return max(1, cap) }
        var levels = 1, p = options.keepInitial
        while p < 1 && options.multiplier > 1 && levels < 64 {
            p = min(1, p * options.multiplier)
            levels += 1
        }
        return max(1, levels * (options.interval + 1))
    }

    /// Number of distinct (source, target) pairs.
    public static func distinctPairs(_ pairs: TrainingPairs) -> Int {
        var seen = Set<Int>()
        for (i, j) in zip(pairs.sourceRows, pairs.targetRows) { seen.insert(i &* 1_048_576 &+ j) }
        return seen.count
    }

    static func mean(_ values: [Float]) -> Double {
        guard !values.isEmpty else { return 0 }
        var sum = 0.0
        for v in values { sum += Double(v) }
        return sum / Double(values.count)
    }
}
