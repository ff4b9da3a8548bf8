import XlingCore

/// The values of a store at one moment (the best epoch's model), by position.
public struct ParameterSnapshot: Sendable, Equatable {
    /// One value per parameter, in the store's order.
    public let values: [Matrix]
}

extension ParameterStore {
    /// The current values (copy-on-write: costs nothing until the store changes).
    public func snapshot() -> ParameterSnapshot { ParameterSnapshot(values: values) }

    /// Puts back the values of `snapshot`, which must come from this store (same shapes).
    public mutating func restore(_ snapshot: ParameterSnapshot) {
        precondition(snapshot.values.count == count, "a snapshot of another store")
        for (i, v) in snapshot.values.enumerated() {
            precondition(v.rows == values[i].rows && v.cols == values[i].cols, "a snapshot of another store")
        }
        values = snapshot.values
    }
}
