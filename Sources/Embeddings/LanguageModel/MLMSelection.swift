import XlingCore

/// The unsupervised model-selection criterion of Wada & Iwata (2018): for the `sourceWords` most
/// frequent source words x, the induced translation y*(x) = argmax_y 2·cos(x, y) − r_S(y) over the
/// whole target vocabulary, and the criterion is the mean of 2·cos(x, y*) − r_S(y*) (r_T(x) omitted,
/// as the paper says; it would not change y*). r_S(y) is the mean cosine of y to its `k` nearest
/// source words over the whole source vocabulary (the paper leaves this set open; spec §1.4).
public enum MLMSelection {
    /// The criterion for source rows `source` (most frequent first) and target rows `target`
    /// (specials such as UNK already removed). Higher is better.
    public static func meanCSLS(source: Matrix, target: Matrix, sourceWords: Int = 3000, k: Int = 10) throws(ShapeError) -> Double {
        let s = NeighborSearch.unitNormalized(source), t = NeighborSearch.unitNormalized(target)
        let rS = try CSLSStatistics.meanTopKSimilarity(queries: t, targets: s, k: min(k, s.rows))
        let n = min(sourceWords, s.rows), d = s.cols, chunk = 256
        var total = 0.0
        var start = 0
        while start < n {
            let rows = min(chunk, n - start)
            let block = try Matrix(rows: rows, cols: d, values: Array(s.storage[start * d..<(start + rows) * d]))
            var sims = Matrix(rows: rows, cols: t.rows)
            Matrix.accumulateProduct(block, t, into: &sims, transposeB: true, beta: 0)
            for r in 0..<rows {
                var best = -Float.infinity
                for j in 0..<t.rows { best = max(best, 2 * sims.storage[r * t.rows + j] - rS[j]) }
                total += Double(best)
            }
            start += rows
        }
        return n > 0 ? total / Double(n) : 0
    }
}
