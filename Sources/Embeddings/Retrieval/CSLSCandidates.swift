/// Single-sweep exact CSLS retrieval with a certificate.
///
/// The CSLS statistics pass (`CSLSStatistics.compute`) already selects each source row's
/// top-kc cosines for r_T; with `NeighborSearch.cslsCandidates = M > 0` it keeps the top
/// M' = min(max(M, kc), nT) cosines **with their target indices** instead (r_T is the mean of
/// the first kc of them, so it is unchanged). After the pass r_S is known for every target,
/// and for a query x with candidate set C(x):
///
/// - CSLS(x, y) = (2·cos − r_T(x)) − r_S(y) is evaluated (in Float, exactly as the sweep
///   does) for every y ∈ C(x), and the top k taken with the usual tie rule (higher score
///   first, equal scores → lower target index first).
/// - Every y ∉ C(x) has cos(x, y) ≤ c_M, the smallest cosine in C(x) (the selection is exact
///   over the same Float cosines), and r_S(y) ≥ rSmin = min over all targets of r_S. Hence
///   CSLS(x, y) ≤ bound(x) = 2·c_M − r_T(x) − rSmin.
/// - If the k-th candidate score is **strictly** greater than bound(x), no non-candidate can
///   reach the top k nor tie with its members, so the candidate top-k (order and ties
///   included) is the exact top-k. Otherwise the query is *undecided* and goes through the
///   exact two-pass path (a pass-2 sweep over just the undecided rows).
///
/// Rounding: the scores compared are Float values fl(fl(2·s − r_T) − r_S). bound(x) is
/// evaluated in Double from the Float inputs (exact up to one Double rounding) and raised by
/// `certificateMargin` = 1e-6. Since Float rounding is monotone, every non-candidate's Float
/// score is ≤ fl(fl(2·c_M − r_T) − rSmin), which differs from the real-number bound by at
/// most two Float half-ulps of values of magnitude ≤ 4 (< 4e-7) — below the margin. A
/// candidate score must beat the raised bound strictly, so rounding cannot certify a wrong
/// result (it can only send a few borderline queries to the exact path).
///
/// When M' = nT (every target is a candidate) no bound is needed. Rows whose list is not
/// full (NaN similarities) and non-finite scores or bounds always take the exact path.
struct CSLSCandidates: Sendable {
    /// Entries per slot (M').
    let capacity: Int
    /// Number of targets the lists were selected from.
    let targetCount: Int
    /// Slot of each source row (−1 = not recorded); nil = slot is the row itself.
    let slotOfRow: [Int32]?
    /// `slot * capacity + l`: l-th largest cosine and its target index (descending, ties by
    /// lower index); only the first `filled[slot]` entries are valid.
    let values: [Float]
    let indices: [Int32]
    let filled: [Int32]
    /// The spaces the lists were computed from (a cheap guard against stale statistics).
    let fingerprint: MatrixPairFingerprint

    /// Safety margin added to the Double bound (see the type documentation).
    static let certificateMargin = 1e-6

    func slot(ofRow row: Int) -> Int {
        guard let slotOfRow else { return row < filled.count ? row : -1 }
        return row < slotOfRow.count ? Int(slotOfRow[row]) : -1
    }

    /// Whether the lists can serve CSLS top-`k` queries for `rows` (nil = all) of `source`.
    func canServe(source: Matrix, target: Matrix, rows: [Int]?, k: Int) -> Bool {
        guard capacity >= k, targetCount == target.rows,
            fingerprint == MatrixPairFingerprint(source, target)
        else { return false }
        if slotOfRow == nil { return filled.count == source.rows }
        for r in rows ?? Array(0..<source.rows) where slot(ofRow: r) < 0 { return false }
        return true
    }
}

/// Where `StatisticsVisitor` writes candidate lists (pointers into `SimilarityStatistics.run`'s
/// arrays; slots are distinct per row, so threads write disjoint ranges).
struct CandidateOutput {
    var capacity: Int
    var slotOfRow: UnsafePointer<Int32>?
    var values: UnsafeMutablePointer<Float>?
    var indices: UnsafeMutablePointer<Int32>?
    var filled: UnsafeMutablePointer<Int32>?

    static var none: CandidateOutput {
        CandidateOutput(capacity: 0, slotOfRow: nil, values: nil, indices: nil, filled: nil)
    }

    @inline(__always)
    func slot(ofRow row: Int) -> Int {
        guard capacity > 0 else { return -1 }
        guard let slotOfRow else { return row }
        return Int(slotOfRow[row])
    }
}

/// Shapes plus a hash of up to 256 evenly spaced entries of each matrix.
struct MatrixPairFingerprint: Sendable, Equatable {
    let sourceRows: Int, targetRows: Int, dimension: Int
    let hash: UInt64

    init(_ source: Matrix, _ target: Matrix) {
        sourceRows = source.rows
        targetRows = target.rows
        dimension = source.cols
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for m in [source, target] {
            let count = m.storage.count
            let step = max(1, count / 256)
            m.storage.withUnsafeBufferPointer { p in
                var i = 0
                while i < count {
                    h = (h ^ UInt64(p[i].bitPattern)) &* 0x100_0000_01b3
                    i += step
                }
            }
            h = (h ^ UInt64(count)) &* 0x100_0000_01b3
        }
        hash = h
    }
}

extension NeighborSearch {
    /// The outcome of ranking by candidates: results for every query, and the positions of
    /// the queries that must take the exact path (their rows in the results are unset).
    struct CandidateRanking {
        var indices: [Int32]
        var scores: [Float]
        var undecided: [Int]
    }

    /// Ranks CSLS top-`k` (already clamped to the target count, ≤ capacity) for source rows
    /// `rows` from their recorded candidates; see `CSLSCandidates`.
    static func rankCSLSCandidates(
        _ candidates: CSLSCandidates, rows: [Int], k: Int,
        rT: [Float], rS: [Float]
    ) -> CandidateRanking {
        let m = rows.count
        var outIndices = [Int32](repeating: -1, count: m * k)
        var outScores = [Float](repeating: -.infinity, count: m * k)
        var undecided: [Int] = []
        var rSmin = Double.infinity
        var rSFinite = true
        for v in rS {
            if !v.isFinite { rSFinite = false }
            rSmin = min(rSmin, Double(v))
        }
        let cap = candidates.capacity
        let complete = cap >= candidates.targetCount
        var listScores = [Float](repeating: 0, count: k)
        var listIndices = [Int32](repeating: 0, count: k)
        candidates.values.withUnsafeBufferPointer { values in
            candidates.indices.withUnsafeBufferPointer { indices in
                rS.withUnsafeBufferPointer { rS in
                    for q in 0..<m {
                        let row = rows[q]
                        let slot = candidates.slot(ofRow: row)
                        guard slot >= 0, Int(candidates.filled[slot]) == cap else {
                            undecided.append(q)
                            continue
                        }
                        let rTx = rT[row]
                        let base = slot * cap
                        var count = 0
                        for l in 0..<cap {
                            let y = indices[base + l]
                            // Same Float operations as the sweep: (2·s − r_T) − r_S.
                            let score = (2 * values[base + l] - rTx) - rS[Int(y)]
                            guard !score.isNaN else { continue }
                            // Insert by (score desc, index asc) into the top-k list.
                            if count == k {
                                let last = listScores[k - 1]
                                if !(score > last || (score == last && y < listIndices[k - 1])) { continue }
                            }
                            var p = count < k ? count : k - 1
                            while p > 0
                                && (listScores[p - 1] < score
                                    || (listScores[p - 1] == score && listIndices[p - 1] > y))
                            {
                                listScores[p] = listScores[p - 1]
                                listIndices[p] = listIndices[p - 1]
                                p -= 1
                            }
                            listScores[p] = score
                            listIndices[p] = y
                            if count < k { count += 1 }
                        }
                        guard count == k, listScores[k - 1].isFinite else {
                            undecided.append(q)
                            continue
                        }
                        if !complete {
                            let cM = values[base + cap - 1]
                            let bound = 2 * Double(cM) - Double(rTx) - rSmin + CSLSCandidates.certificateMargin
                            guard rSFinite, rTx.isFinite, bound.isFinite, Double(listScores[k - 1]) > bound else {
                                undecided.append(q)
                                continue
                            }
                        }
                        for l in 0..<k {
                            outIndices[q * k + l] = listIndices[l]
                            outScores[q * k + l] = listScores[l]
                        }
                    }
                }
            }
        }
        return CandidateRanking(indices: outIndices, scores: outScores, undecided: undecided)
    }

    /// CSLS top-`k` for source rows `rows` (nil = all) via recorded candidates, with the
    /// undecided queries re-ranked by the exact sweep. Returns nil when `statistics` carries
    /// no usable candidates. `k` is the requested k (≥ 1).
    func searchCSLSByCandidates(
        source: Matrix, target: Matrix, queryRows: [Int]?, k requested: Int,
        statistics: CSLSStatistics
    ) -> (Neighbors, undecided: Int)? {
        let n = target.rows
        let k = min(requested, n)
        guard k > 0, let candidates = statistics.candidates,
            candidates.canServe(source: source, target: target, rows: queryRows, k: k)
        else { return nil }
        let rows = queryRows ?? Array(0..<source.rows)
        var ranking = Self.rankCSLSCandidates(candidates, rows: rows, k: k, rT: statistics.rT, rS: statistics.rS)
        if !ranking.undecided.isEmpty {
            let fallbackRows = ranking.undecided.map { rows[$0] }
            // Rows are valid source rows, so the gather cannot throw.
            guard let queries = try? Self.gather(source, rows: fallbackRows) else { return nil }
            let exact = run(
                queries: queries, target: target, k: k,
                transform: .csls(rT: fallbackRows.map { statistics.rT[$0] }, rS: statistics.rS))
            for (f, q) in ranking.undecided.enumerated() {
                for l in 0..<k {
                    ranking.indices[q * k + l] = Int32(truncatingIfNeeded: exact.indices[f * k + l])
                    ranking.scores[q * k + l] = exact.scores[f * k + l]
                }
            }
        }
        let neighbors = Neighbors(
            queryCount: rows.count, k: k, indices: ranking.indices.map { Int($0) },
            scores: ranking.scores)
        return (neighbors, ranking.undecided.count)
    }
}
