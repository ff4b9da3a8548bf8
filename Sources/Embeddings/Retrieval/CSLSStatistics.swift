#if canImport(Glibc)
import Glibc
#endif

/// The CSLS neighbourhood statistics of Conneau et al. (2018), as in MUSE's
/// `get_nn_avg_dist`: for unit vectors,
///
/// - `rT[x]` = r_T(x): mean cosine of source row x to its `k` nearest **target** rows, over
///   the whole target matrix;
/// - `rS[y]` = r_S(y): mean cosine of target row y to its `k` nearest **source** rows, over
///   the whole source matrix.
///
/// Both come from one blocked pass over S = source · targetᵀ (row-wise top-k for r_T,
/// column-wise top-k for r_S), so the cost is one GEMM of the two vocabularies plus a cheap
/// selection; the similarity matrix is never materialised. `k` is clamped to the size of the
/// side being searched. Means are accumulated in Double and stored as Float (agreement with
/// a float32 numpy reference: ≈ 1e-6 absolute).
///
/// Reusable by hubness analysis and by CSLS-based dictionary refinement.
public struct CSLSStatistics: Sendable, Equatable {
    /// The neighbourhood size requested (MUSE: 10).
    public let k: Int
    /// r_T(x) for every source row x (count = source rows).
    public var rT: [Float]
    /// r_S(y) for every target row y (count = target rows).
    public var rS: [Float]
    /// Each source row's top-M cosine candidates, recorded in the same pass when the
    /// computing `NeighborSearch` has `cslsCandidates > 0` (nil otherwise). They let
    /// `NeighborSearch.search` rank CSLS without a second GEMM sweep (see `CSLSCandidates`).
    /// Not part of equality.
    var candidates: CSLSCandidates?

    /// Statistics over given values (e.g. computed elsewhere); no checks beyond `k ≥ 1`.
    public init(k: Int, rT: [Float], rS: [Float]) {
        self.k = max(1, k)
        self.rT = rT
        self.rS = rS
    }

    /// Equal when `k`, `rT` and `rS` are equal (recorded candidates are a cache and ignored).
    public static func == (a: CSLSStatistics, b: CSLSStatistics) -> Bool {
        a.k == b.k && a.rT == b.rT && a.rS == b.rS
    }

    /// Computes r_T for every source row and r_S for every target row.
    ///
    /// When `search.cslsCandidates` (M) is positive, the same pass also records every source
    /// row's top-max(M, k) cosines with their target indices (O(nS × M) memory), which a later
    /// `search.search(…, method: .csls, statistics:)` with k ≤ M uses instead of a second
    /// sweep.
    ///
    /// - Parameters:
    ///   - source: mapped source vectors, `nS × d`, rows unit-normalised by the caller.
    ///   - target: target vectors, `nT × d`, rows unit-normalised by the caller.
    ///   - k: neighbourhood size (≥ 1; MUSE uses 10).
    ///   - search: blocking and threading.
    /// - Throws: `ShapeError` when the dimensions differ or `k < 1`.
    public static func compute(
        source: Matrix, target: Matrix, k: Int = 10,
        using search: NeighborSearch = NeighborSearch()
    ) throws(ShapeError) -> CSLSStatistics {
        try NeighborSearch.checkDimensions(source, target)
        guard k >= 1 else { throw ShapeError("CSLS needs k ≥ 1, got \(k)") }
        return compute(
            source: source, target: target, k: k, using: search,
            candidates: search.cslsCandidates, candidateRows: nil)
    }

    /// `compute` with explicit candidate recording: `candidates` = M (0 = none), for the
    /// source rows `candidateRows` (nil = all). Checks done by the caller.
    static func compute(
        source: Matrix, target: Matrix, k: Int, using search: NeighborSearch,
        candidates: Int, candidateRows: [Int]?
    ) -> CSLSStatistics {
        let result = SimilarityStatistics.run(
            queries: source, targets: target,
            rowK: k, columnK: k, beta: nil, search: search,
            candidates: candidates, candidateRows: candidateRows)
        var stats = CSLSStatistics(k: k, rT: result.rowMeans, rS: result.columnMeans)
        stats.candidates = result.candidates
        return stats
    }

    /// Mean cosine of every row of `queries` to its `k` nearest rows of `targets` (one side of
    /// CSLS: r_T for mapped source queries against the target space, or r_S with the roles
    /// swapped). Rows unit-normalised by the caller; `k` clamped to `targets.rows`.
    /// - Throws: `ShapeError` when the dimensions differ or `k < 1`.
    public static func meanTopKSimilarity(
        queries: Matrix, targets: Matrix, k: Int,
        using search: NeighborSearch = NeighborSearch()
    ) throws(ShapeError) -> [Float] {
        try NeighborSearch.checkDimensions(queries, targets)
        guard k >= 1 else { throw ShapeError("CSLS needs k ≥ 1, got \(k)") }
        return SimilarityStatistics.run(
            queries: queries, targets: targets,
            rowK: k, columnK: 0, beta: nil, search: search
        ).rowMeans
    }
}

/// One blocked pass over S = Q · Tᵀ computing, as requested: the mean of each row's top
/// `rowK` values, the mean of each column's top `columnK` values, and each column's
/// log Σ_i exp(β S[i, j]) (log-sum-exp, Double accumulation).
enum SimilarityStatistics {
    struct Result {
        var rowMeans: [Float]
        var columnMeans: [Float]
        /// Each column's largest value (with `columnK > 0`; −∞ for an empty column).
        var columnMaxima: [Float] = []
        var columnLogSumExp: [Float]
        var candidates: CSLSCandidates?
    }

    /// - Parameters:
    ///   - candidates: when positive (M), also record the top-max(M, rowK) values with their
    ///     column indices (clamped to the column count) of the rows `candidateRows` (nil = all).
    static func run(
        queries: Matrix, targets: Matrix, rowK: Int, columnK: Int, beta: Float?,
        search: NeighborSearch, candidates: Int = 0, candidateRows: [Int]? = nil
    ) -> Result {
        let m = queries.rows, n = targets.rows
        let rowK = min(max(0, rowK), n), columnK = min(max(0, columnK), m)
        let capacity = candidates > 0 && m > 0 && n > 0 ? min(max(candidates, rowK), n) : 0
        var rowMeans = [Float](repeating: 0, count: rowK > 0 ? m : 0)
        // Candidate slots: row r's list goes to slot slotOfRow[r] (−1 = none); identity when nil.
        var slotOfRow: [Int32]? = nil
        var slotCount = capacity > 0 ? m : 0
        if capacity > 0, let candidateRows {
            var slots = [Int32](repeating: -1, count: m)
            var next: Int32 = 0
            for r in candidateRows where slots[r] < 0 {
                slots[r] = next
                next += 1
            }
            slotOfRow = slots
            slotCount = Int(next)
        }
        var candValues = [Float](repeating: -.infinity, count: slotCount * capacity)
        var candIndices = [Int32](repeating: -1, count: slotCount * capacity)
        var candFilled = [Int32](repeating: 0, count: slotCount)
        var visitors: [StatisticsVisitor] = []
        let sweep = search.sweep
        rowMeans.withUnsafeMutableBufferPointer { rowOut in
            candValues.withUnsafeMutableBufferPointer { cv in
                candIndices.withUnsafeMutableBufferPointer { ci in
                    candFilled.withUnsafeMutableBufferPointer { cf in
                        (slotOfRow ?? []).withUnsafeBufferPointer { slots in
                            let output = CandidateOutput(
                                capacity: slotCount > 0 ? capacity : 0,
                                slotOfRow: slotOfRow == nil ? nil : slots.baseAddress,
                                values: cv.baseAddress, indices: ci.baseAddress, filled: cf.baseAddress)
                            for _ in 0..<max(1, sweep.threads) {
                                visitors.append(
                                    StatisticsVisitor(
                                        rowK: rowK, columnK: columnK, beta: beta, targetCount: n,
                                        rowBlock: sweep.rowBlock, columnBlock: sweep.columnBlock,
                                        rowMeans: rowOut.baseAddress, candidates: output))
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
        }
        var result = Result(rowMeans: rowMeans, columnMeans: [], columnLogSumExp: [])
        if slotCount > 0 {
            result.candidates = CSLSCandidates(
                capacity: capacity, targetCount: n, slotOfRow: slotOfRow,
                values: candValues, indices: candIndices, filled: candFilled,
                fingerprint: MatrixPairFingerprint(queries, targets))
        }
        if columnK > 0 { (result.columnMeans, result.columnMaxima) = mergeColumnMeans(visitors, count: n, k: columnK) }
        if beta != nil { result.columnLogSumExp = mergeLogSumExp(visitors, count: n) }
        return result
    }

    private static func mergeColumnMeans(_ visitors: [StatisticsVisitor], count n: Int, k: Int) -> (means: [Float], maxima: [Float]) {
        columnMeansAndMaxima(count: n, k: k) { c, pool in
            for v in visitors {
                for i in 0..<Int(v.columnFilled[c]) { pool.append(v.columnValues[c * k + i]) }
            }
        }
    }

    /// Each column's mean of its `k` largest values (Double sum; 0 for an empty column) and its
    /// largest value (−∞ when empty), from the workers' partial top-k lists: `gather(c, &pool)`
    /// appends every worker's entries of column c. Used by both sweeps (`OneSweepCandidates` too).
    static func columnMeansAndMaxima(count n: Int, k: Int, gather: (Int, inout [Float]) -> Void) -> (means: [Float], maxima: [Float]) {
        var means = [Float](repeating: 0, count: n)
        var maxima = [Float](repeating: -.infinity, count: n)
        var pool: [Float] = []
        for c in 0..<n {
            pool.removeAll(keepingCapacity: true)
            gather(c, &pool)
            pool.sort(by: >)
            let used = min(k, pool.count)
            var sum = 0.0
            for i in 0..<used { sum += Double(pool[i]) }
            means[c] = used > 0 ? Float(sum / Double(used)) : 0
            if let top = pool.first { maxima[c] = top }
        }
        return (means, maxima)
    }

    private static func mergeLogSumExp(_ visitors: [StatisticsVisitor], count n: Int) -> [Float] {
        var out = [Float](repeating: 0, count: n)
        for c in 0..<n {
            var top = -Float.infinity
            for v in visitors { top = max(top, v.columnMax[c]) }
            guard top.isFinite else {
                out[c] = top
                continue
            }
            var sum = 0.0
            for v in visitors where v.columnMax[c] > -.infinity {
                sum += v.columnSum[c] * exp(Double(v.columnMax[c]) - Double(top))
            }
            out[c] = Float(Double(top) + log(sum))
        }
        return out
    }
}

/// Per-thread state of `SimilarityStatistics`: row top-k lists of the current row block,
/// column top-k lists over every column, running column log-sum-exp.
final class StatisticsVisitor: TileVisitor {
    let rowK: Int, columnK: Int, beta: Float?, targetCount: Int
    /// Candidate recording (capacity 0 = off); rows with a slot keep an indexed list of
    /// capacity `rowCapacity = max(rowK, candidates.capacity)`.
    let candidates: CandidateOutput
    let rowCapacity: Int
    let rowValues: UnsafeMutablePointer<Float>
    let rowIndices: UnsafeMutablePointer<Int32>
    var rowFilled: [Int]
    let rowMeans: UnsafeMutablePointer<Float>?
    let columnValues: UnsafeMutablePointer<Float>
    let columnThresholds: UnsafeMutablePointer<Float>
    let columnFilled: UnsafeMutablePointer<Int32>
    let columnMax: UnsafeMutablePointer<Float>
    let columnSum: UnsafeMutablePointer<Double>
    let tileMax: UnsafeMutablePointer<Float>

    init(
        rowK: Int, columnK: Int, beta: Float?, targetCount: Int, rowBlock: Int, columnBlock: Int,
        rowMeans: UnsafeMutablePointer<Float>?, candidates: CandidateOutput = .none
    ) {
        self.rowK = rowK
        self.columnK = columnK
        self.beta = beta
        self.targetCount = targetCount
        self.rowMeans = rowMeans
        self.candidates = candidates
        rowCapacity = max(rowK, candidates.capacity)
        let rows = max(1, rowBlock)
        rowValues = .allocate(capacity: max(1, rows * rowCapacity))
        rowIndices = .allocate(capacity: candidates.capacity > 0 ? max(1, rows * rowCapacity) : 1)
        rowFilled = [Int](repeating: 0, count: rows)
        columnValues = .allocate(capacity: max(1, targetCount * columnK))
        columnThresholds = .allocate(capacity: max(1, targetCount))
        columnThresholds.initialize(repeating: columnK > 0 ? -.infinity : .infinity, count: max(1, targetCount))
        columnFilled = .allocate(capacity: max(1, targetCount))
        columnFilled.initialize(repeating: 0, count: max(1, targetCount))
        let lseCount = beta == nil ? 1 : max(1, targetCount)
        columnMax = .allocate(capacity: lseCount)
        columnMax.initialize(repeating: -.infinity, count: lseCount)
        columnSum = .allocate(capacity: lseCount)
        columnSum.initialize(repeating: 0, count: lseCount)
        tileMax = .allocate(capacity: beta == nil ? 1 : max(1, columnBlock))
    }

    deinit {
        rowValues.deallocate()
        rowIndices.deallocate()
        columnValues.deallocate()
        columnThresholds.deallocate()
        columnFilled.deallocate()
        columnMax.deallocate()
        columnSum.deallocate()
        tileMax.deallocate()
    }

    func beginRowBlock(rowStart: Int, rowCount: Int) {
        for i in 0..<rowCount { rowFilled[i] = 0 }
    }

    func visit(
        tile: UnsafeMutablePointer<Float>, rowStart: Int, rowCount: Int,
        columnStart: Int, columnCount: Int
    ) {
        if rowK > 0 || columnK > 0 || candidates.capacity > 0 {
            rowFilled.withUnsafeMutableBufferPointer { filled in
                for i in 0..<rowCount {
                    if candidates.slot(ofRow: rowStart + i) >= 0 {
                        TopKSelection.scanRowAndColumnsIndexed(
                            tile + i * columnCount, count: columnCount,
                            rowValues: rowValues + i * rowCapacity,
                            rowIndices: rowIndices + i * rowCapacity,
                            rowFilled: &filled[i], rowK: rowCapacity,
                            columnStart: columnStart, columnValues: columnValues,
                            columnThresholds: columnThresholds,
                            columnFilled: columnFilled, columnK: columnK)
                    } else {
                        TopKSelection.scanRowAndColumns(
                            tile + i * columnCount, count: columnCount,
                            rowValues: rowValues + i * rowCapacity, rowFilled: &filled[i],
                            rowK: rowK, columnStart: columnStart, columnValues: columnValues,
                            columnThresholds: columnThresholds,
                            columnFilled: columnFilled, columnK: columnK)
                    }
                }
            }
        }
        if let beta {
            accumulateLogSumExp(
                tile, rowCount: rowCount, columnStart: columnStart,
                columnCount: columnCount, beta: beta)
        }
    }

    /// Running log-sum-exp of β·S per column: max `columnMax[c]` (of β·s) and
    /// `columnSum[c] = Σ exp(β·s − columnMax[c])` in Double, rescaled when the max grows.
    private func accumulateLogSumExp(
        _ tile: UnsafeMutablePointer<Float>, rowCount: Int,
        columnStart: Int, columnCount: Int, beta: Float
    ) {
        for j in 0..<columnCount { tileMax[j] = -.infinity }
        for i in 0..<rowCount {
            let row = tile + i * columnCount
            for j in 0..<columnCount {
                let x = row[j]
                if x > tileMax[j] { tileMax[j] = x }
            }
        }
        for j in 0..<columnCount {
            let c = columnStart + j
            let m = beta * tileMax[j]
            if m > columnMax[c] {
                if columnMax[c] > -.infinity { columnSum[c] *= exp(Double(columnMax[c]) - Double(m)) }
                columnMax[c] = m
            }
        }
        let maxes = columnMax + columnStart
        let sums = columnSum + columnStart
        for i in 0..<rowCount {
            let row = tile + i * columnCount
            for j in 0..<columnCount {
                sums[j] += Double(expf(beta * row[j] - maxes[j]))
            }
        }
    }

    func endRowBlock(rowStart: Int, rowCount: Int) {
        if rowK > 0, let rowMeans {
            // The first rowK entries of a (longer) candidate list are exactly the top-rowK list.
            for i in 0..<rowCount {
                let count = min(rowFilled[i], rowK)
                var sum = 0.0
                for l in 0..<count { sum += Double(rowValues[i * rowCapacity + l]) }
                rowMeans[rowStart + i] = count > 0 ? Float(sum / Double(count)) : 0
            }
        }
        if candidates.capacity > 0, let values = candidates.values, let indices = candidates.indices,
            let filled = candidates.filled
        {
            let cap = candidates.capacity
            for i in 0..<rowCount {
                let slot = candidates.slot(ofRow: rowStart + i)
                guard slot >= 0 else { continue }
                let count = min(rowFilled[i], cap)
                (values + slot * cap).update(from: rowValues + i * rowCapacity, count: count)
                (indices + slot * cap).update(from: rowIndices + i * rowCapacity, count: count)
                filled[slot] = Int32(count)
            }
        }
    }
}
