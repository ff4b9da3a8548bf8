/// The per-iteration record of a training run: losses, timings and whether it was stopped
/// before the requested number of iterations.
///
/// Invariant: `losses.count == seconds.count == completedIterations ≤ iterations`.
public struct TrainingHistory: Sendable, Equatable {
    /// The number of iterations asked for.
    public let iterations: Int
    /// The loss of every completed iteration: the trainer's cost summed over the records seen
    /// during the pass, divided by the number of records (glove.c's reported cost).
    public internal(set) var losses: [Double] = []
    /// The wall time of every completed iteration, in seconds.
    public internal(set) var seconds: [Double] = []
    /// True when the progress handler stopped the run: the model holds the parameters after
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

    /// The progress report of the last completed iteration: phase `training`, unit
    /// `iterations`, its loss, and the extra `records/s` (records processed per second of wall
    /// time during the iteration, all threads).
    func report(records: Int, elapsedSeconds: Double) -> Progress {
        let rate = Double(records) / Swift.max(seconds.last ?? 0, 1e-12)
        return Progress(
            phase: "training", step: completedIterations, total: iterations, unit: "iterations",
            loss: finalLoss, elapsedSeconds: elapsedSeconds, extras: [.init("records/s", rate)])
    }
}
