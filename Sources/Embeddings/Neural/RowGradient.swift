/// A sparse gradient of an embedding table: only the rows a batch touched.
///
/// Invariant: `rows` are distinct and ascending; `values` is `rows.count` × d, row r of
/// `values` the gradient of table row `rows[r]`.
public struct RowGradient: Sendable, Equatable {
    /// The table rows with a gradient, ascending.
    public var rows: [Int]
    /// Their gradients, one row each.
    public var values: Matrix

    /// A sparse gradient; throws when the counts differ.
    public init(rows: [Int], values: Matrix) throws(NeuralError) {
        guard rows.count == values.rows else { throw NeuralError("\(rows.count) row ids but \(values.rows) gradient rows") }
        self.rows = rows
        self.values = values
    }

    /// The gradient as a dense `tableRows` × d matrix (zero rows elsewhere), for tests.
    public func dense(tableRows: Int) -> Matrix {
        let d = values.cols
        var out = Matrix(rows: tableRows, cols: d)
        for (r, row) in rows.enumerated() {
            for j in 0..<d { out.storage[row * d + j] = values.storage[r * d + j] }
        }
        return out
    }
}
