/// Both directions' exact top-M CSLS candidate lists from **one** blocked sweep over
/// S = Q · Tᵀ (Q: `queries`, m × d; T: `targets`, n × d; unit rows by the caller):
///
/// - forward, for every query row i: the M targets j with the largest `2·S[i, j] − columnPenalty[j]`;
/// - backward, for every target row j: the M queries i with the largest `2·S[i, j] − rowPenalty[i]`.
///
/// These are the lists VecMap's dictionary induction needs in both directions (penalties = the
/// other side's CSLS neighbourhood means; see `StochasticInduction`). Two `NeighborSearch` sweeps
/// (Q·Tᵀ, then T·Qᵀ) give the same lists; this makes one GEMM pass and keeps, per worker thread,
/// an indexed top-M list for every target column next to the current row block's query lists.
/// Scores are `2·s − penalty` in float32: what `ScoreTransform.csls` computes with a zero query
/// offset, since 2·s − 0 = 2·s.
///
/// Ties: lower index first in both directions (as a stable sort on (−score, index)). Within a
/// worker, rows arrive in increasing order (row blocks are dealt in increasing order, rows of a
/// block in order) and columns in increasing order, so a strict `>` keeps the lower index; the
/// per-worker column lists are merged by (score descending, index ascending). NaN never enters.
///
/// Memory: O(threads × n × M) for the column lists (8 bytes per entry) plus O(m × M + n × M)
/// for the results; no m × n matrix.
enum BidirectionalCandidates {
    /// Runs the sweep. `rowPenalty.count == m`, `columnPenalty.count == n`; `m`, `n`, `M ≥ 1`.
    /// - Returns: forward lists (m queries, k = min(M, n)) and backward lists (n queries,
    ///   k = min(M, m)), in `NeighborSearch.Neighbors` layout.
    static func run(
        queries: Matrix, targets: Matrix, candidates: Int, rowPenalty: [Float], columnPenalty: [Float],
        search: NeighborSearch
    ) -> (forward: NeighborSearch.Neighbors, backward: NeighborSearch.Neighbors) {
        let m = queries.rows, n = targets.rows
        let forwardK = min(candidates, n), backwardK = min(candidates, m)
        guard m > 0, n > 0, forwardK > 0 else {
            return (
                NeighborSearch.Neighbors(queryCount: m, k: max(0, forwardK), indices: [], scores: []),
                NeighborSearch.Neighbors(queryCount: n, k: max(0, backwardK), indices: [], scores: [])
            )
        }
        var forwardIndices = [Int32](repeating: -1, count: m * forwardK)
        var forwardScores = [Float](repeating: -.infinity, count: m * forwardK)
        let sweep = search.sweep
        var visitors: [BidirectionalVisitor] = []
        forwardIndices.withUnsafeMutableBufferPointer { fi in
            forwardScores.withUnsafeMutableBufferPointer { fs in
                rowPenalty.withUnsafeBufferPointer { rp in
                    columnPenalty.withUnsafeBufferPointer { cp in
                        guard let rpp = rp.baseAddress, let cpp = cp.baseAddress else { return }
                        for _ in 0..<max(1, sweep.threads) {
                            visitors.append(
                                BidirectionalVisitor(
                                    rowK: forwardK, columnK: backwardK, rowBlock: sweep.rowBlock, columnCount: n,
                                    rowPenalty: rpp, columnPenalty: cpp,
                                    outScores: fs.baseAddress, outIndices: fi.baseAddress))
                        }
                        queries.storage.withUnsafeBufferPointer { q in
                            targets.storage.withUnsafeBufferPointer { t in
                                guard let qp = q.baseAddress, let tp = t.baseAddress else { return }
                                sweep.run(
                                    queries: qp, queryCount: m, targets: tp, targetCount: n,
                                    dimension: queries.cols, visitors: visitors)
                            }
                        }
                    }
                }
            }
        }
        let forward = NeighborSearch.Neighbors(
            queryCount: m, k: forwardK, indices: forwardIndices.map { Int($0) }, scores: forwardScores)
        return (forward, mergeColumns(visitors, count: n, k: backwardK))
    }

    /// Merges the workers' column lists into each column's top-k by (score ↓, index ↑).
    private static func mergeColumns(_ visitors: [BidirectionalVisitor], count n: Int, k: Int) -> NeighborSearch.Neighbors {
        var indices = [Int](repeating: -1, count: n * k)
        var scores = [Float](repeating: -.infinity, count: n * k)
        var pool: [(score: Float, index: Int32)] = []
        pool.reserveCapacity(k * visitors.count)
        for c in 0..<n {
            pool.removeAll(keepingCapacity: true)
            for v in visitors {
                for l in 0..<Int(v.columnFilled[c]) { pool.append((v.columnValues[c * k + l], v.columnIndices[c * k + l])) }
            }
            if visitors.count > 1 {
                pool.sort { $0.score > $1.score || ($0.score == $1.score && $0.index < $1.index) }
            }
            for l in 0..<min(k, pool.count) {
                indices[c * k + l] = Int(pool[l].index)
                scores[c * k + l] = pool[l].score
            }
        }
        return NeighborSearch.Neighbors(queryCount: n, k: k, indices: indices, scores: scores)
    }
}

/// Per-thread state of `BidirectionalCandidates`: the current row block's forward lists
/// (`rowBlock × rowK`) and an indexed top-`columnK` list for every target column.
final class BidirectionalVisitor: TileVisitor {
    let rowK: Int, columnK: Int
    let rowPenalty: UnsafePointer<Float>, columnPenalty: UnsafePointer<Float>
    let outScores: UnsafeMutablePointer<Float>?, outIndices: UnsafeMutablePointer<Int32>?
    let rowValues: UnsafeMutablePointer<Float>, rowIndices: UnsafeMutablePointer<Int32>
    var rowFilled: [Int]
    let columnValues: UnsafeMutablePointer<Float>, columnIndices: UnsafeMutablePointer<Int32>
    let columnThresholds: UnsafeMutablePointer<Float>
    let columnFilled: UnsafeMutablePointer<Int32>

    init(
        rowK: Int, columnK: Int, rowBlock: Int, columnCount n: Int,
        rowPenalty: UnsafePointer<Float>, columnPenalty: UnsafePointer<Float>,
        outScores: UnsafeMutablePointer<Float>?, outIndices: UnsafeMutablePointer<Int32>?
    ) {
        self.rowK = rowK
        self.columnK = columnK
        self.rowPenalty = rowPenalty
        self.columnPenalty = columnPenalty
        self.outScores = outScores
        self.outIndices = outIndices
        let rows = max(1, rowBlock)
        rowValues = .allocate(capacity: rows * rowK)
        rowIndices = .allocate(capacity: rows * rowK)
        rowFilled = [Int](repeating: 0, count: rows)
        columnValues = .allocate(capacity: max(1, n * columnK))
        columnIndices = .allocate(capacity: max(1, n * columnK))
        columnThresholds = .allocate(capacity: max(1, n))
        columnThresholds.initialize(repeating: columnK > 0 ? -.infinity : .infinity, count: max(1, n))
        columnFilled = .allocate(capacity: max(1, n))
        columnFilled.initialize(repeating: 0, count: max(1, n))
    }

    deinit {
        rowValues.deallocate()
        rowIndices.deallocate()
        columnValues.deallocate()
        columnIndices.deallocate()
        columnThresholds.deallocate()
        columnFilled.deallocate()
    }

    func beginRowBlock(rowStart: Int, rowCount: Int) {
        for i in 0..<rowCount { rowFilled[i] = 0 }
    }

    func visit(
        tile: UnsafeMutablePointer<Float>, rowStart: Int, rowCount: Int,
        columnStart: Int, columnCount: Int
    ) {
        typealias Lanes = TopKSelection.Lanes
        let w = TopKSelection.width
        let two = Lanes(repeating: 2)
        let cp = columnPenalty + columnStart
        let ct = columnThresholds + columnStart
        rowFilled.withUnsafeMutableBufferPointer { filled in
            for i in 0..<rowCount {
                let row = tile + i * columnCount
                let query = rowStart + i
                let rp = rowPenalty[query]
                let shift = Lanes(repeating: rp)
                let values = rowValues + i * rowK, indices = rowIndices + i * rowK
                var thr = TopKSelection.threshold(values, filled: filled[i], k: rowK)
                @inline(__always) func offer(_ j: Int, _ s: Float) {
                    let f = 2 * s - cp[j]
                    if f > thr {
                        TopKSelection.insert(
                            f, Int32(truncatingIfNeeded: columnStart + j), values: values, indices: indices,
                            filled: &filled[i], k: rowK)
                        thr = TopKSelection.threshold(values, filled: filled[i], k: rowK)
                    }
                    let b = 2 * s - rp
                    if b > ct[j] {
                        let c = columnStart + j
                        var count = Int(columnFilled[c])
                        let list = columnValues + c * columnK
                        TopKSelection.insert(
                            b, Int32(truncatingIfNeeded: query), values: list, indices: columnIndices + c * columnK,
                            filled: &count, k: columnK)
                        columnFilled[c] = Int32(count)
                        ct[j] = TopKSelection.threshold(list, filled: count, k: columnK)
                    }
                }
                var j = 0
                while j + w <= columnCount {
                    let s = UnsafeRawPointer(row + j).loadUnaligned(as: Lanes.self)
                    let c = UnsafeRawPointer(cp + j).loadUnaligned(as: Lanes.self)
                    let t = UnsafeRawPointer(ct + j).loadUnaligned(as: Lanes.self)
                    let f = two * s - c, b = two * s - shift
                    // Only the winning lanes, in increasing order; `offer` re-tests the row
                    // threshold (it rises within the group) and computes the same fp32 scores.
                    var hits = TopKSelection.bits((f .> Lanes(repeating: thr)) .| (b .> t))
                    while hits != 0 {
                        let l = hits.trailingZeroBitCount
                        offer(j + l, row[j + l])
                        hits &= hits &- 1
                    }
                    j += w
                }
                while j < columnCount {
                    offer(j, row[j])
                    j += 1
                }
            }
        }
    }

    func endRowBlock(rowStart: Int, rowCount: Int) {
        guard let outScores, let outIndices else { return }
        for i in 0..<rowCount {
            let count = rowFilled[i]
            (outScores + (rowStart + i) * rowK).update(from: rowValues + i * rowK, count: count)
            (outIndices + (rowStart + i) * rowK).update(from: rowIndices + i * rowK, count: count)
        }
    }
}
