/// The real steps of a padded, length-masked, time-major batch, packed (PyTorch's
/// `PackedSequence` layout): for t = 0…T−1, the examples b with t < len_b, in order of b. A
/// recurrent layer over the packed rows does no work at padding (about half the rows of a
/// SIB-200 batch).
///
/// Invariants: `rows[k]` is the stacked row t·B + b of packed row k; the packed rows of step t are
/// `offsets[t]..<offsets[t + 1]` and their examples `active[t]`; `count` = Σ len_b.
public struct PackedSteps: Sendable {
    /// B and T.
    public let batch: Int, steps: Int
    /// The examples present at each step (ascending).
    public let active: [[Int]]
    /// Where each step's packed rows start; `offsets[steps]` = `count`.
    public let offsets: [Int]
    /// The stacked (t·B + b) row of each packed row.
    public let rows: [Int]

    /// The packing of `lengths` (B values in 0…`steps`).
    public init(lengths: [Int], steps: Int) {
        precondition(lengths.allSatisfy { $0 >= 0 && $0 <= steps }, "PackedSteps: lengths must be in 0...\(steps)")
        batch = lengths.count
        self.steps = steps
        active = (0..<steps).map { t in lengths.indices.filter { t < lengths[$0] } }
        var offsets = [0]
        for a in active { offsets.append(offsets[offsets.count - 1] + a.count) }
        self.offsets = offsets
        let b = lengths.count
        rows = active.enumerated().flatMap { t, a in a.map { t * b + $0 } }
    }

    /// Σ len_b, the number of packed rows.
    public var count: Int { offsets[steps] }
}
