import Neural
import XlingCore

/// MUSE (Conneau, Lample, Ranzato, Denoyer & Jégou 2018, "Word translation without parallel
/// data"), as its `unsupervised.py` runs it, on the `Neural` engine:
///
/// 1. **Adversarial training.** A map W (d × d, applied as x·W, identity at the start) and the
///    `MUSEDiscriminator` play against each other: per iteration `discriminatorSteps` steps of
///    the discriminator on `batchSize` mapped source + `batchSize` target rows drawn uniformly
///    among the `mostFrequent` words of each side (labels 1 − s / s, s = `smoothing`), then one
///    step of W on fresh rows with the labels flipped; after each W step
///    W ← (1 + β)W − β(WWᵀ)W (`orthogonalize`). Both by SGD (`learningRate`); after each epoch
///    of ⌈`epochSize` / `batchSize`⌉ iterations the map's rate decays (× `decay`, not below
///    `minimumLearningRate`) and shrinks (× `shrink`) from the second epoch whose criterion
///    falls below the best.
/// 2. **Model selection** by `criterion`: the mean cosine of the `selectionWords` most frequent
///    source words with their CSLS-10 translations; the best epoch's W is kept.
/// 3. **Refinement**: `refinementSteps` Procrustes steps on dictionaries induced by CSLS among the
///    `refinementRank` most frequent words (`MUSERefinement`), each judged by the same criterion;
///    the best map over all epochs and steps is the result.
///
/// All randomness (discriminator initialisation, batches, dropout masks) comes from one
/// `SplitMix64(seed:)`, so a seed fixes the run. Rows are used as given (MUSE's
/// `--normalize_embeddings` default is none; the caller normalises).
public enum MUSE {
    /// The settings, MUSE `unsupervised.py`'s defaults unless stated.
    public struct Options: Sendable {
        /// Adversarial epochs (MUSE `--n_epochs` 5).
        public var epochs = 5
        /// Rows of each side drawn per epoch; iterations per epoch = ⌈epochSize / batchSize⌉. MUSE's
        /// `--epoch_size` is 1,000,000 (31,250 iterations, about an hour on 2 CPU cores here); ours
        /// is 32,000 (1,000 iterations) so a run finishes in minutes.
        public var epochSize = 32_000
        /// Rows of each side per batch (MUSE 32).
        public var batchSize = 32
        /// Discriminator steps per mapping step (MUSE 5).
        public var discriminatorSteps = 5
        /// Hidden layers of the discriminator (MUSE 2).
        public var hiddenLayers = 2
        /// Their width (MUSE 2,048).
        public var hidden = 2048
        /// Input dropout of the discriminator (MUSE 0.1).
        public var inputDropout: Float = 0.1
        /// Negative slope of its leaky ReLUs (MUSE 0.2).
        public var slope: Float = 0.2
        /// Label smoothing s (MUSE 0.1).
        public var smoothing: Float = 0.1
        /// Batches are drawn among this many most frequent words of each side (MUSE 75,000).
        public var mostFrequent = 75_000
        /// SGD rate of both players (MUSE `sgd,lr=0.1`).
        public var learningRate: Float = 0.1
        /// Per-epoch decay of the map's rate (MUSE 0.98).
        public var decay: Float = 0.98
        /// Floor of the map's rate (MUSE 1e-6).
        public var minimumLearningRate: Float = 1e-6
        /// Factor of the map's rate when the criterion falls (MUSE 0.5; 1 = never).
        public var shrink: Float = 0.5
        /// β of the orthogonalisation (MUSE 0.001).
        public var beta: Float = 0.001
        /// Source words of the model-selection criterion (MUSE 10,000).
        public var selectionWords = 10_000
        /// Procrustes refinement steps (MUSE 5).
        public var refinementSteps = 5
        /// Dictionary induction of the refinement over this many most frequent words (MUSE 15,000).
        public var refinementRank = 15_000
        /// CSLS neighbourhood (MUSE csls_knn_10).
        public var cslsK = 10
        /// The refinement dictionaries (MUSE S2T).
        public var build = MUSERefinement.Build.s2t
        /// The run's seed.
        public var seed: UInt64 = 0
        /// The neighbour search (threads).
        public var search = NeighborSearch()

        /// MUSE's settings with our epoch size.
        public init() {}

        /// Iterations (mapping steps) per epoch.
        public var iterationsPerEpoch: Int { (epochSize + batchSize - 1) / batchSize }
    }

    /// One adversarial epoch or refinement step.
    public struct Record: Sendable, Equatable {
        /// `adversarial` or `refinement`.
        public var phase: String
        /// 1-based epoch or step.
        public var step: Int
        /// The model-selection criterion after it.
        public var criterion: Double
        /// Mean discriminator loss over the epoch (adversarial only).
        public var discriminatorLoss: Double?
        /// MUSE's discriminator accuracy after the epoch, on the `MUSE.accuracyRows` most frequent
        /// words of each side (adversarial only).
        public var discriminatorAccuracy: Double? = nil
        /// Mean mapping loss over the epoch (adversarial only).
        public var mappingLoss: Double?
        /// The map's learning rate during the epoch (adversarial only).
        public var learningRate: Double?
        /// Induced dictionary size (refinement only).
        public var pairs: Int?
    }

    /// A run's outcome.
    public struct Result: Sendable {
        /// The kept map (d × d), the best by the criterion (or the current one when interrupted).
        public var weights: Matrix
        /// Every completed epoch and step, in order.
        public var history: [Record]
        /// The record whose map was kept (nil when interrupted before the first one ended).
        public var kept: Record?
        /// The progress handler stopped the run; `weights` is the map at that moment.
        public var interrupted: Bool
    }

    /// Words of each side behind `Record.discriminatorAccuracy` (MUSE scores all of them; a
    /// sample keeps the check at a fraction of an epoch's cost).
    public static let accuracyRows = 2_000

    /// MUSE's orthogonalisation step W ← (1 + β)W − β(WWᵀ)W (Cissé et al. 2017), which pulls W
    /// towards the orthogonal manifold.
    public static func orthogonalize(_ w: Matrix, beta: Float) throws(ShapeError) -> Matrix {
        let wwt = try Matrix.product(w, w, transposeB: true)
        var out = try Matrix.product(wwt, w, alpha: -beta)
        for i in out.storage.indices { out.storage[i] += (1 + beta) * w.storage[i] }
        return out
    }

    /// The model-selection criterion: the mean cosine between the first `words` source rows
    /// mapped by `weights` and their CSLS-`k` nearest among the first `words` target rows.
    public static func criterion(
        source: Matrix, target: Matrix, weights: Matrix, words: Int = 10_000, k: Int = 10, search: NeighborSearch = NeighborSearch()
    ) throws -> Double {
        let head = try source.selectingRows(Array(0..<min(words, source.rows)))
        return try FailureDetector.inducedDictionary(
            source: Matrix.product(head, weights), target: target, top: words, k: k, search: search
        )
        .meanCosine
    }

    /// Runs MUSE on `source` (nS × d) and `target` (nT × d), rows most frequent first.
    /// `progress` hears phase `adversarial` (unit `iterations`, about 100 reports per run, extras
    /// `discriminator loss`, `criterion` at epoch ends) and `refinement` (unit `steps`, extras
    /// `pairs`, `criterion`), and is polled before every training step; `.stop` returns the
    /// current map with `interrupted`.
    public static func run(
        source: Matrix, target: Matrix, options: Options = Options(), progress: ProgressHandler = ProgressAction.ignore
    ) throws -> Result {
        guard source.cols == target.cols else {
            throw ShapeError("MUSE needs equal dimensions: source \(source.cols), target \(target.cols)")
        }
        let d = source.cols
        let started = MonotonicClock.seconds()
        var generator = SplitMix64(seed: options.seed)
        let nS = min(options.mostFrequent, source.rows), nT = min(options.mostFrequent, target.rows)
        let b = options.batchSize
        let draw: MUSEAdversary.Batches = { g in
            var xs = Matrix(rows: b, cols: d), xt = Matrix(rows: b, cols: d)
            for r in 0..<b {
                let i = Int(g.next() % UInt64(nS)), j = Int(g.next() % UInt64(nT))
                for c in 0..<d {
                    xs.storage[r * d + c] = source.storage[i * d + c]
                    xt.storage[r * d + c] = target.storage[j * d + c]
                }
            }
            return (xs, xt)
        }
        var adversary = try MUSEAdversary(
            mapping: Matrix.identity(d), options: options, iterations: options.iterationsPerEpoch, batches: draw
        ) {
            MUSEDiscriminator(
                &$0, inputs: d, hidden: options.hidden, layers: options.hiddenLayers, inputDropout: options.inputDropout,
                slope: options.slope, generator: &generator)
        }

        var history: [Record] = []
        var best: (weights: Matrix, record: Record)? = nil
        var lr = options.learningRate, shrinkNext = false
        let total = options.epochs * options.iterationsPerEpoch
        let every = max(1, total / 100)
        var pendingLoss = 0.0, pendingCount = 0
        for epoch in 1...max(1, options.epochs) where options.epochs > 0 {
            adversary.setMappingLearningRate(lr)
            var stepsSeen = 0
            var stopped = false
            let before = (epoch - 1) * options.iterationsPerEpoch
            let result = try adversary.epoch(
                generator: &generator,
                progress: { report in
                    guard report.isPoll else { return .continue }
                    stepsSeen += 1
                    let iteration = before + stepsSeen / (options.discriminatorSteps + 1)
                    if stepsSeen % ((options.discriminatorSteps + 1) * every) == 0 {
                        let action = progress(
                            Progress(
                                phase: "adversarial", step: iteration, total: total, unit: "iterations",
                                elapsedSeconds: MonotonicClock.since(started),
                                extras: pendingCount > 0 ? [.init("discriminator loss", pendingLoss / Double(pendingCount))] : []))
                        if action == .stop { stopped = true }
                        return action
                    }
                    let action = progress(
                        Progress(
                            phase: "adversarial", step: iteration, total: total, unit: "iterations",
                            elapsedSeconds: MonotonicClock.since(started), isPoll: true))
                    if action == .stop { stopped = true }
                    return action
                })
            if stopped || result.interrupted {
                return Result(weights: adversary.weights, history: history, kept: best?.record, interrupted: true)
            }
            let epochRecord = result.history[0]
            let disLoss = epochRecord.trainLoss
            pendingLoss = disLoss
            pendingCount = 1
            let mapLoss = epochRecord.taskLosses.last?.value
            let value = try criterion(
                source: source, target: target, weights: adversary.weights, words: options.selectionWords, k: options.cslsK,
                search: options.search)
            let accuracy = try adversary.accuracy(source: source, target: target, rows: accuracyRows)
            let record = Record(
                phase: "adversarial", step: epoch, criterion: value, discriminatorLoss: disLoss, discriminatorAccuracy: accuracy,
                mappingLoss: mapLoss, learningRate: Double(lr))
            history.append(record)
            if progress(
                Progress(
                    phase: "adversarial", step: epoch * options.iterationsPerEpoch, total: total, unit: "iterations",
                    elapsedSeconds: MonotonicClock.since(started),
                    extras: [.init("discriminator loss", disLoss), .init("discriminator accuracy", accuracy), .init("criterion", value)]))
                == .stop
            {
                return Result(weights: adversary.weights, history: history, kept: best?.record, interrupted: true)
            }
            // MUSE's update_lr: decay, then shrink from the second fall below the best.
            let previousBest = best?.record.criterion ?? -.infinity
            lr = max(options.minimumLearningRate, lr * options.decay)
            if options.shrink < 1, value < previousBest {
                if shrinkNext { lr *= options.shrink }
                shrinkNext = true
            }
            if value > previousBest { best = (adversary.weights, record) }
        }
        var weights = best?.weights ?? adversary.weights
        guard options.refinementSteps > 0 else { return Result(weights: weights, history: history, kept: best?.record, interrupted: false) }
        if progress(
            Progress(
                phase: "refinement", step: 0, total: options.refinementSteps, unit: "steps", elapsedSeconds: MonotonicClock.since(started)))
            == .stop
        {
            return Result(weights: weights, history: history, kept: best?.record, interrupted: true)
        }
        for step in 1...options.refinementSteps {
            let refined = try MUSERefinement.step(
                source: source, target: target, weights: weights, maxRank: options.refinementRank, cslsK: options.cslsK,
                build: options.build, search: options.search)
            weights = refined.weights
            let value = try criterion(
                source: source, target: target, weights: weights, words: options.selectionWords, k: options.cslsK, search: options.search)
            let record = Record(phase: "refinement", step: step, criterion: value, pairs: refined.pairs.count)
            history.append(record)
            if value > (best?.record.criterion ?? -.infinity) { best = (weights, record) }
            let action = progress(
                Progress(
                    phase: "refinement", step: step, total: options.refinementSteps, unit: "steps",
                    elapsedSeconds: MonotonicClock.since(started),
                    extras: [.init("pairs", Double(refined.pairs.count)), .init("criterion", value)]))
            if action == .stop { return Result(weights: weights, history: history, kept: best?.record, interrupted: true) }
        }
        return Result(weights: best?.weights ?? weights, history: history, kept: best?.record, interrupted: false)
    }
}
