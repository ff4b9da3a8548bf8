import Testing

@testable import Embeddings

/// `BFloat16Tiles` on the real fastText en and fr vectors (756 × 300, unit rows): every tile entry is
/// within the row's slack of the fp32 dot product `BFloat16Tiles.dot`, ragged edges (queries and targets not a
/// multiple of the panels, an odd dimension, a row stride wider than the tile) are written exactly
/// where asked, and the estimates are genuinely bfloat16 (not fp32 by accident).
@Suite(.enabled(if: BFloat16Tiles.isAvailable, "needs AVX512_BF16")) struct BFloat16TilesTests {
    static func space(_ language: String, rows: Int, dimension: Int) throws -> [Float] {
        var space = try Word2VecText.load(path: "notebooks/data/fasttext-en-fr-756/\(language).vec.gz").0
        space.normalize([.unit])
        let v = space.vectors
        return (0..<rows).flatMap { i in (0..<dimension).map { v[i, $0] } }
    }

    @Test(arguments: [(300, 756, 756), (299, 301, 517)]) func tilesAreWithinTheSlackOfTheFP32Dots(
        shape: (dimension: Int, queries: Int, targets: Int)
    ) throws {
        let (d, m, n) = shape
        let q = try Self.space("en", rows: m, dimension: d), t = try Self.space("fr", rows: n, dimension: d)
        let tiles = q.withUnsafeBufferPointer { qp in
            t.withUnsafeBufferPointer { tp in
                BFloat16Tiles(queries: qp.baseAddress!, queryCount: m, targets: tp.baseAddress!, targetCount: n, dimension: d, threads: 2)
            }
        }
        #expect(tiles.slack.count == m)
        #expect(tiles.slack.allSatisfy { $0 > 1e-3 && $0 < 1e-2 }, "slack \(tiles.slack.min()!)…\(tiles.slack.max()!)")
        let sentinel: Float = 1234, rowBlock = 5 * BFloat16Tiles.queryPanel, columnBlock = 3 * BFloat16Tiles.targetPanel
        let ldc = columnBlock + 7
        var tile = [Float](repeating: sentinel, count: rowBlock * ldc)
        var worst: Float = 0, worstRatio: Float = 0
        for rowStart in stride(from: 0, to: m, by: rowBlock) {
            for columnStart in stride(from: 0, to: n, by: columnBlock) {
                let rows = min(rowBlock, m - rowStart), columns = min(columnBlock, n - columnStart)
                for l in tile.indices { tile[l] = sentinel }
                tile.withUnsafeMutableBufferPointer {
                    tiles.tile(
                        rowStart: rowStart, rowCount: rows, columnStart: columnStart, columnCount: columns,
                        into: $0.baseAddress!, ldc: ldc)
                }
                for i in 0..<rowBlock {
                    for j in 0..<ldc {
                        let value = tile[i * ldc + j]
                        guard i < rows, j < columns else {
                            #expect(value == sentinel, "written outside the tile at \(i), \(j)")
                            continue
                        }
                        let exact = q.withUnsafeBufferPointer { qp in
                            t.withUnsafeBufferPointer {
                                BFloat16Tiles.dot(qp.baseAddress! + (rowStart + i) * d, $0.baseAddress! + (columnStart + j) * d, d)
                            }
                        }
                        let error = abs(value - exact), slack = tiles.slack[rowStart + i]
                        #expect(error <= slack, "query \(rowStart + i), target \(columnStart + j): \(error) > \(slack)")
                        worst = max(worst, error)
                        worstRatio = max(worstRatio, error / slack)
                    }
                }
            }
        }
        // bfloat16 keeps 8 significant bits: errors of a few 1e-4 on cosines, a fair share of the bound.
        #expect(worst > 1e-4 && worstRatio > 0.1, "largest error \(worst), \(worstRatio) of the slack")
    }

    /// `dot` is within the fp32 accumulation bound of the exact (Double) dot product for every length
    /// (tails of every size past the 64-element blocks), symmetric, the same at any alignment, and
    /// the same from `dots`.
    @Test func dotIsAnFP32DotProductInAFixedOrder() throws {
        let q = try Self.space("en", rows: 2, dimension: 300)
        for n in Array(0...70) + [127, 128, 129, 299, 300] {
            let a = Array(q[0..<n]), b = Array(q[300..<(300 + n)])
            let exact = zip(a, b).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            let magnitude = zip(a, b).reduce(0.0) { $0 + abs(Double($1.0) * Double($1.1)) }
            let got = BFloat16Tiles.dot(a, b, n), swapped = BFloat16Tiles.dot(b, a, n)
            #expect(abs(Double(got) - exact) <= Double(n + 8) * 0x1p-24 * magnitude, "n = \(n)")
            #expect(got == swapped, "n = \(n)")
            let shifted = [0] + a, shiftedB = [0, 0, 0] + b
            let moved = shifted.withUnsafeBufferPointer { sa in
                shiftedB.withUnsafeBufferPointer { BFloat16Tiles.dot(sa.baseAddress! + 1, $0.baseAddress! + 3, n) }
            }
            #expect(moved == got, "n = \(n)")
        }
        // The batched form gives the same bits for scattered rows.
        let t = try Self.space("fr", rows: 40, dimension: 299)
        let rows: [Int32] = [7, 0, 39, 7, 12, 3, 38, 21, 5]
        var batched = [Float](repeating: .nan, count: rows.count)
        q.withUnsafeBufferPointer { qp in
            t.withUnsafeBufferPointer { tp in
                BFloat16Tiles.dots(qp.baseAddress!, tp.baseAddress!, 299, rows: rows, count: rows.count, into: &batched)
                for (h, r) in rows.enumerated() {
                    #expect(batched[h] == BFloat16Tiles.dot(qp.baseAddress!, tp.baseAddress! + Int(r) * 299, 299))
                }
            }
        }
    }
}
