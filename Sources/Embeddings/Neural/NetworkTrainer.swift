/// The training loop shared by the networks: epochs of shuffled mini-batches, an optional
/// development score after each epoch with early stopping (the best epoch's model is kept),
/// a `Progress` report after each epoch and a poll before each batch whose `.stop` ends the run
/// (the model so far is kept), all from one seeded generator.
public enum NetworkTrainer {
    /// The loop's settings.
    public struct Options: Sendable, Equatable {
        /// Passes over the training examples (≥ 1).
        public var epochs: Int
        /// Examples per optimizer step (≥ 1).
        public var batchSize: Int
        /// Epochs without dev improvement before stopping; nil: never stop early (the dev score
        /// is still reported, and the best epoch's model still kept when there is one).
        public var patience: Int?

        /// Settings; `epochs` and `batchSize` must be ≥ 1 (checked by `train`).
        public init(epochs: Int, batchSize: Int, patience: Int? = nil) {
            self.epochs = epochs
            self.batchSize = batchSize
            self.patience = patience
        }
    }

    /// What one epoch did: the run's history (progress is reported as `Progress`).
    public struct EpochRecord: Sendable, Equatable {
        /// The epoch, 1-based.
        public var epoch: Int
        /// The number of epochs asked for.
        public var epochs: Int
        /// The mean training loss over the epoch's examples (each batch's loss weighted by its size).
        public var trainLoss: Double
        /// The development score after the epoch, when there is a dev set.
        public var devScore: Double?
        /// Wall time since training started, in seconds.
        public var elapsedSeconds: Double

        /// This epoch as a progress report: phase `training`, unit `epochs`, loss = the mean
        /// training loss (nil when not finite), extra `dev score` with a dev set.
        public var progress: Progress {
            Progress(
                phase: "training", step: epoch, total: epochs, unit: "epochs",
                loss: trainLoss.isFinite ? trainLoss : nil, elapsedSeconds: elapsedSeconds,
                extras: devScore.map { [.init("dev score", $0)] } ?? [])
        }
    }

    /// The trained network and how training went.
    public struct Result<Network: Sendable>: Sendable {
        /// The model kept: the best dev epoch's when a dev score was given, else the last epoch's
        /// (or the one when the progress handler stopped the run).
        public var network: Network
        /// One record per completed epoch.
        public var history: [EpochRecord]
        /// The epoch whose model was kept (0 when no epoch completed).
        public var keptEpoch: Int
        /// True when early stopping ended the run before `epochs`.
        public var stoppedEarly: Bool
        /// True when the progress handler ended the run (an interrupt).
        public var interrupted: Bool
    }

    /// Trains `network` on `examples` examples. `step(&network, batch, &optimizer, &generator)`
    /// runs one optimizer step on the example indices `batch` and returns the batch's mean
    /// loss; `devScore(network)` (higher is better) is asked after every epoch. `progress` hears
    /// of every epoch (`EpochRecord.progress`) and is polled before every batch (`isPoll`, step =
    /// epochs completed); `.stop` ends the run — after a poll within one batch, and the model
    /// then includes the steps of the unfinished epoch, which gets no record. `generator` is the
    /// run's single generator (it has usually initialised the network already).
    public static func train<Network: Sendable>(
        _ network: Network, examples: Int, options: Options, optimizer: Optimizer, generator: SplitMix64,
        step: (inout Network, [Int], inout Optimizer, inout SplitMix64) throws(NeuralError) -> Double,
        devScore: ((Network) throws(NeuralError) -> Double)? = nil,
        progress: ProgressHandler = ProgressAction.ignore
    ) throws(NeuralError) -> Result<Network> {
        guard options.epochs >= 1 else { throw NeuralError("epochs must be at least 1, got \(options.epochs)") }
        guard options.batchSize >= 1 else { throw NeuralError("batch size must be at least 1, got \(options.batchSize)") }
        guard examples >= 1 else { throw NeuralError("no training examples") }
        var stopper: EarlyStopping? = nil
        if let patience = options.patience, devScore != nil { stopper = try EarlyStopping(patience: patience) }
        var current = network, optimizer = optimizer, generator = generator
        var best: (network: Network, epoch: Int, score: Double)? = nil
        var history: [EpochRecord] = []
        var stoppedEarly = false, interrupted = false
        let start = MonotonicClock.seconds()
        for epoch in 1...options.epochs {
            var lossSum = 0.0
            for batch in MiniBatches.shuffled(count: examples, size: options.batchSize, generator: &generator) {
                let poll = Progress(
                    phase: "training", step: epoch - 1, total: options.epochs, unit: "epochs",
                    elapsedSeconds: MonotonicClock.since(start), isPoll: true)
                if progress(poll) == .stop {
                    interrupted = true
                    break
                }
                lossSum += try step(&current, batch, &optimizer, &generator) * Double(batch.count)
            }
            if interrupted { break }
            let score = try devScore?(current)
            let record = EpochRecord(
                epoch: epoch, epochs: options.epochs, trainLoss: lossSum / Double(examples),
                devScore: score, elapsedSeconds: MonotonicClock.since(start))
            history.append(record)
            if let score, best.map({ score > $0.score }) ?? true { best = (current, epoch, score) }
            if let score, stopper?.record(score: score, epoch: epoch) == .stop, epoch < options.epochs { stoppedEarly = true }
            if progress(record.progress) == .stop { interrupted = true }
            if stoppedEarly || interrupted { break }
        }
        if let best {
            return Result(
                network: best.network, history: history, keptEpoch: best.epoch, stoppedEarly: stoppedEarly, interrupted: interrupted)
        }
        return Result(network: current, history: history, keptEpoch: history.count, stoppedEarly: stoppedEarly, interrupted: interrupted)
    }
}
