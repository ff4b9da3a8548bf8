/// A sparse co-occurrence matrix X in coordinate form: the non-zero entries X[row, column],
/// as GloVe's `cooccur` writes its records.
///
/// Shape: `rowCount × columnCount` (words × contexts; for the bilingual counts of Shi et al.
/// 2015, l1 words × l2 words). Invariants: the three arrays have equal length; entries are
/// sorted by (row, column) without duplicates; every value is > 0 and finite.
public struct CooccurrenceMatrix: Sendable, Equatable {
    /// The number of rows (words).
    public let rowCount: Int
    /// The number of columns (contexts).
    public let columnCount: Int
    /// Row index of each entry.
    public let rows: [Int32]
    /// Column index of each entry.
    public let columns: [Int32]
    /// The (weighted) count of each entry.
    public let values: [Double]

    /// A matrix from entries that already satisfy the invariants.
    public init(rowCount: Int, columnCount: Int, rows: [Int32], columns: [Int32], values: [Double]) {
        precondition(rows.count == columns.count && rows.count == values.count, "entry arrays differ in length")
        self.rowCount = rowCount
        self.columnCount = columnCount
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// The number of non-zero entries.
    public var count: Int { values.count }

    /// The sum of all entries.
    public var total: Double { values.reduce(0, +) }
}
