/// A batch of id sequences padded to the longest one, time-major: `ids[t][b]` is the t-th token
/// of example b, or −1 past its length.
///
/// Invariant: `ids.count == steps`, every `ids[t].count == lengths.count`,
/// `ids[t][b] == −1` exactly when t ≥ lengths[b].
public struct PaddedBatch: Sendable, Equatable {
    /// ids[t][b], −1 for padding.
    public let ids: [[Int]]
    /// Each example's length.
    public let lengths: [Int]

    /// Pads `sequences` to max(longest, `minimumSteps`) steps (a CNN needs at least its widest kernel).
    public init(_ sequences: [[Int]], minimumSteps: Int = 1) {
        let steps = max(minimumSteps, sequences.map(\.count).max() ?? 0)
        lengths = sequences.map(\.count)
        ids = (0..<steps).map { t in sequences.map { t < $0.count ? $0[t] : -1 } }
    }

    /// The number of steps T.
    public var steps: Int { ids.count }
    /// The number of examples B.
    public var size: Int { lengths.count }

    /// Whether example b has a real token at step t.
    public func isReal(step t: Int) -> [Bool] { lengths.map { t < $0 } }
}
