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
/// No query × candidate matrix is formed. The caller's sweep records each query's top-M cosines
/// (`CSLSCandidates`); the CSLS scores of those M are sorted, and a certificate as in
/// `CSLSCandidates` (non-candidates score ≤ c_M − min r/2) gives the prefix of that order that is
/// the exact top of the whole row. The dropout is then drawn lazily, which has exactly the law of
/// the dense mask: walking down the exact order, each entry survives with probability p; the
/// first survivor with a positive score is the argmax. If every positive entry is dropped the
/// maximum is a dropped 0, so the answer is the lowest index that is dropped (entries already
/// walked are known to be dropped; the others are drawn in index order). Rows whose walk leaves
/// the certified prefix (probability ≈ (1 − p)^prefix) are finished exactly on a dense row
/// (one small GEMM for all such rows), with the entries already walked kept dropped.
struct StochasticInduction {
    /// The matches (a candidate row for every query) and each query's largest cosine.
    struct Result {
        var matches: [Int]
        var bestSimilarity: [Float]
        /// Queries finished on a dense row (for diagnostics).
        var denseRows: Int
    }

    /// Query rows (unit length, after the map), Q × d.
    let queries: Matrix
    /// Candidate rows, C × d.
    let candidates: Matrix
    /// r(j)/2 for every candidate row (fp32; the scores are fl(s − r/2) as in VecMap).
    let halfPenalty: [Float]
    /// The queries' top-M cosines from the sweep over `queries` × `candidates`.
    let lists: CSLSCandidates

    /// Induces the matches with keep probability `keep` (1 = deterministic argmax).
    func run(keep: Float, rng: inout SplitMix64) throws -> Result {
        let q = queries.rows, c = candidates.rows
        var matches = [Int](repeating: 0, count: q)
        var best = [Float](repeating: -.infinity, count: q)
        let minHalf = Double(halfPenalty.min() ?? 0)
        var pending: [(row: Int, walked: [Int])] = []
        var scored: [(score: Float, index: Int)] = []
        for i in 0..<q {
            let slot = lists.slot(ofRow: i)
            let filled = slot >= 0 ? Int(lists.filled[slot]) : 0
            let base = slot * lists.capacity
            scored.removeAll(keepingCapacity: true)
            for l in 0..<filled {
                let j = Int(lists.indices[base + l])
                scored.append((lists.values[base + l] - halfPenalty[j], j))
            }
            if filled > 0 { best[i] = lists.values[base] }
            scored.sort { $0.score > $1.score || ($0.score == $1.score && $0.index < $1.index) }
            let complete = filled == c
            var certified = scored.count
            if !complete {
                let bound = filled > 0 ? Double(lists.values[base + filled - 1]) - minHalf + CSLSCandidates.certificateMargin : .infinity
                certified = scored.firstIndex { !(Double($0.score) > bound) } ?? scored.count
            }
            var walked: [Int] = []
            var decided: Int? = nil
            var zeroRegime = false
            for l in 0..<certified {
                let (score, j) = scored[l]
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
            if decided == nil && !zeroRegime && complete { zeroRegime = true }
            if let decided {
                matches[i] = decided
            } else if zeroRegime {
                matches[i] = Self.lowestDropped(count: c, walked: walked, keep: keep, rng: &rng) ?? scored.first?.index ?? 0
            } else {
                pending.append((i, walked))
            }
        }
        if !pending.isEmpty { try finishDense(pending, keep: keep, rng: &rng, matches: &matches, best: &best) }
        return Result(matches: matches, bestSimilarity: best, denseRows: pending.count)
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
        matches: inout [Int], best: inout [Float]
    ) throws {
        let c = candidates.rows
        let chunk = 256
        var start = 0
        while start < pending.count {
            let part = pending[start..<min(pending.count, start + chunk)]
            let rows = try queries.selectingRows(part.map(\.row))
            let sims = try Matrix.product(rows, candidates, transposeB: true)
            for (r, entry) in part.enumerated() {
                let known = Set(entry.walked)
                var top = -Float.infinity, arg = 0, rawBest = -Float.infinity
                for j in 0..<c {
                    let s = sims.storage[r * c + j]
                    rawBest = max(rawBest, s)
                    let kept = !known.contains(j) && (keep >= 1 || rng.nextFloat() < keep)
                    let v = kept ? s - halfPenalty[j] : 0
                    if v > top {
                        top = v
                        arg = j
                    }
                }
                matches[entry.row] = arg
                best[entry.row] = rawBest
            }
            start += chunk
        }
    }
}
