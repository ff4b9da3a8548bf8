import XlingCore

/// An embedding table `<name>` (|V| × d, sparse rows; frozen unless trainable): row r is the
/// vector of word r.
public struct Embedding: Sendable {
    /// The table.
    public let table: Parameter
    /// d.
    public let dimension: Int

    /// A table over `values`; `trainable == false` freezes it.
    public init(_ store: inout ParameterStore, name: String, values: Matrix, trainable: Bool) {
        table = store.add(name, values, flags: ParameterFlags(sparseRows: true, frozen: !trainable))
        dimension = values.cols
    }

    /// The rows of `ids` (n × d; −1 is padding, a zero row).
    public func callAsFunction(_ ids: [Int], on tape: inout Tape) -> Var { tape.gather(table, ids: ids) }

    /// The mean row of each bag (n × d; an empty bag gives zeros).
    public func mean(_ bags: [[Int]], on tape: inout Tape) -> Var { tape.gatherMean(table, bags: bags) }

    /// The time-major steps of a padded batch: step t is B × d, zero rows past each length.
    public func steps(_ batch: PaddedBatch, on tape: inout Tape) -> [Var] {
        (0..<batch.steps).map { t in tape.gather(table, ids: batch.ids[t]) }
    }
}
