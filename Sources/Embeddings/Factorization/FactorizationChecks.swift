/// The input checks shared by the factorization trainers; each throws a `FactorizationError`
/// that names the value and the fix.
enum FactorizationChecks {
    /// `value` must be > 0.
    static func positive(_ value: Int, _ name: String) throws(FactorizationError) {
        guard value > 0 else { throw FactorizationError(problem: "\(name) is \(value)", fix: "give a \(name) ≥ 1") }
    }

    /// `value` must be ≥ 0.
    static func nonNegative(_ value: Int, _ name: String) throws(FactorizationError) {
        guard value >= 0 else { throw FactorizationError(problem: "\(name) is \(value)", fix: "give \(name) ≥ 0") }
    }

    /// `value` must be finite and > 0.
    static func positive(_ value: Double, _ name: String) throws(FactorizationError) {
        guard value.isFinite, value > 0 else {
            throw FactorizationError(problem: "\(name) is \(value)", fix: "give a finite \(name) > 0")
        }
    }

    /// `value` must be finite and ≥ 0.
    static func nonNegative(_ value: Double, _ name: String) throws(FactorizationError) {
        guard value.isFinite, value >= 0 else {
            throw FactorizationError(problem: "\(name) is \(value)", fix: "give a finite \(name) ≥ 0")
        }
    }

    /// The matrix must have entries, every index in its shape, every value finite and > 0.
    static func entries(_ matrix: CooccurrenceMatrix, name: String) throws(FactorizationError) {
        guard matrix.count > 0, matrix.rowCount > 0, matrix.columnCount > 0 else {
            throw FactorizationError(
                problem: """
                    the \(name) is empty (\(matrix.rowCount)×\(matrix.columnCount), \(matrix.count) non-zero entries)
                    """,
                fix: """
                    count co-occurrences over a corpus with words in the vocabulary (check min_count and the corpus)
                    """)
        }
        let rows = Int32(clamping: matrix.rowCount), columns = Int32(clamping: matrix.columnCount)
        for e in 0..<matrix.count {
            let r = matrix.rows[e], c = matrix.columns[e], x = matrix.values[e]
            guard r >= 0, r < rows, c >= 0, c < columns else {
                throw FactorizationError(
                    problem: """
                        entry \(e) of the \(name) is at (\(r), \(c)), outside its \(matrix.rowCount)×\(matrix.columnCount) shape
                        """,
                    fix: "build the matrix with indices below its row and column counts")
            }
            guard x.isFinite, x > 0 else {
                throw FactorizationError(
                    problem: "entry \(e) of the \(name) at (\(r), \(c)) is \(x)",
                    fix: "keep only finite counts > 0 (log X must exist)")
            }
        }
    }
}
