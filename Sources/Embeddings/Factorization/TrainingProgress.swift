/// What a trainer reports after every iteration (a full pass over the shuffled records).
///
/// The callback that receives it returns `true` to go on and `false` to stop: the trainer then
/// returns the model as it is after this iteration, marked `stopped` in its history.
public struct TrainingProgress: Sendable, Equatable {
    /// The iteration just completed, 1-based.
    public let iteration: Int
    /// The number of iterations asked for.
    public let iterations: Int
    /// The iteration's loss: the trainer's cost summed over the records seen during the pass,
    /// divided by the number of records (glove.c's reported cost).
    public let loss: Double
    /// Records processed per second of wall time during this iteration (all threads).
    public let recordsPerSecond: Double
    /// Wall time since training started (after preparing the records), in seconds.
    public let elapsedSeconds: Double

    /// Creates a report.
    public init(iteration: Int, iterations: Int, loss: Double, recordsPerSecond: Double, elapsedSeconds: Double) {
        self.iteration = iteration
        self.iterations = iterations
        self.loss = loss
        self.recordsPerSecond = recordsPerSecond
        self.elapsedSeconds = elapsedSeconds
    }
}
