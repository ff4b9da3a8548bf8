#if canImport(Glibc)
import Glibc
#endif

/// The marginals of a co-occurrence matrix X, as the factorization trainers need them:
/// row sums X_j·, column sums X_·k and the total ΣX, all summed in Double in entry order.
public struct CooccurrenceStatistics: Sendable, Equatable {
    /// `rowSums[j]` = Σ_k X[j, k] (`rowCount` entries).
    public let rowSums: [Double]
    /// `columnSums[k]` = Σ_j X[j, k] (`columnCount` entries).
    public let columnSums: [Double]
    /// ΣX over all entries.
    public let total: Double

    /// The marginals of `matrix`.
    public init(_ matrix: CooccurrenceMatrix) {
        var rows = [Double](repeating: 0, count: matrix.rowCount)
        var columns = [Double](repeating: 0, count: matrix.columnCount)
        var total = 0.0
        for i in 0..<matrix.count {
            let value = matrix.values[i]
            rows[Int(matrix.rows[i])] += value
            columns[Int(matrix.columns[i])] += value
            total += value
        }
        rowSums = rows
        columnSums = columns
        self.total = total
    }

    /// The PMI of each entry of `matrix` (whose marginals these are), in entry order:
    /// log(X_jk · ΣX / (X_j· · X_·k)), the M_jk of Shi et al. 2015 eq. 2. Finite for every
    /// entry, since entries are > 0 and so are their marginals.
    public func pmi(of matrix: CooccurrenceMatrix) -> [Double] {
        (0..<matrix.count).map { i in
            let value = matrix.values[i]
            return log(value * total / (rowSums[Int(matrix.rows[i])] * columnSums[Int(matrix.columns[i])]))
        }
    }
}
