import XlingCore

/// Early stopping on a development score (higher is better, e.g. dev accuracy): remembers the
/// best epoch and says when `patience` epochs in a row brought no improvement.
///
/// Improvement means strictly greater than the best score so far (ties keep the earlier, i.e.
/// less trained, model).
public struct EarlyStopping: Sendable, Equatable {
    /// Epochs without improvement tolerated before stopping (≥ 1).
    public let patience: Int
    /// The best score so far, or nil before the first epoch.
    public private(set) var bestScore: Double?
    /// The 1-based epoch of the best score.
    public private(set) var bestEpoch: Int?
    private var sinceBest = 0

    /// What to do after an epoch.
    public enum Decision: Sendable, Equatable {
        /// The epoch is the best so far: keep this model.
        case improved
        /// Not better, but patience is not used up: go on.
        case keepGoing
        /// `patience` epochs without improvement: stop and use the best epoch's model.
        case stop
    }

    /// Early stopping with `patience` ≥ 1.
    public init(patience: Int) throws(NeuralError) {
        guard patience >= 1 else { throw NeuralError("patience must be at least 1 epoch, got \(patience)") }
        self.patience = patience
    }

    /// Records the score of `epoch` (1-based) and decides.
    public mutating func record(score: Double, epoch: Int) -> Decision {
        if bestScore.map({ score > $0 }) ?? true {
            bestScore = score
            bestEpoch = epoch
            sinceBest = 0
            return .improved
        }
        sinceBest += 1
        return sinceBest >= patience ? .stop : .keepGoing
    }
}
