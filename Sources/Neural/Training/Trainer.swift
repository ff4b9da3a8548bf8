import XlingCore

/// The one training loop: epochs of shuffled mini-batches over a `ParameterStore`; after each
/// batch zero-grad → forward on a fresh tape → backward → optional global-norm clipping → the
/// task's optimizers → the post-step hook. Optionally several tasks alternate (a coin per batch,
/// as the CLTC paper's multitask code, or in turn). After each epoch an optional development
/// score decides the kept model (the best epoch's, restored from a snapshot) and early stopping;
/// a `Progress` reports the epoch and a poll before every batch can stop the run, which keeps
/// the model so far. All randomness comes from one seeded generator.
///
/// With `Options.threads` T ≥ 2 a task that has a `shardLoss` runs each batch data-parallel: the
/// batch is cut into T consecutive shards (of about equal `exampleCost`), worker t of the persistent
/// pool records shard t on its own tape into its own gradient buffers (a `workerStore`) with a
/// generator seeded from the run's (one draw per worker, in worker order), and the workers'
/// gradients are added into the store in worker order before clipping and the optimizer step, so
/// the same seed and T give the same numbers. OpenBLAS runs single-threaded for the whole run
/// (one setting, restored at the end) — the workers are the parallelism. At T = 1 every step is
/// the serial one, number for number.
public struct Trainer {
    /// How tasks share the steps of an epoch.
    public enum Alternation: Sendable, Equatable {
        /// Step s runs task s mod (number of tasks).
        case inTurn
        /// Each step draws a task uniformly with the run's generator.
        case random
    }

    /// The loop's settings.
    public struct Options: Sendable, Equatable {
        /// Passes over the first task's examples (≥ 1).
        public var epochs: Int
        /// Epochs without dev improvement before stopping; nil: never stop early.
        public var patience: Int?
        /// Clip the global gradient norm of each step to this (nil: no clipping).
        public var clipNorm: Double?
        /// How several tasks alternate.
        public var alternation: Alternation
        /// Data-parallel workers per batch (≥ 1; see the type's documentation).
        public var threads: Int

        /// Settings.
        public init(epochs: Int, patience: Int? = nil, clipNorm: Double? = nil, alternation: Alternation = .random, threads: Int = 1) {
            self.epochs = epochs
            self.patience = patience
            self.clipNorm = clipNorm
            self.alternation = alternation
            self.threads = threads
        }
    }

    /// What one epoch did.
    public struct EpochRecord: Sendable, Equatable {
        /// The epoch, 1-based.
        public var epoch: Int
        /// The number of epochs asked for.
        public var epochs: Int
        /// The mean loss of the first task over the epoch's examples (batches weighted by size).
        public var trainLoss: Double
        /// The development score after the epoch, when there is one.
        public var devScore: Double?
        /// Wall time since training started, in seconds.
        public var elapsedSeconds: Double
        /// The mean losses of the other tasks, by name.
        public var taskLosses: [Progress.Extra] = []

        /// A record.
        public init(
            epoch: Int, epochs: Int, trainLoss: Double, devScore: Double?, elapsedSeconds: Double, taskLosses: [Progress.Extra] = []
        ) {
            self.epoch = epoch
            self.epochs = epochs
            self.trainLoss = trainLoss
            self.devScore = devScore
            self.elapsedSeconds = elapsedSeconds
            self.taskLosses = taskLosses
        }

        /// This epoch as a progress report: phase `training`, unit `epochs`, loss = the mean
        /// training loss (nil when not finite), extras `dev score` and the other tasks' losses.
        public var progress: Progress {
            Progress(
                phase: "training", step: epoch, total: epochs, unit: "epochs",
                loss: trainLoss.isFinite ? trainLoss : nil, elapsedSeconds: elapsedSeconds,
                extras: (devScore.map { [.init("dev score", $0)] } ?? []) + taskLosses)
        }
    }

    /// How training went (the store holds the kept model).
    public struct Result: Sendable {
        /// One record per completed epoch.
        public var history: [EpochRecord]
        /// The epoch whose model was kept (0 when no epoch completed).
        public var keptEpoch: Int
        /// Early stopping ended the run before the last epoch.
        public var stoppedEarly: Bool
        /// The progress handler stopped the run (the model so far is kept, or the best epoch's).
        public var interrupted: Bool
        /// Optimizer steps taken.
        public var steps: Int
    }

    /// The settings.
    public var options: Options
    /// The tasks; the first one defines the epoch (its number of batches is the epoch's steps).
    public var tasks: [TrainingTask]
    /// Called after every optimizer step with the store and the task's index (e.g. MUSE's
    /// orthogonalisation of a mapping).
    public var postStep: ((inout ParameterStore, Int) -> Void)?

    /// A trainer; checks the settings, and that each task's optimizers update disjoint sets.
    public init(options: Options, tasks: [TrainingTask], postStep: ((inout ParameterStore, Int) -> Void)? = nil) throws(NeuralError) {
        guard options.epochs >= 1 else { throw NeuralError("epochs must be at least 1, got \(options.epochs)") }
        guard let first = tasks.first else { throw NeuralError("nothing to train: no task") }
        guard first.examples >= 1 else { throw NeuralError("no training examples") }
        for task in tasks {
            guard task.batchSize >= 1 else { throw NeuralError("batch size must be at least 1, got \(task.batchSize)") }
            guard task.examples >= 1 else { throw NeuralError("task \(task.name) has no examples") }
            var seen = Set<Parameter>()
            for optimizer in task.optimizers {
                for p in optimizer.parameters ?? [] where !seen.insert(p).inserted {
                    throw NeuralError(
                        "task \(task.name): two optimizers update the same parameter", fix: "give each optimizer its own parameters")
                }
            }
            if task.optimizers.count > 1 && task.optimizers.contains(where: { $0.parameters == nil }) {
                throw NeuralError("task \(task.name): an optimizer over all parameters cannot share the task with another one")
            }
        }
        if let patience = options.patience, patience < 1 { throw NeuralError("patience must be at least 1 epoch, got \(patience)") }
        guard options.threads >= 1 else { throw NeuralError("threads must be at least 1, got \(options.threads)") }
        self.options = options
        self.tasks = tasks
        self.postStep = postStep
    }

    /// Trains `store` in place. `devScore` (higher is better) runs after every epoch;
    /// `progress` hears of every epoch and is polled before every batch (`isPoll`, step = epochs
    /// completed); `.stop` ends the run: the model then includes the steps of the unfinished
    /// epoch unless a dev score chose a best epoch, whose model is restored.
    public mutating func train(
        _ store: inout ParameterStore, generator: inout SplitMix64,
        devScore: ((ParameterStore) throws(NeuralError) -> Double)? = nil,
        progress: ProgressHandler = ProgressAction.ignore
    ) throws(NeuralError) -> Result {
        guard options.threads >= 2, tasks.contains(where: { $0.shardLoss != nil }) else {
            return try trainLoop(&store, generator: &generator, devScore: devScore, progress: progress, workers: nil)
        }
        let workers = WorkerStores(store, count: options.threads)
        // One BLAS setting for the run: the workers are the parallelism.
        let blasThreads = BLAS.threads
        if blasThreads != 1 { BLAS.setThreads(1) }
        defer { if blasThreads != 1 { BLAS.setThreads(blasThreads) } }
        return try trainLoop(&store, generator: &generator, devScore: devScore, progress: progress, workers: workers)
    }

    private mutating func trainLoop(
        _ store: inout ParameterStore, generator: inout SplitMix64, devScore: ((ParameterStore) throws(NeuralError) -> Double)?,
        progress: ProgressHandler, workers: WorkerStores?
    ) throws(NeuralError) -> Result {
        var stopper: EarlyStopping? = nil
        if let patience = options.patience, devScore != nil { stopper = try EarlyStopping(patience: patience) }
        var best: (snapshot: ParameterSnapshot, epoch: Int, score: Double)? = nil
        var history: [EpochRecord] = []
        var stoppedEarly = false, interrupted = false, steps = 0
        var queues = tasks.map { _ in [[Int]]() }
        let start = MonotonicClock.seconds()
        let stepsPerEpoch = (tasks[0].examples + tasks[0].batchSize - 1) / tasks[0].batchSize
        epochs: for epoch in 1...options.epochs {
            var sums = [Double](repeating: 0, count: tasks.count), counts = [Int](repeating: 0, count: tasks.count)
            for step in 0..<stepsPerEpoch {
                let poll = Progress(
                    phase: "training", step: epoch - 1, total: options.epochs, unit: "epochs",
                    elapsedSeconds: MonotonicClock.since(start), isPoll: true)
                if progress(poll) == .stop {
                    interrupted = true
                    break epochs
                }
                let k = tasks.count == 1 ? 0 : chooseTask(step, &generator)
                if queues[k].isEmpty {
                    queues[k] = MiniBatches.shuffled(count: tasks[k].examples, size: tasks[k].batchSize, generator: &generator).reversed()
                }
                let batch = queues[k].removeLast()
                sums[k] += try runStep(k, batch, &store, &generator, workers: workers) * Double(batch.count)
                counts[k] += batch.count
                steps += 1
            }
            let score = try devScore?(store)
            let others = tasks.indices.dropFirst().filter { counts[$0] > 0 }.map {
                Progress.Extra(tasks[$0].name + " loss", sums[$0] / Double(counts[$0]))
            }
            let record = EpochRecord(
                epoch: epoch, epochs: options.epochs, trainLoss: sums[0] / Double(max(1, counts[0])), devScore: score,
                elapsedSeconds: MonotonicClock.since(start), taskLosses: others)
            history.append(record)
            if let score, best.map({ score > $0.score }) ?? true { best = (store.snapshot(), epoch, score) }
            if let score, stopper?.record(score: score, epoch: epoch) == .stop, epoch < options.epochs { stoppedEarly = true }
            if progress(record.progress) == .stop { interrupted = true }
            if stoppedEarly || interrupted { break }
        }
        if let best {
            store.restore(best.snapshot)
            return Result(history: history, keptEpoch: best.epoch, stoppedEarly: stoppedEarly, interrupted: interrupted, steps: steps)
        }
        return Result(history: history, keptEpoch: history.count, stoppedEarly: stoppedEarly, interrupted: interrupted, steps: steps)
    }

    private func chooseTask(_ step: Int, _ generator: inout SplitMix64) -> Int {
        switch options.alternation {
        case .inTurn: step % tasks.count
        case .random: Int(generator.next() % UInt64(tasks.count))
        }
    }

    /// One optimizer step of task k on `batch`; returns the batch loss before the step.
    private mutating func runStep(
        _ k: Int, _ batch: [Int], _ store: inout ParameterStore, _ generator: inout SplitMix64, workers: WorkerStores?
    ) throws(NeuralError) -> Double {
        store.zeroGrad()
        let value: Double
        if let workers, let shardLoss = tasks[k].shardLoss, batch.count >= 2 {
            value = try workers.step(batch, shardLoss, &store, &generator, cost: tasks[k].exampleCost)
        } else {
            var tape = Tape(store)
            let loss = try tasks[k].loss(&tape, batch, &generator)
            value = Double(tape[loss].storage[0])
            tape.backward(from: loss, into: &store)
        }
        if let clip = options.clipNorm { store.clipGlobalNorm(clip) }
        for o in tasks[k].optimizers.indices { tasks[k].optimizers[o].step(&store) }
        postStep?(&store, k)
        return value
    }
}
