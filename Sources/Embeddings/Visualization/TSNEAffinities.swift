#if canImport(Glibc)
import Glibc
#endif

/// The joint probabilities P of t-SNE over the k nearest neighbours (van der Maaten 2014, §3):
/// p_{j|i} ∝ exp(−β_i‖x_i − x_j‖²) over i's k = ⌊3·perplexity⌋ neighbours, β_i set by binary
/// search so that the entropy of p_{·|i} is log(perplexity) (within 1e-5 nats); then
/// P = (P_cond + P_condᵀ) / (2N), stored as a symmetric CSR matrix whose values sum to 1.
///
/// Invariants: `rowStart.count == count + 1`; row i's columns are strictly increasing and
/// never i; `values[e] == value of (columns[e], i)` (symmetry); Σ values = 1.
public struct TSNEAffinities: Sendable {
    /// Number of points (N).
    public let count: Int
    /// CSR row offsets (N + 1).
    public var rowStart: [Int]
    /// CSR column indices.
    public var columns: [Int32]
    /// CSR values p_ij (Double).
    public var values: [Double]
    /// Σ p_ij log p_ij over the stored entries (the constant part of KL(P‖Q)).
    public var entropyTerm: Double

    /// Computes P for `points` (N × d, finite, N > ⌊3·perplexity⌋ ≥ 1) with the exact
    /// neighbours; the neighbour search and the row calibrations run on `threads` workers (the
    /// result does not depend on it).
    ///
    /// Cost: the exact kNN is N² · d multiply-adds by GEMM blocks (`TSNENeighbors`), the
    /// dominant term above ~20k points; memory O(N · k) (no N × N matrix).
    public init(points: Matrix, perplexity: Double, threads: Int = 1) {
        let k = Int((3 * perplexity).rounded(.down))
        // Never nil: nothing asks it to stop.
        let neighbors = TSNENeighbors(points: points, k: k, threads: threads)!
        self.init(neighbors: neighbors, perplexity: perplexity, threads: threads)
    }

    /// Computes P for `points` with the neighbour search `search` (`.exact` or `.approximate`,
    /// the latter by `forest`), or nil when `shouldStop(done, total)`, asked between blocks of
    /// the search on the calling thread, answers true.
    init?(
        points: Matrix, perplexity: Double, threads: Int, search: TSNENeighborSearch, forest: TSNENeighborForest,
        shouldStop: (_ done: Int, _ total: Int) -> Bool
    ) {
        let k = Int((3 * perplexity).rounded(.down))
        let found: TSNENeighbors? =
            search == .approximate
            ? forest.neighbors(points: points, k: k, threads: threads, shouldStop: shouldStop)
            : TSNENeighbors(points: points, k: k, threads: threads, shouldStop: shouldStop)
        guard let found else { return nil }
        self.init(neighbors: found, perplexity: perplexity, threads: threads)
    }

    /// Calibrates and symmetrises P over given neighbour lists (k = `neighbors.k`, which is
    /// ⌊3·perplexity⌋ in the initialisers above).
    init(neighbors: TSNENeighbors, perplexity: Double, threads: Int) {
        let n = neighbors.count, k = neighbors.k
        var conditional = [Double](repeating: 0, count: n * k)
        let target = log(perplexity)
        neighbors.squaredDistances.withUnsafeBufferPointer { distances in
            conditional.withUnsafeMutableBufferPointer { out in
                let d = SharedBuffer(reading: distances.baseAddress!), o = SharedBuffer(out.baseAddress!)
                _ = WorkerThreads.run(threads: max(1, threads), count: n, initial: 0) { _, range in
                    for i in range {
                        TSNEAffinities.calibrateRow(
                            squaredDistances: d.base + i * k, count: k, targetEntropy: target, into: o.base + i * k)
                    }
                    return 0
                }
            }
        }
        // Symmetrise: each (i, j, p_{j|i}) goes to rows i and j, then duplicates are merged.
        var perRow = [Int](repeating: 0, count: n + 1)
        for i in 0..<n {
            perRow[i] += k
            for s in 0..<k { perRow[Int(neighbors.indices[i * k + s])] += 1 }
        }
        var start = [Int](repeating: 0, count: n + 1)
        for i in 0..<n { start[i + 1] = start[i] + perRow[i] }
        var fill = Array(start[0..<n])
        var rawColumns = [Int32](repeating: 0, count: start[n])
        var rawValues = [Double](repeating: 0, count: start[n])
        for i in 0..<n {
            for s in 0..<k {
                let j = Int(neighbors.indices[i * k + s])
                let p = conditional[i * k + s]
                rawColumns[fill[i]] = Int32(j)
                rawValues[fill[i]] = p
                fill[i] += 1
                rawColumns[fill[j]] = Int32(i)
                rawValues[fill[j]] = p
                fill[j] += 1
            }
        }
        var rowStart = [Int](repeating: 0, count: n + 1)
        var columns = [Int32](), values = [Double]()
        columns.reserveCapacity(start[n])
        values.reserveCapacity(start[n])
        let scale = 1 / (2 * Double(n))
        var order = [Int]()
        for i in 0..<n {
            order = Array(start[i]..<start[i + 1])
            order.sort { rawColumns[$0] != rawColumns[$1] ? rawColumns[$0] < rawColumns[$1] : $0 < $1 }
            var e = 0
            while e < order.count {
                let column = rawColumns[order[e]]
                var sum = 0.0
                while e < order.count && rawColumns[order[e]] == column {
                    sum += rawValues[order[e]]
                    e += 1
                }
                columns.append(column)
                values.append(sum * scale)
            }
            rowStart[i + 1] = columns.count
        }
        count = n
        self.rowStart = rowStart
        self.columns = columns
        self.values = values
        entropyTerm = values.reduce(0.0) { $0 + ($1 > 0 ? $1 * log($1) : 0) }
    }

    /// Binary search for β of one row: fills `out[0 ..< count]` with p_{j|i} (summing to 1)
    /// whose entropy is `targetEntropy` (nats) within 1e-5, or the closest reached in 200
    /// halvings. Distances are shifted by their minimum for stability.
    static func calibrateRow(
        squaredDistances d: UnsafePointer<Double>, count k: Int,
        targetEntropy: Double, into out: UnsafeMutablePointer<Double>
    ) {
        var minimum = Double.infinity
        for s in 0..<k { minimum = min(minimum, d[s]) }
        var beta = 1.0, low = 0.0, high = Double.infinity
        for _ in 0..<200 {
            var sum = 0.0, weighted = 0.0
            for s in 0..<k {
                let shifted = d[s] - minimum
                let w = exp(-beta * shifted)
                out[s] = w
                sum += w
                weighted += w * shifted
            }
            let entropy = log(sum) + beta * weighted / sum
            for s in 0..<k { out[s] /= sum }
            let gap = entropy - targetEntropy
            if abs(gap) < 1e-5 { break }
            if gap > 0 { // too flat: sharpen
                low = beta
                beta = high.isFinite ? (beta + high) / 2 : beta * 2
            } else {
                high = beta
                beta = (beta + low) / 2
            }
        }
    }

    /// P given as CSR arrays (e.g. another tool's P, for differential tests): `rowStart`
    /// (N + 1, from 0, non-decreasing), `columns` (in 0 ..< N) and `values` (≥ 0), as stored.
    /// Returns nil when the arrays do not form such a matrix.
    public init?(count: Int, rowStart: [Int], columns: [Int32], values: [Double]) {
        guard rowStart.count == count + 1, rowStart.first == 0, rowStart.last == columns.count,
            columns.count == values.count, zip(rowStart, rowStart.dropFirst()).allSatisfy({ $0 <= $1 }),
            columns.allSatisfy({ $0 >= 0 && Int($0) < count }), values.allSatisfy({ $0 >= 0 && $0.isFinite })
        else { return nil }
        self.count = count
        self.rowStart = rowStart
        self.columns = columns
        self.values = values
        entropyTerm = values.reduce(0.0) { $0 + ($1 > 0 ? $1 * log($1) : 0) }
    }

    /// The stored p_ij of row i as (column, value) pairs (for tests and reference dumps).
    public func row(_ i: Int) -> [(column: Int, value: Double)] {
        (rowStart[i]..<rowStart[i + 1]).map { (Int(columns[$0]), values[$0]) }
    }
}
