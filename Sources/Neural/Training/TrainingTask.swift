import XlingCore

/// One objective of a training run: its examples, how a batch becomes a loss on a tape, and
/// the optimizers that step after each of its batches (over disjoint parameter sets).
public struct TrainingTask {
    /// The task's name in progress extras (`alignment loss`).
    public var name: String
    /// The number of examples (indices 0..<examples are batched).
    public var examples: Int
    /// Examples per batch (≥ 1).
    public var batchSize: Int
    /// The optimizers stepped after each batch; their parameter sets must be disjoint.
    public var optimizers: [Optimizer]
    /// Records the batch's forward pass on the tape and returns the 1×1 loss; the generator is
    /// the run's (dropout masks). Throws only for bad data (a programmer error traps).
    public var loss: (inout Tape, [Int], inout SplitMix64) throws(NeuralError) -> Var
    /// For data parallelism (`Trainer.Options.threads` ≥ 2): records a shard's *share* of the batch
    /// loss, `(tape, shard, batch, generator)`, where the shard is a consecutive part of the batch
    /// and the shares of any split of the batch add up to `loss` of the whole batch (a weighted mean
    /// over the batch is Σ_{shard} wᵢℓᵢ / Σ_{batch} wᵢ). It runs on a worker thread with its own tape
    /// and generator, so it must not mutate anything shared. nil: the task's batches are not split.
    public var shardLoss: (@Sendable (inout Tape, [Int], [Int], inout SplitMix64) throws(NeuralError) -> Var)?
    /// An example's share of a batch's work (e.g. its tokens), so data-parallel shards get about
    /// equal work; nil: equal numbers of examples.
    public var exampleCost: ((Int) -> Int)?

    /// A task.
    public init(
        name: String, examples: Int, batchSize: Int, optimizers: [Optimizer],
        shardLoss: (@Sendable (inout Tape, [Int], [Int], inout SplitMix64) throws(NeuralError) -> Var)? = nil,
        exampleCost: ((Int) -> Int)? = nil,
        loss: @escaping (inout Tape, [Int], inout SplitMix64) throws(NeuralError) -> Var
    ) {
        self.name = name
        self.examples = examples
        self.batchSize = batchSize
        self.optimizers = optimizers
        self.shardLoss = shardLoss
        self.exampleCost = exampleCost
        self.loss = loss
    }
}
