/// The per-iteration record of a training run: losses, timings and whether it was stopped
/// before the requested number of iterations.
///
/// Invariant: `losses.count == seconds.count == completedIterations ≤ iterations`.
public struct TrainingHistory: Sendable, Equatable {
    /// The number of iterations asked for.
    public let iterations: Int
    /// The loss of every completed iteration (see `TrainingProgress.loss`).
    public internal(set) var losses: [Double] = []
    /// The wall time of every completed iteration, in seconds.
    public internal(set) var seconds: [Double] = []
    /// True when the progress callback stopped the run: the model holds the parameters after
    /// `completedIterations` iterations.
    public internal(set) var stopped = false

    /// An empty history for a run of `iterations` iterations.
    public init(iterations: Int) { self.iterations = iterations }

    /// The number of iterations completed.
    public var completedIterations: Int { losses.count }

    /// The loss of the last completed iteration, or nil before the first.
    public var finalLoss: Double? { losses.last }

    /// Records one completed iteration.
    mutating func append(loss: Double, seconds: Double) {
        losses.append(loss)
        self.seconds.append(seconds)
    }
}
