import Testing

@testable import Embeddings

/// `RowScreen` (AVX-512) against the same four comparisons written out in Swift, on real similarity
/// rows (fastText en · fr, unit rows): every length around the 16-lane vectors, each comparison alone
/// (the other thresholds +∞), all four at once with thresholds taken from the rows themselves, −∞
/// thresholds, and nothing written past count + padding.
@Suite(.enabled(if: RowScreen.isAvailable, "needs AVX512F")) struct RowScreenTests {
    struct Thresholds {
        var raise: Float, rowS: Float, rowU: Float, rowBound: Float
        var columnBound: [Float], columnS: [Float], columnV: [Float]
    }

    /// The columns the screen must return, by the comparisons of its contract.
    static func expected(_ row: [Float], _ t: Thresholds) -> [Int32] {
        row.indices.filter { j in
            let s = row[j] + t.raise
            return s > t.rowS || s > t.columnS[j] || 2 * s - t.columnBound[j] > t.rowU || 2 * s - t.rowBound > t.columnV[j]
        }.map { Int32($0) }
    }

    static func screened(_ row: [Float], _ t: Thresholds) -> (columns: [Int32], untouched: Bool) {
        let sentinel: Int32 = -7
        var out = [Int32](repeating: sentinel, count: row.count + RowScreen.padding + 8)
        let found = out.withUnsafeMutableBufferPointer { o in
            RowScreen.screen(
                row, count: row.count, raise: t.raise, rowS: t.rowS, rowU: t.rowU, rowBound: t.rowBound,
                columnBound: t.columnBound, columnS: t.columnS, columnV: t.columnV, into: o.baseAddress!)
        }
        return (Array(out[0..<found]), out[(row.count + RowScreen.padding)...].allSatisfy { $0 == sentinel })
    }

    /// Rows of en · frᵀ for the first `rows` English words over the first `columns` French ones.
    static func similarities(rows: Int, columns: Int) throws -> [[Float]] {
        let d = 300
        let en = try BFloat16TilesTests.space("en", rows: rows, dimension: d)
        let fr = try BFloat16TilesTests.space("fr", rows: columns, dimension: d)
        return (0..<rows).map { i in
            (0..<columns).map { j in (0..<d).reduce(Float(0)) { $0 + en[i * d + $1] * fr[j * d + $1] } }
        }
    }

    @Test func everyComparisonAloneAndAllTogetherMatchTheContract() throws {
        let rows = try Self.similarities(rows: 6, columns: 756)
        var checked = 0, nonEmpty = 0
        for (r, full) in rows.enumerated() {
            for count in [0, 1, 15, 16, 17, 31, 33, 100, 756] {
                let row = Array(full.prefix(count))
                let sorted = full.sorted(by: >)
                let high = sorted[20], inf = Float.infinity
                // Column thresholds from other rows' values: some columns pass, most do not.
                let other = rows[(r + 1) % rows.count]
                let columnS = (0..<count).map { other[$0] + 0.05 }
                let columnBound = (0..<count).map { Float(0.1) + 0.2 * other[$0] }
                let columnV = (0..<count).map { 2 * other[$0] + 0.1 }
                let none = [Float](repeating: inf, count: count)
                let cases = [
                    Thresholds(raise: 0.003, rowS: high, rowU: inf, rowBound: inf, columnBound: none, columnS: none, columnV: none),
                    Thresholds(raise: 0.003, rowS: inf, rowU: inf, rowBound: inf, columnBound: none, columnS: columnS, columnV: none),
                    Thresholds(
                        raise: 0, rowS: inf, rowU: 2 * high - 0.1, rowBound: inf, columnBound: columnBound, columnS: none,
                        columnV: none),
                    Thresholds(raise: 0, rowS: inf, rowU: inf, rowBound: 0.05, columnBound: none, columnS: none, columnV: columnV),
                    Thresholds(
                        raise: 0.001, rowS: high, rowU: 2 * high - 0.1, rowBound: 0.05, columnBound: columnBound,
                        columnS: columnS, columnV: columnV),
                    Thresholds(raise: 0, rowS: -inf, rowU: inf, rowBound: inf, columnBound: none, columnS: none, columnV: none),
                ]
                for t in cases {
                    let want = Self.expected(row, t), got = Self.screened(row, t)
                    #expect(got.columns == want, "row \(r), count \(count)")
                    #expect(got.untouched, "wrote past count + padding (row \(r), count \(count))")
                    checked += 1
                    if !want.isEmpty && want.count < count { nonEmpty += 1 }
                }
            }
        }
        // The cases are informative: most of them keep some columns and drop others.
        #expect(nonEmpty > checked / 2, "\(nonEmpty) of \(checked)")
    }
}
