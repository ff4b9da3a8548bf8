/// VecMap's dictionary induction step in one direction (Artetxe et al. 2018, §3.3): every query
/// row i is matched to
///
///     argmax_j  D(s(i, j) − r(j)/2)
///
/// where s(i, j) is the cosine (dot product) of query i and candidate j, r(j) the candidate's
/// CSLS neighbourhood mean (r/2 is CSLS up to the per-query constant, which does not change
/// the argmax), and D is VecMap's *stochastic dictionary induction*: every entry is replaced by
/// 0 with probability 1 − p (numpy: `m * (rand >= 1 − p)`), then the first maximum is taken.
///
/// The mask is *keyed*: entry (i, j) is kept when `SplitMix64.uniform(stream:i, j)` < p, one
/// fixed draw per entry of the run's stream. The match of a row is therefore a function of the
/// scores and the stream alone: it does not depend on the order in which entries are examined,
/// on how long a certified list is (which depends on the sweep's thread count and blocking), or
/// on whether the row is finished on a list or on a dense row.
///
/// No query × candidate matrix is formed. The caller's sweep gives each query's exact top-M
/// entries by 2·s − r (`NeighborSearch` with a CSLS transform whose query offsets are 0: in fp32
/// fl(2s − r) = 2·fl(s − r/2), so the order and signs are VecMap's). The mask is read lazily:
/// walking down that order, the first kept entry with a positive score is the argmax. If every
/// positive entry is dropped the maximum is a dropped 0, so the answer is the lowest dropped
/// index. Rows whose walk passes all M entries (probability (1 − p)^M) are finished exactly on a
/// dense row (one small GEMM for all such rows; its near-maximal entries re-scored by
/// `BFloat16Tiles.dot` when the lists hold that dot's scores) with the same keyed mask. A list may
/// be shorter than M (index −1: `OneSweepCandidates`' certified prefixes); a walk that reaches its
/// end is finished on a dense row the same way.
struct StochasticInduction {
    /// The matches (a candidate row for every query).
    struct Result {
        var matches: [Int]
        /// Queries finished on a dense row (for diagnostics).
        var denseRows: Int
    }

    /// Query rows (after the map), Q × d.
    let queries: Matrix
    /// Candidate rows, C × d.
    let candidates: Matrix
    /// r(j) for every candidate row.
    let penalty: [Float]
    /// Each query's top-M entries by 2·s − r, best first (ties: lower index first).
    let lists: NeighborSearch.Neighbors
    /// Whose fp32 s the lists hold: `.float32` the GEMM's (dense rows by `Matrix.product`),
    /// `.bfloat16` `BFloat16Tiles.dot`'s (a bfloat16 screen re-scores with it; dense rows re-score the
    /// entries near their GEMM maximum with it), so that a row's match does not depend on where it
    /// is finished.
    var scores: SimilarityScreen = .float32

    /// Whether entry (`row`, `column`) survives the dropout of `stream` at keep probability `keep`.
    @inline(__always)
    static func kept(_ row: Int, _ column: Int, keep: Float, stream: UInt64) -> Bool {
        keep >= 1 || SplitMix64.uniform(stream: stream, UInt32(truncatingIfNeeded: row), UInt32(truncatingIfNeeded: column)) < keep
    }

    /// Induces the matches with keep probability `keep` (1 = deterministic argmax) under the
    /// keyed mask of `stream`.
    func run(keep: Float, stream: UInt64) throws -> Result {
        let q = queries.rows, c = candidates.rows
        var matches = [Int](repeating: 0, count: q)
        var pending: [Int] = []
        let m = lists.k
        let complete = m >= c
        for i in 0..<q {
            var decided: Int? = nil
            var zeroRegime = false, truncated = false
            for l in 0..<m {
                let j = lists.indices[i * m + l], score = lists.scores[i * m + l]
                if j < 0 {
                    truncated = true
                    break
                }
                if !(score > 0) {
                    zeroRegime = true
                    break
                }
                if Self.kept(i, j, keep: keep, stream: stream) {
                    decided = j
                    break
                }
            }
            if decided == nil && !zeroRegime && complete && !truncated { zeroRegime = true }
            if let decided {
                matches[i] = decided
            } else if zeroRegime {
                let top = lists.indices[i * m]
                matches[i] = Self.lowestDropped(row: i, count: c, keep: keep, stream: stream) ?? max(0, top)
            } else {
                pending.append(i)
            }
        }
        if !pending.isEmpty { try finishDense(pending, keep: keep, stream: stream, matches: &matches) }
        return Result(matches: matches, denseRows: pending.count)
    }

    /// The lowest index among `0 ..< count` that the dropout zeroes in `row`; nil when every
    /// entry is kept.
    static func lowestDropped(row: Int, count: Int, keep: Float, stream: UInt64) -> Int? {
        guard keep < 1 else { return nil }
        return (0..<count).first { !kept(row, $0, keep: keep, stream: stream) }
    }

    /// Exact masked argmax on dense rows for the queries whose walk left the certified prefix.
    private func finishDense(_ pending: [Int], keep: Float, stream: UInt64, matches: inout [Int]) throws {
        let c = candidates.rows
        let chunk = 256
        var start = 0
        while start < pending.count {
            let part = pending[start..<min(pending.count, start + chunk)]
            let rows = try queries.selectingRows(Array(part))
            let sims = try Matrix.product(rows, candidates, transposeB: true)
            for (r, row) in part.enumerated() {
                var top = -Float.infinity, arg = 0
                for j in 0..<c {
                    let s = sims.storage[r * c + j]
                    let v = Self.kept(row, j, keep: keep, stream: stream) ? 2 * s - penalty[j] : 0
                    if v > top {
                        top = v
                        arg = j
                    }
                }
                if scores == .bfloat16 {
                    // The GEMM's values screen: the lists' dot differs from them by at most the margin per s,
                    // 2·margin per value, so the exact maximum is among the values within 4·margin of the
                    // GEMM's maximum; those are re-scored (lowest index on ties, as above).
                    let floor = top - 4 * OneSweepCandidates.margin
                    top = -.infinity
                    rows.storage.withUnsafeBufferPointer { qp in
                        candidates.storage.withUnsafeBufferPointer { cp in
                            let d = rows.cols
                            for j in 0..<c {
                                let kept = Self.kept(row, j, keep: keep, stream: stream)
                                guard (kept ? 2 * sims.storage[r * c + j] - penalty[j] : 0) >= floor else { continue }
                                let v = kept ? 2 * BFloat16Tiles.dot(qp.baseAddress! + r * d, cp.baseAddress! + j * d, d) - penalty[j] : 0
                                if v > top {
                                    top = v
                                    arg = j
                                }
                            }
                        }
                    }
                }
                matches[row] = arg
            }
            start += chunk
        }
    }
}
