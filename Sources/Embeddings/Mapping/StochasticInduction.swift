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
/// No query × candidate matrix is formed. The caller's sweep gives each query's exact top-M
/// entries by 2·s − r (`NeighborSearch` with a CSLS transform whose query offsets are 0: in fp32
/// fl(2s − r) = 2·fl(s − r/2), so the order and signs are VecMap's). The dropout is drawn lazily,
/// which has exactly the law of the dense mask: walking down that order, each entry survives
/// with probability p; the first survivor with a positive score is the argmax. If every positive
/// entry is dropped the maximum is a dropped 0, so the answer is the lowest index that is dropped
/// (entries already walked are known to be dropped; the others are drawn in index order). Rows
/// whose walk passes all M entries (probability (1 − p)^M) are finished exactly on a dense row
/// (one small GEMM for all such rows), with the entries already walked kept dropped. A list may
/// be shorter than M (index −1: `OneSweepCandidates`' certified prefixes); a walk that reaches
/// its end is finished on a dense row the same way.
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

    /// Induces the matches with keep probability `keep` (1 = deterministic argmax).
    func run(keep: Float, rng: inout SplitMix64) throws -> Result {
        let q = queries.rows, c = candidates.rows
        var matches = [Int](repeating: 0, count: q)
        var pending: [(row: Int, walked: [Int])] = []
        let m = lists.k
        let complete = m >= c
        for i in 0..<q {
            var walked: [Int] = []
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
                if keep >= 1 || rng.nextFloat() < keep {
                    decided = j
                    break
                }
                walked.append(j)
            }
            if decided == nil && !zeroRegime && complete && !truncated { zeroRegime = true }
            if let decided {
                matches[i] = decided
            } else if zeroRegime {
                let top = lists.indices[i * m]
                matches[i] = Self.lowestDropped(count: c, walked: walked, keep: keep, rng: &rng) ?? max(0, top)
            } else {
                pending.append((i, walked))
            }
        }
        if !pending.isEmpty { try finishDense(pending, keep: keep, rng: &rng, matches: &matches) }
        return Result(matches: matches, denseRows: pending.count)
    }

    /// The lowest index among `0 ..< count` that the dropout zeroes, given that `walked` are
    /// dropped; nil when every entry is kept.
    static func lowestDropped(count: Int, walked: [Int], keep: Float, rng: inout SplitMix64) -> Int? {
        guard keep < 1 else { return nil }
        let known = Set(walked)
        for j in 0..<count {
            if known.contains(j) || !(rng.nextFloat() < keep) { return j }
        }
        return nil
    }

    /// Exact masked argmax on dense rows for the queries whose walk left the certified prefix.
    private func finishDense(
        _ pending: [(row: Int, walked: [Int])], keep: Float, rng: inout SplitMix64,
        matches: inout [Int]
    ) throws {
        let c = candidates.rows
        let chunk = 256
        var known = [Bool](repeating: false, count: c)
        var start = 0
        while start < pending.count {
            let part = pending[start..<min(pending.count, start + chunk)]
            let rows = try queries.selectingRows(part.map(\.row))
            let sims = try Matrix.product(rows, candidates, transposeB: true)
            for (r, entry) in part.enumerated() {
                for j in entry.walked { known[j] = true }
                defer { for j in entry.walked { known[j] = false } }
                var top = -Float.infinity, arg = 0
                for j in 0..<c {
                    let s = sims.storage[r * c + j]
                    let kept = !known[j] && (keep >= 1 || rng.nextFloat() < keep)
                    let v = kept ? 2 * s - penalty[j] : 0
                    if v > top {
                        top = v
                        arg = j
                    }
                }
                matches[entry.row] = arg
            }
            start += chunk
        }
    }
}
