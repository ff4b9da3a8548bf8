import Neural
import XlingCore

/// MUSE's adversarial game (Conneau et al. 2018, §3.1) on the `Neural` engine: the map W
/// (`mapping.weight`, d × d, applied as x·W) and a `MUSEDiscriminator` in one `ParameterStore`,
/// and a `Trainer` whose tasks run in turn: `discriminatorSteps` discriminator steps, then one
/// mapping step, then the next iteration.
///
/// - Discriminator step: logits of [X_S·W; X_T] (W held constant), input dropout on, binary
///   cross-entropy against 1 − s for the mapped source rows and s for the target rows
///   (s = `smoothing`), SGD on the discriminator's parameters only.
/// - Mapping step: the same loss with the labels flipped (s for the source rows, 1 − s for the
///   target rows: W is trained to make mapped source rows look like target rows), dropout off,
///   SGD on W only (the discriminator enters as constants, so no gradient of its weights is
///   computed), then W ← (1 + β)W − β(WWᵀ)W (`MUSE.orthogonalize`).
///
/// Every step takes fresh rows from `batches` (b source rows, b target rows), which the run draws
/// uniformly among the most frequent words and a test can fix.
public struct MUSEAdversary {
    /// Where a step's rows come from: (X_S b × d, X_T b × d) from the run's generator.
    public typealias Batches = (inout SplitMix64) -> (source: Matrix, target: Matrix)

    /// W and the discriminator's parameters.
    public var store: ParameterStore
    /// W's handle in `store`.
    public let mapping: Parameter
    /// The discriminator.
    public let discriminator: MUSEDiscriminator
    /// The alternating trainer (tasks 0..<discriminatorSteps: discriminator; the last: mapping).
    public var trainer: Trainer

    /// The task index of the mapping step.
    public var mappingTask: Int { trainer.tasks.count - 1 }

    /// The game with W = `mapping` and a discriminator built by `makeDiscriminator` in the same
    /// store; `iterations` mapping steps make one `train` call (one epoch).
    public init(
        mapping initial: Matrix, options: MUSE.Options, iterations: Int, batches: @escaping Batches,
        makeDiscriminator: (inout ParameterStore) -> MUSEDiscriminator
    ) throws(NeuralError) {
        var store = ParameterStore()
        let mapping = store.add("mapping.weight", initial)
        let discriminator = makeDiscriminator(&store)
        let b = options.batchSize, s = options.smoothing
        let sourceFirst = [Float](repeating: 1 - s, count: b) + [Float](repeating: s, count: b)
        let flipped = sourceFirst.map { 1 - $0 }
        let discriminatorTask = TrainingTask(
            name: "discriminator", examples: max(1, iterations) * (options.discriminatorSteps + 1) * b, batchSize: b,
            optimizers: [try Optimizer(.sgd, learningRate: options.learningRate, parameters: discriminator.parameters)]
        ) { tape, _, g throws(NeuralError) in
            let (xs, xt) = batches(&g)
            let mapped = tape.linear(tape.constant(xs), tape.constant(tape.parameterValue(mapping)))
            let x = tape.concatRows([mapped, tape.constant(xt)])
            return tape.sigmoidBinaryCrossEntropy(discriminator(x, on: &tape, dropout: true, generator: &g), targets: sourceFirst)
        }
        let mappingTask = TrainingTask(
            name: "mapping", examples: b, batchSize: b,
            optimizers: [try Optimizer(.sgd, learningRate: options.learningRate, parameters: [mapping])]
        ) { tape, _, g throws(NeuralError) in
            let (xs, xt) = batches(&g)
            let x = tape.concatRows([tape.linear(tape.constant(xs), tape.parameter(mapping)), tape.constant(xt)])
            return tape.sigmoidBinaryCrossEntropy(
                discriminator(x, on: &tape, dropout: false, frozen: true, generator: &g), targets: flipped)
        }
        let mappingIndex = options.discriminatorSteps
        let beta = options.beta
        self.trainer = try Trainer(
            options: Trainer.Options(epochs: 1, alternation: .inTurn),
            tasks: [TrainingTask](repeating: discriminatorTask, count: options.discriminatorSteps) + [mappingTask]
        ) { store, k in
            guard k == mappingIndex else { return }
            // The shapes are d × d by construction.
            store[mapping] = (try? MUSE.orthogonalize(store[mapping], beta: beta)) ?? store[mapping]
        }
        self.store = store
        self.mapping = mapping
        self.discriminator = discriminator
    }

    /// The current W.
    public var weights: Matrix { store[mapping] }

    /// MUSE's `dis_accu`: the share of rows the discriminator (dropout off) puts on the right side
    /// of 0.5, over the first `rows` rows of `source` mapped by W (should score > 0.5) and of
    /// `target` (should score < 0.5). Shapes: source nS × d, target nT × d.
    public func accuracy(source: Matrix, target: Matrix, rows: Int) throws -> Double {
        let mapped = try Matrix.product(source.selectingRows(Array(0..<min(rows, source.rows))), weights)
        let head = try target.selectingRows(Array(0..<min(rows, target.rows)))
        var tape = Tape(store, training: false)
        var unused = SplitMix64(seed: 0)
        var right = 0
        for (x, sourceSide) in [(mapped, true), (head, false)] {
            let input = tape.constant(x)
            let output = discriminator(input, on: &tape, dropout: false, generator: &unused)
            right += tape[output].storage.filter { ($0 >= 0) == sourceSide }.count
        }
        return Double(right) / Double(mapped.rows + head.rows)
    }

    /// Sets the map's SGD rate (the discriminator's stays at the initial rate, as in MUSE).
    public mutating func setMappingLearningRate(_ rate: Float) {
        trainer.tasks[mappingTask].optimizers[0].learningRate = rate
    }

    /// One epoch of `iterations` mapping steps (each after `discriminatorSteps` discriminator
    /// steps); `progress` as `Trainer.train`.
    public mutating func epoch(generator: inout SplitMix64, progress: ProgressHandler = ProgressAction.ignore) throws(NeuralError)
        -> Trainer.Result
    {
        try trainer.train(&store, generator: &generator, progress: progress)
    }
}
