/// Per-word details of a locally linear mapping: each target word's k source neighbours (best
/// first), their cosines in the general space and the reconstruction weights α; plus the
/// Figure-2 view of Sakuma & Yoshinaga (2019): the distribution of |α| for the nearest
/// neighbour versus the other k − 1 neighbours.
///
/// Layout: `neighbors`, `cosines`, `weights` are n_t×k row-major (target word i at
/// `i*k ..< (i+1)*k`).
public struct TransferDiagnostics: Sendable, Equatable {
    /// Neighbours per target word.
    public let k: Int
    /// Source row indices, n_t×k, best (highest cosine) first.
    public let neighbors: [Int]
    /// Cosine of each neighbour in the general space, n_t×k.
    public let cosines: [Float]
    /// α, n_t×k; every row sums to 1.
    public let weights: [Float]

    /// Diagnostics over flat n_t×k arrays (all three of equal length, a multiple of k).
    public init(k: Int, neighbors: [Int], cosines: [Float], weights: [Float]) {
        self.k = k
        self.neighbors = neighbors
        self.cosines = cosines
        self.weights = weights
    }

    /// The number of target words.
    public var count: Int { k > 0 ? neighbors.count / k : 0 }

    /// Target word i's neighbours: (source index, cosine, α), best first.
    public func neighbors(ofTarget i: Int) -> [(source: Int, cosine: Float, weight: Float)] {
        (0..<k).map { j in (neighbors[i * k + j], cosines[i * k + j], weights[i * k + j]) }
    }

    /// Histogram of |α| for the nearest neighbours versus the others (Figure 2).
    public struct WeightHistogram: Sendable, Equatable {
        /// `bins + 1` increasing bin edges from 0 to the upper bound; bin b is
        /// [edges[b], edges[b+1]), the last bin also holds everything ≥ its lower edge.
        public let edges: [Float]
        /// Counts of |α| of each word's nearest neighbour, per bin.
        public let nearest: [Int]
        /// Counts of |α| of the other k − 1 neighbours, per bin.
        public let others: [Int]
        /// Mean |α| of the nearest neighbours (NaN when there are none).
        public let nearestMean: Double
        /// Mean |α| of the other neighbours (NaN when k = 1).
        public let othersMean: Double
    }

    /// |α| binned into `bins` equal bins over [0, upperBound] (default: the largest |α|,
    /// at least 1), separately for the nearest neighbour and the others.
    public func weightHistogram(bins: Int = 20, upperBound: Float? = nil) -> WeightHistogram {
        let bins = Swift.max(1, bins)
        let top = upperBound ?? Swift.max(1, weights.map { abs($0) }.max() ?? 1)
        let edges = (0...bins).map { top * Float($0) / Float(bins) }
        var nearest = [Int](repeating: 0, count: bins), others = [Int](repeating: 0, count: bins)
        var nearestSum = 0.0, othersSum = 0.0, othersCount = 0
        for (offset, w) in weights.enumerated() {
            let a = abs(w)
            let bin = top > 0 ? Swift.min(bins - 1, Int(a / top * Float(bins))) : 0
            if offset % k == 0 {
                nearest[bin] += 1
                nearestSum += Double(a)
            } else {
                others[bin] += 1
                othersSum += Double(a)
                othersCount += 1
            }
        }
        return WeightHistogram(
            edges: edges, nearest: nearest, others: others,
            nearestMean: count > 0 ? nearestSum / Double(count) : .nan,
            othersMean: othersCount > 0 ? othersSum / Double(othersCount) : .nan)
    }

    /// Nearest neighbours of some words within one vocabulary before and after the mapping
    /// (Table 6): for each row index in `words`, its `k` nearest other rows of `before` (e.g.
    /// the general target vectors) and of `after` (e.g. the mapped task-specific ones), by
    /// cosine, best first, the word itself excluded.
    ///
    /// - Throws: `TransferError` when the matrices have different row counts, a word index is
    ///   out of range or k is not in 1 ..< rows.
    public static func neighborTable(
        words: [Int], before: Matrix, after: Matrix, k: Int,
        threads: Int? = nil
    ) throws -> [(
        before: [(index: Int, cosine: Float)],
        after: [(index: Int, cosine: Float)]
    )] {
        guard before.rows == after.rows else {
            throw TransferError.rowCountMismatch(general: before.rows, specific: after.rows)
        }
        try LocallyLinearMappingOptions.validate(k: k, available: before.rows - 1, leaveSelfOut: true)
        for w in words where w < 0 || w >= before.rows {
            throw TransferError.wordOutOfRange(index: w, count: before.rows)
        }
        let search = NeighborSearch(threads: threads)
        func table(_ m: Matrix) throws -> [[(index: Int, cosine: Float)]] {
            let unit = NeighborSearch.unitNormalized(m)
            let found = try search.search(source: unit, target: unit, queryRows: words, k: k + 1, method: .nn)
            return words.enumerated().map { (row, word) in
                Array(found[query: row].filter { $0.index != word }.prefix(k).map { (index: $0.index, cosine: $0.score) })
            }
        }
        let b = try table(before), a = try table(after)
        return (0..<words.count).map { (before: b[$0], after: a[$0]) }
    }
}
