/// Everything one iteration of VecMap's self-learning needs from S = Q·Tᵀ (Q: the mapped source
/// rows, m × d; T: the target rows, n × d; unit rows) in **one** blocked sweep instead of two,
/// once the previous iteration's candidate lists are known:
///
/// - the CSLS neighbourhood means r_row (mean of each row's k largest s) and r_col (each column's),
///   and each row's and column's largest s, exactly as `SimilarityStatistics` computes them;
/// - forward lists: each row's best entries by f = 2·s − r_col(j), best first (ties: lower index);
/// - backward lists: each column's best rows by g = 2·s − r_row(i).
///
/// The penalties r are only known after the sweep, so the lists are kept by **upper bounds**:
/// u = 2·s − Lc(j) and v = 2·s − Lr(i), where Lc ≤ r_col and Lr ≤ r_row are lower bounds computed
/// before the sweep (`Priors`: the mean cosine of 10 rows the previous iteration ranked near the
/// top of a column, less a rounding margin; the mean of any k entries is at most the mean of the k
/// largest). Since rounding is monotone, f ≤ u entry by entry. A row's list keeps its top-M by u
/// above a seed threshold (a lower bound on its M-th best u, from the M entries of its previous
/// list); every entry it does not keep has u, hence f, at most θ = its final threshold. So the kept
/// entries with f > θ, sorted by (f ↓, index ↑), are **exactly** the first entries of the row's
/// true ranking (the *certified prefix*, at most M long; `StochasticInduction` finishes any row
/// whose walk passes it on a dense row). Columns the same, with per-worker lists merged (θ = the
/// largest worker threshold, or the last merged entry when the merge dropped some). θ, hence the
/// prefix length, depends on the thread count and blocking; the induction's keyed mask makes the
/// dictionary independent of it.
///
/// The top-k lists of s (for r and the maxima) start at a floor too: the k-th largest re-scored s
/// of the row's (column's) previous list, less the margin, is at most the true k-th largest, so
/// entries at or below it are never needed; the screen then skips most of a row from its first
/// tile. The lists, means and maxima are exactly those of a sweep without the floor.
///
/// With fp32 tiles (`SimilarityScreen.float32`) the s of every entry is the tile's value (the same
/// blocked GEMM as the two-sweep path), so the certified prefixes equal the prefixes of
/// `BidirectionalCandidates`' lists; scores are the same fp32 expressions. With a bfloat16 screen
/// (`.bfloat16`) the tiles are estimates within a proven slack: the screen raises them by it, and
/// every entry that passes is re-scored by `BFloat16Tiles.dot`, so everything above holds for that
/// dot's scores. Memory: O(threads × n × M + m × M), 12 bytes per entry.
enum OneSweepCandidates {
    /// The bounds and seed thresholds of one sweep (see the type).
    struct Priors {
        /// Lr(i) ≤ r_row(i), count m.
        var rowBound: [Float]
        /// Lc(j) ≤ r_col(j), count n.
        var columnBound: [Float]
        /// A lower bound on row i's M-th best u (−∞: none), count m.
        var rowSeed: [Float]
        /// A lower bound on column j's M-th best v (−∞: none), count n.
        var columnSeed: [Float]
        /// A lower bound on row i's k-th largest s (−∞: none), count m: entries at or below it
        /// cannot change the row's top-k mean or maximum.
        var rowTopSeed: [Float]
        /// A lower bound on column j's k-th largest s (−∞: none), count n.
        var columnTopSeed: [Float]
    }

    /// What a sweep returns.
    struct Result {
        /// r_row (count m) and r_col (count n).
        var rowMeans: [Float], columnMeans: [Float]
        /// The largest s of every row and column.
        var rowMaxima: [Float], columnMaxima: [Float]
        /// Certified prefixes (padded with index −1, score −∞): forward m × M by f, backward n × M by g.
        var forward: NeighborSearch.Neighbors, backward: NeighborSearch.Neighbors
        /// The best M kept entries by score, certified or not (−1 padded), and their scores: the
        /// next iteration's prior lists.
        var forwardKept: [Int32], forwardKeptScores: [Float], backwardKept: [Int32], backwardKeptScores: [Float]
    }

    /// Slack for the difference between a dot product computed here and the GEMM's (|Δs| ≤ 300 ·
    /// 2⁻²⁴ for unit rows of 300 dimensions; scores are 2·s).
    static let margin: Float = 5e-4
    /// How far below the previous lists' M-th score (re-scored) a list's threshold starts.
    static let seedSlack: Float = 0.02

    /// The priors for Q, T from the previous iteration's lists (`forwardLists`: m × `forwardWidth`
    /// target indices best first, `backwardLists`: n × `backwardWidth` source indices, −1 padded,
    /// with the scores they had then). Only the first `probe` (≥ k) entries of each list are
    /// re-scored with today's Q: the bounds use their k largest cosines (any k actual entries give a
    /// valid bound; good ones a tight one), and so do the top-k floors (the k-th largest, less the
    /// margin); the seed is the probe-th re-scored score less the previous list's drop from rank
    /// `probe` to rank M, less `seedSlack`.
    static func priors(
        queries q: Matrix, targets t: Matrix, forwardLists: [Int32], forwardScores: [Float], forwardWidth fw: Int,
        backwardLists: [Int32], backwardScores: [Float], backwardWidth bw: Int, k: Int, candidates: Int,
        probe: Int = 32, threads: Int
    ) -> Priors {
        let m = q.rows, n = t.rows, d = q.cols
        let rowK = min(k, n), columnK = min(k, m), forwardM = min(candidates, n, fw), backwardM = min(candidates, m, bw)
        let fp = min(max(probe, rowK), fw), bp = min(max(probe, columnK), bw)
        // Worker-shared scratch and outputs (each list writes only its own entries).
        func buffer(_ count: Int, _ value: Float) -> SharedBuffer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: max(1, count))
            p.initialize(repeating: value, count: max(1, count))
            return SharedBuffer(p)
        }
        let rdb = buffer(m * fp, 0), cdb = buffer(n * bp, 0), rbb = buffer(m, -2), cbb = buffer(n, -2)
        let rsb = buffer(m, -.infinity), csb = buffer(n, -.infinity)
        let rtb = buffer(m, -.infinity), ctb = buffer(n, -.infinity)
        defer { for b in [rdb, cdb, rbb, cbb, rsb, csb, rtb, ctb] { b.base.deallocate() } }
        let fl = forwardLists, bl = backwardLists, fs = forwardScores, bs = backwardScores
        q.storage.withUnsafeBufferPointer { qp in
            t.storage.withUnsafeBufferPointer { tp in
                let qb = SharedConstBuffer(qp.baseAddress!), tb = SharedConstBuffer(tp.baseAddress!)
                // Pass 1, every list independently: re-score the probe entries, bound = the mean of the
                // k largest valid ones less the margin (−2 < any mean of cosines when there are fewer).
                // Forward lists first, then backward ones: each phase gathers rows of one matrix only,
                // which then stays in the last-level cache.
                let batched = BFloat16Tiles.isAvailable
                for phase in [0..<m, m..<(m + n)] {
                    _ = WorkerThreads.run(threads: threads, count: phase.count, initial: 0) { _, range in
                        let width = max(fp, bp)
                        var values = [Float](repeating: 0, count: width), slots = [Int](repeating: 0, count: width)
                        var others = [Int32](repeating: 0, count: width)
                        for r in range.lazy.map({ $0 + phase.lowerBound }) {
                            let forwardSide = r < m
                            let row = forwardSide ? r : r - m
                            let lists = forwardSide ? fl : bl, width = forwardSide ? fw : bw
                            let probeWidth = forwardSide ? fp : bp, count = forwardSide ? rowK : columnK
                            let dots = (forwardSide ? rdb.base : cdb.base) + row * probeWidth
                            var valid = 0
                            for l in 0..<probeWidth where lists[row * width + l] >= 0 {
                                slots[valid] = l
                                others[valid] = lists[row * width + l]
                                valid += 1
                            }
                            // The list's own row against the scattered rows it names (any fp32 dot is within
                            // the margin; AVX-512 machines batch them with the rows prefetched ahead).
                            let own = (forwardSide ? qb.base : tb.base) + row * d, pool = forwardSide ? tb.base : qb.base
                            if batched {
                                BFloat16Tiles.dots(own, pool, d, rows: others, count: valid, into: &values)
                            } else {
                                for h in 0..<valid { values[h] = SIMDDot.dot(own, pool + Int(others[h]) * d, d) }
                            }
                            for h in 0..<valid { dots[slots[h]] = values[h] }
                            guard count > 0, valid >= count else { continue }
                            // The count largest: a partial selection sort (count ≤ probe ≤ a few dozen).
                            var sum = 0.0
                            for a in 0..<count {
                                var best = a
                                for b in (a + 1)..<valid where values[b] > values[best] { best = b }
                                values.swapAt(a, best)
                                sum += Double(values[a])
                            }
                            (forwardSide ? rbb.base : cbb.base)[row] = Float(sum / Double(count)) - margin
                            // values[count − 1] is the count-th largest of `valid` actual entries: at most the true one.
                            (forwardSide ? rtb.base : ctb.base)[row] = values[count - 1] - margin
                        }
                        return 0
                    }
                }
                // Pass 2: a guess of every list's M-th best score today (any value is correct, see the
                // type): the lowest re-scored probe score less the previous list's drop from rank
                // `probe` to rank M, less `seedSlack`.
                _ = WorkerThreads.run(threads: threads, count: m + n, initial: 0) { _, range in
                    for r in range {
                        let forwardSide = r < m
                        let row = forwardSide ? r : r - m
                        let lists = forwardSide ? fl : bl, scores = forwardSide ? fs : bs, width = forwardSide ? fw : bw
                        let probeWidth = forwardSide ? fp : bp, count = forwardSide ? forwardM : backwardM
                        let dots = (forwardSide ? rdb.base : cdb.base) + row * probeWidth
                        let penalty = forwardSide ? cbb.base : rbb.base
                        guard count > 0, lists[row * width + count - 1] >= 0, lists[row * width + probeWidth - 1] >= 0 else {
                            continue
                        }
                        var lowest = Float.infinity
                        for l in 0..<probeWidth { lowest = min(lowest, 2 * dots[l] - penalty[Int(lists[row * width + l])]) }
                        let drop = scores[row * width + probeWidth - 1] - scores[row * width + count - 1]
                        (forwardSide ? rsb.base : csb.base)[row] = drop.isFinite ? lowest - max(0, drop) - seedSlack : -.infinity
                    }
                    return 0
                }
            }
        }
        return Priors(
            rowBound: Array(UnsafeBufferPointer(start: rbb.base, count: m)),
            columnBound: Array(UnsafeBufferPointer(start: cbb.base, count: n)),
            rowSeed: Array(UnsafeBufferPointer(start: rsb.base, count: m)),
            columnSeed: Array(UnsafeBufferPointer(start: csb.base, count: n)),
            rowTopSeed: Array(UnsafeBufferPointer(start: rtb.base, count: m)),
            columnTopSeed: Array(UnsafeBufferPointer(start: ctb.base, count: n)))
    }

    /// Runs the sweep (m, n ≥ 1; k, candidates ≥ 1). Lists keep their best `kept` (K ≥ M) entries
    /// by upper bound (appended to a 2K buffer, cut back to K when it fills); the certified
    /// prefixes are cut to `candidates` (M). `vectorScreen` false keeps fp32 rows on the Swift SIMD
    /// screen even where `RowScreen` runs (the same result: for tests). `stages` hears `sweep` and
    /// `certify` as they end.
    static func run(
        queries: Matrix, targets: Matrix, k: Int, candidates: Int, kept: Int, priors: Priors, search: NeighborSearch,
        vectorScreen: Bool = RowScreen.isAvailable, stages: ((String) -> Void)? = nil
    ) -> Result {
        let m = queries.rows, n = targets.rows
        let shape = OneSweepVisitor.Shape(
            rowK: min(k, n), columnK: min(k, m), forwardK: max(1, min(max(kept, candidates), n)),
            backwardK: max(1, min(max(kept, candidates), m)), columnCount: n,
            rowBlock: max(search.sweep.rowBlock, BFloat16Tiles.queryPanel), vectorScreen: vectorScreen && RowScreen.isAvailable)
        var rowMeans = [Float](repeating: 0, count: m), rowMaxima = [Float](repeating: -.infinity, count: m)
        var keptEntries = [OneSweepVisitor.Entry](repeating: .init(bound: 0, index: -1, sim: 0), count: m * shape.forwardK)
        var keptFilled = [Int32](repeating: 0, count: m), rowTheta = [Float](repeating: -.infinity, count: m)
        var visitors: [OneSweepVisitor] = []
        let sweep = search.sweep
        let inputs = OneSweepVisitor.Inputs(copying: priors)
        defer { inputs.deallocate() }
        rowMeans.withUnsafeMutableBufferPointer { rmo in
            rowMaxima.withUnsafeMutableBufferPointer { rxo in
                keptEntries.withUnsafeMutableBufferPointer { keo in
                    keptFilled.withUnsafeMutableBufferPointer { kfo in
                        rowTheta.withUnsafeMutableBufferPointer { rto in
                            let outputs = OneSweepVisitor.Outputs(
                                rowMeans: rmo.baseAddress!, rowMaxima: rxo.baseAddress!,
                                entries: keo.baseAddress!, filled: kfo.baseAddress!, theta: rto.baseAddress!)
                            for _ in 0..<max(1, sweep.threads) {
                                visitors.append(OneSweepVisitor(shape: shape, inputs: inputs, outputs: outputs))
                            }
                            queries.storage.withUnsafeBufferPointer { qp in
                                targets.storage.withUnsafeBufferPointer { tp in
                                    let q = qp.baseAddress!, t = tp.baseAddress!, d = queries.cols
                                    guard search.screen.effective == .bfloat16 else {
                                        sweep.run(
                                            queries: q, queryCount: m, targets: t, targetCount: n, dimension: d,
                                            visitors: visitors)
                                        return
                                    }
                                    let packed = BFloat16Tiles(
                                        queries: q, queryCount: m, targets: t, targetCount: n, dimension: d,
                                        threads: sweep.threads)
                                    packed.slack.withUnsafeBufferPointer { slack in
                                        for v in visitors {
                                            v.rescore = .init(queries: q, targets: t, dimension: d, slack: slack.baseAddress!)
                                        }
                                        sweep.run(
                                            queries: q, queryCount: m, targets: t, targetCount: n, dimension: d,
                                            visitors: visitors, bfloat16: packed)
                                        for v in visitors { v.rescore = nil }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        stages?("sweep")
        let (columnMeans, columnMaxima) = mergeColumnStatistics(visitors, shape: shape)
        let (forward, forwardPrior, forwardPriorScores) = certify(
            count: m, width: shape.forwardK, output: min(candidates, n), entries: keptEntries, filled: keptFilled,
            theta: rowTheta, penalty: columnMeans, threads: sweep.threads)
        let (backEntries, backFilled, backTheta) = mergeBackward(visitors, shape: shape, threads: sweep.threads)
        let (backward, backwardPrior, backwardPriorScores) = certify(
            count: n, width: shape.backwardK, output: min(candidates, m), entries: backEntries, filled: backFilled,
            theta: backTheta, penalty: rowMeans, threads: sweep.threads)
        stages?("certify")
        return Result(
            rowMeans: rowMeans, columnMeans: columnMeans, rowMaxima: rowMaxima, columnMaxima: columnMaxima,
            forward: forward, backward: backward, forwardKept: forwardPrior, forwardKeptScores: forwardPriorScores,
            backwardKept: backwardPrior, backwardKeptScores: backwardPriorScores)
    }

    /// The certified prefix of every list (entries with 2·s − penalty > θ, by (score ↓, index ↑),
    /// cut to `output`) and the best `output` kept entries by that score whether certified or not
    /// (the next iteration's prior lists), both −1 padded. Lists are independent: `threads` workers
    /// take contiguous ranges of them (same result for any thread count).
    private static func certify(
        count: Int, width: Int, output: Int, entries: [OneSweepVisitor.Entry], filled: [Int32], theta: [Float],
        penalty: [Float], threads: Int
    ) -> (NeighborSearch.Neighbors, [Int32], [Float]) {
        var outIndices = [Int](repeating: -1, count: count * output)
        var outScores = [Float](repeating: -.infinity, count: count * output)
        var prior = [Int32](repeating: -1, count: count * output)
        var priorScores = [Float](repeating: -.infinity, count: count * output)
        outIndices.withUnsafeMutableBufferPointer { oi in
            outScores.withUnsafeMutableBufferPointer { os in
                prior.withUnsafeMutableBufferPointer { pr in
                    priorScores.withUnsafeMutableBufferPointer { ps in
                        let oib = SharedBuffer(oi.baseAddress!), osb = SharedBuffer(os.baseAddress!)
                        let prb = SharedBuffer(pr.baseAddress!), psb = SharedBuffer(ps.baseAddress!)
                        _ = WorkerThreads.run(threads: threads, count: count, initial: 0) { _, range in
                            // (score ↓, index ↑) as one ascending UInt64 key (see `descendingKey`).
                            var keys: [UInt64] = []
                            keys.reserveCapacity(width)
                            for r in range {
                                keys.removeAll(keepingCapacity: true)
                                for l in 0..<Int(filled[r]) {
                                    let e = entries[r * width + l]
                                    keys.append(descendingKey(2 * e.sim - penalty[Int(e.index)], e.index))
                                }
                                keys.sort()
                                for (l, key) in keys.prefix(output).enumerated() {
                                    let index = Int32(truncatingIfNeeded: UInt32(truncatingIfNeeded: key))
                                    let score = scoreOf(key)
                                    prb.base[r * output + l] = index
                                    psb.base[r * output + l] = score
                                    // Sorted: the first uncertified entry ends the prefix.
                                    guard score > theta[r] else { continue }
                                    oib.base[r * output + l] = Int(index)
                                    osb.base[r * output + l] = score
                                }
                            }
                            return 0
                        }
                    }
                }
            }
        }
        return (NeighborSearch.Neighbors(queryCount: count, k: output, indices: outIndices, scores: outScores), prior, priorScores)
    }

    /// A key whose ascending order is (score ↓, index ↑), the order of a certified list: the score's
    /// bits mapped to an order-preserving UInt32, complemented, above the index (−0 is keyed as +0,
    /// so that equal scores fall back to the index as with a `==` comparison; scores are finite).
    @inline(__always)
    static func descendingKey(_ score: Float, _ index: Int32) -> UInt64 {
        let bits = (score == 0 ? Float(0) : score).bitPattern
        let ordered = bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
        return UInt64(~ordered) << 32 | UInt64(UInt32(bitPattern: index))
    }

    /// The score of a `descendingKey` (−0 comes back as +0).
    @inline(__always)
    static func scoreOf(_ key: UInt64) -> Float {
        let ordered = ~UInt32(truncatingIfNeeded: key >> 32)
        return Float(bitPattern: ordered & 0x8000_0000 != 0 ? ordered & 0x7fff_ffff : ~ordered)
    }

    /// r_col and the column maxima from the workers' top-k lists (as `SimilarityStatistics`).
    private static func mergeColumnStatistics(_ visitors: [OneSweepVisitor], shape: OneSweepVisitor.Shape) -> ([Float], [Float]) {
        let k = shape.columnK
        let merged = SimilarityStatistics.columnMeansAndMaxima(count: shape.columnCount, k: k) { c, pool in
            for v in visitors {
                for i in 0..<Int(v.columnTopFilled[c]) { pool.append(v.columnTop[c * k + i]) }
            }
        }
        return (merged.means, merged.maxima)
    }

    /// Each column's best K entries by upper bound over all workers, with θ = the largest worker
    /// threshold, raised to the K-th bound when the merge drops entries (columns independent:
    /// `threads` workers take contiguous ranges of them).
    private static func mergeBackward(
        _ visitors: [OneSweepVisitor], shape: OneSweepVisitor.Shape, threads: Int
    ) -> ([OneSweepVisitor.Entry], [Int32], [Float]) {
        let n = shape.columnCount, w = shape.backwardK, capacity = 2 * w
        var entries = [OneSweepVisitor.Entry](repeating: .init(bound: 0, index: -1, sim: 0), count: n * w)
        var filled = [Int32](repeating: 0, count: n), theta = [Float](repeating: -.infinity, count: n)
        let sources = visitors.map {
            (back: SharedConstBuffer($0.back), filled: SharedConstBuffer($0.backFilled), threshold: SharedConstBuffer($0.backThreshold))
        }
        entries.withUnsafeMutableBufferPointer { eo in
            filled.withUnsafeMutableBufferPointer { fo in
                theta.withUnsafeMutableBufferPointer { to in
                    let eb = SharedBuffer(eo.baseAddress!), fb = SharedBuffer(fo.baseAddress!), tb = SharedBuffer(to.baseAddress!)
                    _ = WorkerThreads.run(threads: threads, count: n, initial: 0) { _, range in
                        let pool = UnsafeMutablePointer<OneSweepVisitor.Entry>.allocate(capacity: max(1, sources.count * capacity))
                        defer { pool.deallocate() }
                        for c in range {
                            var count = 0
                            var t = -Float.infinity
                            for v in sources {
                                let listCount = Int(v.filled.base[c])
                                (pool + count).initialize(from: v.back.base + c * capacity, count: listCount)
                                count += listCount
                                t = max(t, v.threshold.base[c])
                            }
                            if count > w { t = max(t, OneSweepVisitor.cut(pool, count: &count, k: w)) }
                            (eb.base + c * w).update(from: pool, count: count)
                            fb.base[c] = Int32(count)
                            tb.base[c] = t
                        }
                        return 0
                    }
                }
            }
        }
        return (entries, filled, theta)
    }
}

/// An immutable pointer shared by worker threads.
struct SharedConstBuffer<Element>: @unchecked Sendable {
    let base: UnsafePointer<Element>
    init(_ base: UnsafePointer<Element>) { self.base = base }
}

/// Per-thread state of `OneSweepCandidates`: the current row block's top-k s values and forward
/// buffers, and for every column its top-k s values and backward buffer. A buffer holds up to 2K
/// entries above its threshold, unordered; when it fills it is cut to its best K (by bound, then
/// index) and the threshold becomes the K-th bound, so every entry it drops or refuses has a
/// bound ≤ its final threshold.
final class OneSweepVisitor: TileVisitor {
    /// A kept entry: the upper bound it was ranked by, the other side's index, the tile's s.
    struct Entry {
        var bound: Float, index: Int32, sim: Float

        /// Order of a cut: bound ↓, index ↑.
        static func before(_ a: Entry, _ b: Entry) -> Bool { a.bound > b.bound || (a.bound == b.bound && a.index < b.index) }
    }
    struct Shape {
        var rowK: Int, columnK: Int, forwardK: Int, backwardK: Int, columnCount: Int, rowBlock: Int
        /// Whether rows are screened by `RowScreen` (AVX-512) rather than the SIMD loop: the same
        /// columns either way (the loop stays for CPUs without AVX-512F; tests run both).
        var vectorScreen: Bool
    }
    /// The sweep's `Priors`, as pointers the workers share (read only).
    struct Inputs {
        var rowBound: UnsafePointer<Float>, columnBound: UnsafePointer<Float>
        var rowSeed: UnsafePointer<Float>, columnSeed: UnsafePointer<Float>
        var rowTopSeed: UnsafePointer<Float>, columnTopSeed: UnsafePointer<Float>

        /// Copies of the priors' arrays; the caller deallocates them (`deallocate`).
        init(copying priors: OneSweepCandidates.Priors) {
            func copy(_ values: [Float]) -> UnsafePointer<Float> {
                let p = UnsafeMutablePointer<Float>.allocate(capacity: max(1, values.count))
                p.initialize(from: values, count: values.count)
                return UnsafePointer(p)
            }
            rowBound = copy(priors.rowBound)
            columnBound = copy(priors.columnBound)
            rowSeed = copy(priors.rowSeed)
            columnSeed = copy(priors.columnSeed)
            rowTopSeed = copy(priors.rowTopSeed)
            columnTopSeed = copy(priors.columnTopSeed)
        }

        func deallocate() {
            for p in [rowBound, columnBound, rowSeed, columnSeed, rowTopSeed, columnTopSeed] { p.deallocate() }
        }
    }
    struct Outputs {
        var rowMeans: UnsafeMutablePointer<Float>, rowMaxima: UnsafeMutablePointer<Float>
        var entries: UnsafeMutablePointer<Entry>, filled: UnsafeMutablePointer<Int32>, theta: UnsafeMutablePointer<Float>
    }
    /// For tiles that only estimate s (bfloat16, `BFloat16Tiles`): the fp32 rows that give the exact
    /// s (`BFloat16Tiles.dot`) and each query row's slack (|tile − s| ≤ slack[i]). The screen then
    /// compares tile + slack, an upper bound on s, with every threshold; the lanes that pass are
    /// re-scored (one batch per row) and offered: every entry the exact screen would offer is offered,
    /// with its exact s.
    struct Rescore {
        var queries: UnsafePointer<Float>, targets: UnsafePointer<Float>, dimension: Int, slack: UnsafePointer<Float>
    }

    let shape: Shape, inputs: Inputs, outputs: Outputs
    /// Set for the duration of a bfloat16 sweep; nil: tiles hold the exact s.
    var rescore: Rescore?
    /// A row's lanes that passed the screen (tile columns; rows screened first) and their exact s.
    var pendingColumns = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
    var pendingScores = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    var pendingCapacity = 1
    let rowTop: UnsafeMutablePointer<Float>
    var rowTopFilled: [Int]
    let rows: UnsafeMutablePointer<Entry>
    var rowFilled: [Int]
    var rowThreshold: [Float]
    let columnTop: UnsafeMutablePointer<Float>, columnTopThreshold: UnsafeMutablePointer<Float>
    let columnTopFilled: UnsafeMutablePointer<Int32>
    let back: UnsafeMutablePointer<Entry>
    let backThreshold: UnsafeMutablePointer<Float>, backFilled: UnsafeMutablePointer<Int32>

    init(shape: Shape, inputs: Inputs, outputs: Outputs) {
        self.shape = shape
        self.inputs = inputs
        self.outputs = outputs
        let rowCount = max(1, shape.rowBlock), n = max(1, shape.columnCount)
        rowTop = .allocate(capacity: rowCount * max(1, shape.rowK))
        rowTopFilled = [Int](repeating: 0, count: rowCount)
        rows = .allocate(capacity: rowCount * 2 * shape.forwardK)
        rowFilled = [Int](repeating: 0, count: rowCount)
        rowThreshold = [Float](repeating: -.infinity, count: rowCount)
        columnTop = .allocate(capacity: n * max(1, shape.columnK))
        columnTopThreshold = .allocate(capacity: n)
        columnTopThreshold.initialize(repeating: -.infinity, count: n)
        columnTopThreshold.update(from: inputs.columnTopSeed, count: shape.columnCount)
        columnTopFilled = .allocate(capacity: n)
        columnTopFilled.initialize(repeating: 0, count: n)
        back = .allocate(capacity: n * 2 * shape.backwardK)
        backThreshold = .allocate(capacity: n)
        backThreshold.initialize(from: inputs.columnSeed, count: shape.columnCount)
        backFilled = .allocate(capacity: n)
        backFilled.initialize(repeating: 0, count: n)
    }

    deinit {
        pendingColumns.deallocate()
        pendingScores.deallocate()
        rowTop.deallocate()
        rows.deallocate()
        columnTop.deallocate()
        columnTopThreshold.deallocate()
        columnTopFilled.deallocate()
        back.deallocate()
        backThreshold.deallocate()
        backFilled.deallocate()
    }

    func beginRowBlock(rowStart: Int, rowCount: Int) {
        for i in 0..<rowCount {
            rowTopFilled[i] = 0
            rowFilled[i] = 0
            rowThreshold[i] = inputs.rowSeed[rowStart + i]
        }
    }

    /// Cuts a buffer of `count` > k entries to its best k (by `Entry.before`, a strict total order:
    /// indices in a buffer are distinct), unordered, by quickselect; returns the new threshold (the
    /// k-th best bound, the lowest kept).
    static func cut(_ a: UnsafeMutablePointer<Entry>, count: inout Int, k: Int) -> Float {
        var lo = 0, hi = count - 1
        while lo < hi {
            let pivot = a[lo + (hi - lo) / 2]
            var i = lo, j = hi
            while i <= j {
                while Entry.before(a[i], pivot) { i += 1 }
                while Entry.before(pivot, a[j]) { j -= 1 }
                if i <= j {
                    let t = a[i]
                    a[i] = a[j]
                    a[j] = t
                    i += 1
                    j -= 1
                }
            }
            if k - 1 <= j {
                hi = j
            } else if k - 1 >= i {
                lo = i
            } else {
                break
            }
        }
        count = k
        var lowest = Float.infinity
        for l in 0..<k { lowest = min(lowest, a[l].bound) }
        return lowest
    }

    func visit(tile: UnsafeMutablePointer<Float>, rowStart: Int, rowCount: Int, columnStart: Int, columnCount: Int) {
        typealias Lanes = TopKSelection.Lanes
        let width = TopKSelection.width
        let rowK = shape.rowK, columnK = shape.columnK, fk = shape.forwardK, bk = shape.backwardK
        let two = Lanes(repeating: 2)
        let lc = inputs.columnBound + columnStart
        let cts = columnTopThreshold + columnStart, ctv = backThreshold + columnStart
        let rescore = self.rescore
        // A whole row is screened before it is offered when the tiles are estimates or the CPU runs the
        // vectorised screen (`RowScreen`); otherwise groups of lanes are offered as they are screened.
        let screenFirst = rescore != nil || shape.vectorScreen
        if screenFirst && pendingCapacity < columnCount + RowScreen.padding {
            pendingColumns.deallocate()
            pendingScores.deallocate()
            pendingCapacity = columnCount + RowScreen.padding
            pendingColumns = .allocate(capacity: pendingCapacity)
            pendingScores = .allocate(capacity: pendingCapacity)
        }
        let pendingColumns = self.pendingColumns, pendingScores = self.pendingScores
        for i in 0..<rowCount {
            let row = tile + i * columnCount
            let query = rowStart + i
            // tile + slack ≥ s (0 for exact tiles, where it changes nothing).
            let slack = rescore?.slack[query] ?? 0
            let exactRow = rescore.map { $0.queries + query * $0.dimension }
            let lr = inputs.rowBound[query]
            let top = rowTop + i * rowK
            let buffer = rows + i * 2 * fk
            var topFilled = rowTopFilled[i], filled = rowFilled[i]
            var thrS = max(inputs.rowTopSeed[query], TopKSelection.threshold(top, filled: topFilled, k: rowK))
            var thrU = rowThreshold[i]
            // Offers entry j with its exact s.
            @inline(__always) func offer(_ j: Int, _ s: Float) {
                let c = columnStart + j
                if s > thrS {
                    TopKSelection.insert(s, values: top, filled: &topFilled, k: rowK)
                    thrS = max(thrS, TopKSelection.threshold(top, filled: topFilled, k: rowK))
                }
                if s > cts[j] {
                    var count = Int(columnTopFilled[c])
                    let list = columnTop + c * columnK
                    TopKSelection.insert(s, values: list, filled: &count, k: columnK)
                    columnTopFilled[c] = Int32(count)
                    cts[j] = max(cts[j], TopKSelection.threshold(list, filled: count, k: columnK))
                }
                let u = 2 * s - lc[j]
                if u > thrU {
                    buffer[filled] = Entry(bound: u, index: Int32(truncatingIfNeeded: c), sim: s)
                    filled += 1
                    if filled == 2 * fk { thrU = max(thrU, Self.cut(buffer, count: &filled, k: fk)) }
                }
                let v = 2 * s - lr
                if v > ctv[j] {
                    var count = Int(backFilled[c])
                    let list = back + c * 2 * bk
                    list[count] = Entry(bound: v, index: Int32(truncatingIfNeeded: query), sim: s)
                    count += 1
                    if count == 2 * bk { ctv[j] = max(ctv[j], Self.cut(list, count: &count, k: bk)) }
                    backFilled[c] = Int32(count)
                }
            }
            var j = 0, pending = 0
            if shape.vectorScreen {
                pending = RowScreen.screen(
                    row, count: columnCount, raise: slack, rowS: thrS, rowU: thrU, rowBound: lr, columnBound: lc,
                    columnS: cts, columnV: ctv, into: pendingColumns)
                j = columnCount
            }
            let shift = Lanes(repeating: lr), raise = Lanes(repeating: slack)
            while j + width <= columnCount {
                let s = UnsafeRawPointer(row + j).loadUnaligned(as: Lanes.self) + raise
                let u = two * s - UnsafeRawPointer(lc + j).loadUnaligned(as: Lanes.self)
                let v = two * s - shift
                // Lanes with s > thrS, s > cts, u > thrU or v > ctv (sign bits of the differences: exactly the
                // comparisons, see `TopKSelection.above`); `offer` re-tests each.
                let columnS = UnsafeRawPointer(cts + j).loadUnaligned(as: Lanes.self)
                let columnV = UnsafeRawPointer(ctv + j).loadUnaligned(as: Lanes.self)
                let hit =
                    TopKSelection.above(s, Lanes(repeating: thrS)) | TopKSelection.above(s, columnS)
                    | TopKSelection.above(u, Lanes(repeating: thrU)) | TopKSelection.above(v, columnV)
                var hits = TopKSelection.signBits(hit)
                while hits != 0 {
                    let hitColumn = j + hits.trailingZeroBitCount
                    if !screenFirst {
                        offer(hitColumn, row[hitColumn])
                    } else {
                        pendingColumns[pending] = Int32(truncatingIfNeeded: hitColumn)
                        pending += 1
                    }
                    hits &= hits &- 1
                }
                j += width
            }
            while j < columnCount {
                let s = row[j] + slack
                if s > thrS || s > cts[j] || 2 * s - lc[j] > thrU || 2 * s - lr > ctv[j] {
                    if !screenFirst {
                        offer(j, row[j])
                    } else {
                        pendingColumns[pending] = Int32(truncatingIfNeeded: j)
                        pending += 1
                    }
                }
                j += 1
            }
            // A row screened first: the whole row was screened with the thresholds it started with (looser
            // than the running ones, so nothing is missed). bfloat16 tiles score the lanes that passed in one
            // batch (the target rows are scattered: prefetched ahead); then they are offered in column order.
            if let rescore, let exactRow, pending > 0 {
                BFloat16Tiles.dots(
                    exactRow, rescore.targets + columnStart * rescore.dimension, rescore.dimension, rows: pendingColumns,
                    count: pending, into: pendingScores)
                for h in 0..<pending { offer(Int(pendingColumns[h]), pendingScores[h]) }
            } else if screenFirst {
                for h in 0..<pending {
                    let column = Int(pendingColumns[h])
                    offer(column, row[column])
                }
            }
            rowTopFilled[i] = topFilled
            rowFilled[i] = filled
            rowThreshold[i] = thrU
        }
    }

    func endRowBlock(rowStart: Int, rowCount: Int) {
        let rowK = shape.rowK, fk = shape.forwardK
        for i in 0..<rowCount {
            let q = rowStart + i
            let count = min(rowTopFilled[i], rowK)
            var sum = 0.0
            for l in 0..<count { sum += Double(rowTop[i * rowK + l]) }
            outputs.rowMeans[q] = count > 0 ? Float(sum / Double(count)) : 0
            outputs.rowMaxima[q] = count > 0 ? rowTop[i * rowK] : -.infinity
            var filled = rowFilled[i], theta = rowThreshold[i]
            let buffer = rows + i * 2 * fk
            if filled > fk { theta = max(theta, Self.cut(buffer, count: &filled, k: fk)) }
            (outputs.entries + q * fk).update(from: buffer, count: filled)
            outputs.filled[q] = Int32(filled)
            outputs.theta[q] = theta
        }
    }
}
