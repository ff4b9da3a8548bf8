/// VecMap's initial CSLS dictionary (forward and backward argmax of M − (r_f/2 + r_b/2), M = X′·Z′ᵀ)
/// without the n × n × n product, exactly (same argmaxes as the dense matrix of the same dot
/// products), by certified bounds from a low-rank sketch.
///
/// The rows of X′ and Z′ (n × n: sorted, normalised similarity rows) are smooth monotone curves,
/// so they lie close to a low-dimensional subspace. With P (r × n, orthonormal rows: the right
/// r/2 evenly spaced rows of each side, orthonormalised), a = P x, ρ = ‖x − Pᵀa‖ (and b, σ for
/// z), x·z = a·b + (residual · residual), so |x·z − a·b| ≤ ρ·σ (+ `margin` for rounding and the
/// float orthonormality of P). On fi–fr at n = 4,000, r = 64: median ρ ≈ 0.05, a row's top-10
/// has ≈ 15 candidates (max 45) and its CSLS argmax ≈ 2.5 (max 20).
///
/// - r_f(i): the 10th largest lower bound τ of row i; only the j with upper bound ≥ τ can be among
///   its k largest (every other entry is below k entries); those are scored exactly.
/// - The argmax of c_ij = s_ij − (r_f(i)/2 + r_b(j)/2) over j: only the j whose upper bound on c
///   reaches the largest lower bound; scored exactly in increasing j with a strict `>` (first
///   index on ties, as numpy). Columns the same with the roles swapped (the same fp32 dot and
///   penalty expressions, so both directions see the same c_ij).
///
/// Exact values are `exactDot` dot products of the n-vectors (not the GEMM's: the rounding differs
/// by a few ulps). Cost: two n × n × r products and one n × n × r sketch product instead of
/// n × n × n; memory: the n × n sketch. Rows and columns are bounded from the same sketch in the
/// same row passes (columns through per-worker lists merged afterwards), so no transpose is formed.
enum LowRankCSLSDictionary {
    /// One worker's share of the top-k stage's exact scores: per row of its range, how many entries
    /// it scored; their columns (increasing within a row) and s; and the (j << 32 | i, s) of the
    /// entries that are column candidates.
    struct ScoredPart: Sendable {
        var rowCounts: [Int] = []
        var columns: [Int32] = []
        var values: [Float] = []
        var columnPairs: [UInt64] = []
        var columnValues: [Float] = []
    }

    /// The exact s_ij of the entries the top-k stage scored, by row: row i's are
    /// `columns[starts[i] ..< starts[i + 1]]` (increasing) with their s in `values`. The argmax stage
    /// looks its candidates up here (most of them were scored) before computing a dot product.
    struct ScoredPairs: Sendable {
        var starts: [Int]
        var columns: [Int32]
        var values: [Float]

        /// s_ij if (i, j) was scored.
        func value(_ i: Int, _ j: Int) -> Float? {
            var lo = starts[i], hi = starts[i + 1]
            let target = Int32(j)
            while lo < hi {
                let mid = (lo + hi) / 2
                if columns[mid] < target { lo = mid + 1 } else { hi = mid }
            }
            return lo < starts[i + 1] && columns[lo] == target ? values[lo] : nil
        }
    }

    /// Added to every bound: the float error of a·b, of ρ from 1 − ‖a‖², and of P's orthonormality
    /// (≈ 1e-6 each), with room to spare.
    static let margin: Float = 1e-4
    /// Added to a screened bound (`BoundScreen`) so the screen passes a superset of the entries the
    /// exact comparison after it keeps, whatever the rounding of the screen's arithmetic.
    static let screenSlack: Float = 1e-6

    /// (forward: argmax_j for every row i, backward: argmax_i for every column j) of the CSLS matrix
    /// of X′·Z′ᵀ (`xs`, `zs`: n × c each, same c; k ≥ 1 the CSLS neighbourhood, clamped to n; the
    /// sketch's rank is clamped to [2, min(n, c)]). `stages` hears `sketch`, `top-k means` and
    /// `CSLS argmax` as they end. Nil when the sample rows are all zero (no basis: use the dense product).
    static func argmaxes(
        xs: Matrix, zs: Matrix, k: Int, rank: Int, threads: Int, stages: ((String) -> Void)? = nil
    ) throws -> (forward: [Int], backward: [Int])? {
        let n = xs.rows, c = xs.cols
        let r = max(2, min(rank, n, c))
        let half = r / 2
        var sample = [Float](repeating: 0, count: r * c)
        for l in 0..<r {
            let fromX = l < half
            let count = fromX ? half : r - half
            let row = ((fromX ? l : l - half) * n) / count
            let m = fromX ? xs : zs
            for j in 0..<c { sample[l * c + j] = m.storage[row * c + j] }
        }
        let basis = orthonormalRows(sample, rows: r, cols: c)
        guard basis.rows > 0 else { return nil }
        stages?("sketch basis")
        let a = try Matrix.product(xs, basis, transposeB: true), b = try Matrix.product(zs, basis, transposeB: true)
        let rho = residualNorms(xs, a, threads: threads), sigma = residualNorms(zs, b, threads: threads)
        let sketch = try Matrix.product(a, b, transposeB: true)
        stages?("sketch")
        let kk = max(1, min(k, n))
        let (rowMeans, columnMeans, scored) = topKMeans(
            sketch: sketch, left: xs, right: zs, rho: rho, sigma: sigma, k: kk, threads: threads)
        stages?("top-k means")
        let (forward, backward) = argmax(
            sketch: sketch, left: xs, right: zs, rho: rho, sigma: sigma, rowMeans: rowMeans, columnMeans: columnMeans,
            scored: scored, threads: threads)
        stages?("CSLS argmax")
        return (forward, backward)
    }

    /// x · y over `count` floats: two independent 8-lane partial sums (l mod 16), added, then the
    /// tail; the same arithmetic for both directions (and in `exactDots`), so s_ij is one value.
    @inline(__always)
    static func exactDot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ count: Int) -> Float {
        typealias V = SIMD8<Float>
        var s0 = V.zero, s1 = V.zero
        var l = 0
        while l + 16 <= count {
            s0 += UnsafeRawPointer(x + l).loadUnaligned(as: V.self) * UnsafeRawPointer(y + l).loadUnaligned(as: V.self)
            s1 += UnsafeRawPointer(x + l + 8).loadUnaligned(as: V.self) * UnsafeRawPointer(y + l + 8).loadUnaligned(as: V.self)
            l += 16
        }
        var total = (s0 + s1).sum()
        while l < count {
            total += x[l] * y[l]
            l += 1
        }
        return total
    }

    /// (x · y, x · w), each bit-identical to `exactDot`: the two rows are streamed together (two
    /// memory streams at once: the candidates' rows are scattered, so the loads dominate).
    @inline(__always)
    static func exactDots(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ count: Int) -> (Float, Float) {
        typealias V = SIMD8<Float>
        var s0 = V.zero, s1 = V.zero, t0 = V.zero, t1 = V.zero
        var l = 0
        while l + 16 <= count {
            let x0 = UnsafeRawPointer(x + l).loadUnaligned(as: V.self), x1 = UnsafeRawPointer(x + l + 8).loadUnaligned(as: V.self)
            s0 += x0 * UnsafeRawPointer(y + l).loadUnaligned(as: V.self)
            t0 += x0 * UnsafeRawPointer(w + l).loadUnaligned(as: V.self)
            s1 += x1 * UnsafeRawPointer(y + l + 8).loadUnaligned(as: V.self)
            t1 += x1 * UnsafeRawPointer(w + l + 8).loadUnaligned(as: V.self)
            l += 16
        }
        var a = (s0 + s1).sum(), b = (t0 + t1).sum()
        while l < count {
            a += x[l] * y[l]
            b += x[l] * w[l]
            l += 1
        }
        return (a, b)
    }

    /// Orthonormal rows spanning the `rows` × `cols` sample (modified Gram–Schmidt in Double, two
    /// passes; a row left with less than 1e-3 of its norm is dropped): r′ × cols, r′ ≤ rows.
    static func orthonormalRows(_ sample: [Float], rows: Int, cols: Int) -> Matrix {
        var basis = [Double](repeating: 0, count: rows * cols), v = [Double](repeating: 0, count: cols)
        var kept = 0
        basis.withUnsafeMutableBufferPointer { bp in
            v.withUnsafeMutableBufferPointer { vp in
                let b = bp.baseAddress!, x = vp.baseAddress!
                for l in 0..<rows {
                    for j in 0..<cols { x[j] = Double(sample[l * cols + j]) }
                    let initial = SIMDDot.dot(x, x, cols).squareRoot()
                    guard initial > 0 else { continue }
                    for _ in 0..<2 {
                        for q in 0..<kept {
                            let d = SIMDDot.dot(b + q * cols, x, cols)
                            for j in 0..<cols { x[j] -= d * b[q * cols + j] }
                        }
                    }
                    let norm = SIMDDot.dot(x, x, cols).squareRoot()
                    if norm > 1e-3 * initial {
                        for j in 0..<cols { b[kept * cols + j] = x[j] / norm }
                        kept += 1
                    }
                }
            }
        }
        var out = Matrix(rows: kept, cols: cols)
        for e in 0..<(kept * cols) { out.storage[e] = Float(basis[e]) }
        return out
    }

    /// ‖x_i − Pᵀa_i‖ = √(‖x_i‖² − ‖a_i‖²) (P orthonormal), in Double, with a floor of 1e-5 under the
    /// square root for the cancellation. Rows are split over `threads` (each row's sum in index order,
    /// so the result does not depend on the thread count).
    static func residualNorms(_ x: Matrix, _ a: Matrix, threads: Int = 1) -> [Float] {
        guard x.rows > 0 else { return [] }
        precondition(x.cols > 0 && a.cols > 0, "residual norms need at least one column")
        var out = [Float](repeating: 0, count: x.rows)
        let xc = x.cols, ac = a.cols
        x.storage.withUnsafeBufferPointer { xp in
            a.storage.withUnsafeBufferPointer { ap in
                out.withUnsafeMutableBufferPointer { op in
                    let xb = SharedConstBuffer(xp.baseAddress!), ab = SharedConstBuffer(ap.baseAddress!), o = SharedBuffer(op.baseAddress!)
                    _ = WorkerThreads.run(threads: threads, count: x.rows, initial: 0) { _, range in
                        for i in range {
                            let xx = SIMDDot.sumOfSquares(xb.base + i * xc, count: xc),
                                aa = SIMDDot.sumOfSquares(ab.base + i * ac, count: ac)
                            o.base[i] = Float((max(0, xx - aa) + 1e-5).squareRoot())
                        }
                        return 0
                    }
                }
            }
        }
        return out
    }

    /// The mean of each row's and of each column's k largest exact s (fp32 sum in descending order, as
    /// `VecMapInitialization.topKMeans`), and the exact s of every entry it scored. Pass 1 over the
    /// sketch's rows: τ = the k-th largest lower bound of every row, and of every column (per-worker
    /// top-k lists, merged); pass 2: every entry whose upper bound reaches its row's τ or its
    /// column's is scored once (`exactDots`, while the row is in cache); rows take their means at
    /// once, columns from the (j, i, s) their entries left.
    private static func topKMeans(
        sketch: Matrix, left: Matrix, right: Matrix, rho: [Float], sigma: [Float], k: Int, threads: Int
    ) -> (rows: [Float], columns: [Float], scored: ScoredPairs) {
        let n = sketch.rows, m = sketch.cols, c = left.cols
        var scored = ScoredPairs(starts: [0], columns: [], values: [])
        var rowMeans = [Float](repeating: 0, count: n), rowTau = [Float](repeating: 0, count: n)
        var columnTau = [Float](repeating: -.infinity, count: m), columnMeans = [Float](repeating: 0, count: m)
        withSharedInputs(left, right, rho, sigma) { l, rt, rh, sg in
            // Pass 1: every row's τ, and every column's from the workers' lists.
            let lists = rowTau.withUnsafeMutableBufferPointer { tp in
                let tau = SharedBuffer(tp.baseAddress!)
                return forEachSketchRow(sketch, threads: threads, initial: [Float]()) { range, row in
                    // This worker's column lists: descending, `k` slots each (−∞ padded).
                    var columns = [Float](repeating: -.infinity, count: m * k)
                    columns.withUnsafeMutableBufferPointer { cp in
                        let lists = cp.baseAddress!
                        let filled = UnsafeMutablePointer<Int>.allocate(capacity: m)
                        let thresholds = UnsafeMutablePointer<Float>.allocate(capacity: m)
                        let top = UnsafeMutablePointer<Float>.allocate(capacity: k)
                        let passing = UnsafeMutablePointer<Int32>.allocate(capacity: m + BoundScreen.padding)
                        filled.initialize(repeating: 0, count: m)
                        thresholds.initialize(repeating: -.infinity, count: m)
                        defer {
                            filled.deallocate()
                            thresholds.deallocate()
                            top.deallocate()
                            passing.deallocate()
                        }
                        for i in range {
                            let s = row(i), r = rh.base[i]
                            var count = 0
                            func offer(_ j: Int) {
                                let lo = s[j] - (r * sg.base[j] + margin)
                                if count < k || lo > top[k - 1] { TopKSelection.insert(lo, values: top, filled: &count, k: k) }
                                if lo > thresholds[j] {
                                    TopKSelection.insert(lo, values: lists + j * k, filled: &filled[j], k: k)
                                    thresholds[j] = TopKSelection.threshold(lists + j * k, filled: filled[j], k: k)
                                }
                            }
                            // The first k fill the row's list; the rest are screened against the
                            // thresholds they start with (lo = s + ((−r)·σ + (−margin)), the same bits).
                            let head = min(k, m)
                            for j in 0..<head { offer(j) }
                            let hits = BoundScreen.screen(
                                s + head, sigma: sg.base + head, offsets: nil, count: m - head, r: -r, add: -margin,
                                rowThreshold: count < k ? -.infinity : top[k - 1], columnThresholds: thresholds + head, slack: screenSlack,
                                into: passing)
                            for q in 0..<hits { offer(head + Int(passing[q])) }
                            tau[i] = top[k - 1]
                        }
                    }
                    return columns
                }
            }
            var pool: [Float] = []
            for j in 0..<m {
                pool.removeAll(keepingCapacity: true)
                for list in lists { pool.append(contentsOf: list[(j * k)..<((j + 1) * k)]) }
                pool.sort(by: >)
                columnTau[j] = pool[k - 1]
            }
            // Pass 2: every entry whose upper bound reaches its row's τ or its column's is scored
            // once, exactly, while the row is in cache; rows take their means at once, columns
            // collect (j, i, s) and take theirs afterwards.
            let rowBound = rowTau, columnBound = columnTau
            let parts = rowMeans.withUnsafeMutableBufferPointer { op in
                let o = SharedBuffer(op.baseAddress!)
                return forEachSketchRow(sketch, threads: threads, initial: ScoredPart()) { range, row in
                    let top = UnsafeMutablePointer<Float>.allocate(capacity: k)
                    let flags = UnsafeMutablePointer<UInt8>.allocate(capacity: m)
                    let passing = UnsafeMutablePointer<Int32>.allocate(capacity: m + BoundScreen.padding)
                    defer {
                        top.deallocate()
                        flags.deallocate()
                        passing.deallocate()
                    }
                    var part = ScoredPart()
                    rowBound.withUnsafeBufferPointer { rb in
                        columnBound.withUnsafeBufferPointer { cb in
                            for i in range {
                                let s = row(i), r = rh.base[i], tau = rb[i], first = part.columns.count
                                let hits = BoundScreen.screen(
                                    s, sigma: sg.base, offsets: nil, count: m, r: r, add: margin, rowThreshold: tau,
                                    columnThresholds: cb.baseAddress!, slack: screenSlack, into: passing)
                                for q in 0..<hits {
                                    let j = Int(passing[q])
                                    let up = s[j] + (r * sg.base[j] + margin)
                                    let flag = (up >= tau ? 1 : 0) | (up >= cb[j] ? 2 : 0) as UInt8
                                    if flag != 0 {
                                        flags[part.columns.count - first] = flag
                                        part.columns.append(Int32(j))
                                    }
                                }
                                let count = part.columns.count - first
                                part.rowCounts.append(count)
                                var filled = 0, q = 0
                                let x = l.base + i * c
                                while q < count {
                                    let j0 = Int(part.columns[first + q])
                                    if q + 1 < count {
                                        let (v, w) = exactDots(x, rt.base + j0 * c, rt.base + Int(part.columns[first + q + 1]) * c, c)
                                        part.values.append(v)
                                        part.values.append(w)
                                    } else {
                                        part.values.append(exactDot(x, rt.base + j0 * c, c))
                                    }
                                    q += 2
                                }
                                for q in 0..<count {
                                    let v = part.values[first + q]
                                    if flags[q] & 1 != 0, filled < k || v > top[k - 1] {
                                        TopKSelection.insert(v, values: top, filled: &filled, k: k)
                                    }
                                    if flags[q] & 2 != 0 {
                                        part.columnPairs.append(UInt64(part.columns[first + q]) << 32 | UInt64(i))
                                        part.columnValues.append(v)
                                    }
                                }
                                var sum: Float = 0
                                for q in 0..<k { sum += top[q] }
                                o.base[i] = sum / Float(k)
                            }
                        }
                    }
                    return part
                }
            }
            // Columns: the mean of each column's k largest collected s (fp32 sum in descending order).
            let (starts, order) = positionsByColumn(parts.flatMap(\.columnPairs), columns: m)
            let values = parts.flatMap(\.columnValues)
            let top = UnsafeMutablePointer<Float>.allocate(capacity: k)
            defer { top.deallocate() }
            for j in 0..<m {
                var filled = 0
                for q in starts[j]..<starts[j + 1] {
                    let v = values[order[q]]
                    if filled < k || v > top[k - 1] { TopKSelection.insert(v, values: top, filled: &filled, k: k) }
                }
                var sum: Float = 0
                for q in 0..<k { sum += top[q] }
                columnMeans[j] = sum / Float(k)
            }
            var rowStarts = [0]
            rowStarts.reserveCapacity(n + 1)
            for part in parts { for count in part.rowCounts { rowStarts.append(rowStarts.last! + count) } }
            scored = ScoredPairs(starts: rowStarts, columns: parts.flatMap(\.columns), values: parts.flatMap(\.values))
        }
        return (rowMeans, columnMeans, scored)
    }

    /// argmax_j of c_ij = s_ij − (rowMeans[i]/2 + columnMeans[j]/2) for every row i and argmax_i for every
    /// column j (first index on ties). Pass 1: each row's and (per worker, merged) each column's largest
    /// lower bound on c; pass 2: the entries whose upper bound reaches their row's, scored exactly in
    /// increasing j, and those reaching their column's, collected by column and scored in increasing i
    /// (exact dots with the column's row first, as a transposed pass would).
    private static func argmax(
        sketch: Matrix, left: Matrix, right: Matrix, rho: [Float], sigma: [Float], rowMeans: [Float], columnMeans: [Float],
        scored: ScoredPairs, threads: Int
    ) -> (forward: [Int], backward: [Int]) {
        let n = sketch.rows, m = sketch.cols, c = left.cols
        let rowHalves = rowMeans.map { $0 / 2 }, columnHalves = columnMeans.map { $0 / 2 }
        var forward = [Int](repeating: 0, count: n), backward = [Int](repeating: 0, count: m)
        withSharedInputs(left, right, rho, sigma) { l, rt, rh, sg in
            rowHalves.withUnsafeBufferPointer { rhp in
                columnHalves.withUnsafeBufferPointer { chp in
                    let rowHalf = SharedConstBuffer(rhp.baseAddress!), columnHalf = SharedConstBuffer(chp.baseAddress!)
                    // Pass 1: the largest lower bound on c of every row and (per worker, merged) column.
                    var rowBest = [Float](repeating: -.infinity, count: n)
                    let parts = rowBest.withUnsafeMutableBufferPointer { bp in
                        let best = SharedBuffer(bp.baseAddress!)
                        return forEachSketchRow(sketch, threads: threads, initial: [Float]()) { range, row in
                            var columns = [Float](repeating: -.infinity, count: m)
                            columns.withUnsafeMutableBufferPointer { cp in
                                for i in range {
                                    // v = s − (r·σ + margin) − (own + half_j), as s + ((−r)·σ + (−margin)) − …: the same bits.
                                    best[i] = BoundScreen.maximum(
                                        row(i), sigma: sg.base, offsets: columnHalf.base, count: m, r: -rh.base[i], add: -margin,
                                        own: rowHalf.base[i], columnMax: cp.baseAddress!)
                                }
                            }
                            return columns
                        }
                    }
                    var columnBest = [Float](repeating: -.infinity, count: m)
                    for part in parts { for j in 0..<m { columnBest[j] = max(columnBest[j], part[j]) } }
                    // Pass 2: rows scored at once (increasing j, strict >), column candidates collected.
                    let rowBound = rowBest, columnBound = columnBest
                    let pairs = forward.withUnsafeMutableBufferPointer { op in
                        let o = SharedBuffer(op.baseAddress!)
                        return forEachSketchRow(sketch, threads: threads, initial: [UInt64]()) { range, row in
                            var pairs: [UInt64] = []
                            let passing = UnsafeMutablePointer<Int32>.allocate(capacity: m + BoundScreen.padding)
                            defer { passing.deallocate() }
                            rowBound.withUnsafeBufferPointer { rb in
                                columnBound.withUnsafeBufferPointer { cb in
                                    for i in range {
                                        let s = row(i), r = rh.base[i], own = rowHalf.base[i], bound = rb[i]
                                        var best = -Float.infinity, arg = 0
                                        let hits = BoundScreen.screen(
                                            s, sigma: sg.base, offsets: columnHalf.base, count: m, r: r, add: margin, own: own,
                                            rowThreshold: bound, columnThresholds: cb.baseAddress!, slack: screenSlack, into: passing)
                                        for q in 0..<hits {
                                            let j = Int(passing[q])
                                            let up = s[j] + (r * sg.base[j] + margin) - (own + columnHalf.base[j])
                                            if up >= bound {
                                                let exact = scored.value(i, j) ?? exactDot(l.base + i * c, rt.base + j * c, c)
                                                let v = exact - (own + columnHalf.base[j])
                                                if v > best {
                                                    best = v
                                                    arg = j
                                                }
                                            }
                                            if up >= cb[j] { pairs.append(UInt64(j) << 32 | UInt64(i)) }
                                        }
                                        o.base[i] = arg
                                    }
                                }
                            }
                            return pairs
                        }
                    }
                    // Columns: candidates in increasing i (strict >: the first on ties), the column's row first.
                    let (starts, rows) = byColumn(pairs, columns: m)
                    backward.withUnsafeMutableBufferPointer { op in
                        let o = SharedBuffer(op.baseAddress!)
                        _ = WorkerThreads.run(threads: threads, count: m, initial: 0) { _, range in
                            for j in range {
                                let own = columnHalf.base[j]
                                var best = -Float.infinity, arg = 0
                                for q in starts[j]..<starts[j + 1] {
                                    let i = rows[q]
                                    let exact = scored.value(i, j) ?? exactDot(rt.base + j * c, l.base + i * c, c)
                                    let v = exact - (own + rowHalf.base[i])
                                    if v > best {
                                        best = v
                                        arg = i
                                    }
                                }
                                o.base[j] = arg
                            }
                            return 0
                        }
                    }
                }
            }
        }
        return (forward, backward)
    }

    /// `body` with shared read-only pointers to the rows of `left`, `right` and to ρ, σ.
    private static func withSharedInputs(
        _ left: Matrix, _ right: Matrix, _ rho: [Float], _ sigma: [Float],
        _ body: (SharedConstBuffer<Float>, SharedConstBuffer<Float>, SharedConstBuffer<Float>, SharedConstBuffer<Float>) -> Void
    ) {
        left.storage.withUnsafeBufferPointer { lp in
            right.storage.withUnsafeBufferPointer { rp in
                rho.withUnsafeBufferPointer { hp in
                    sigma.withUnsafeBufferPointer { sp in
                        body(
                            SharedConstBuffer(lp.baseAddress!), SharedConstBuffer(rp.baseAddress!), SharedConstBuffer(hp.baseAddress!),
                            SharedConstBuffer(sp.baseAddress!))
                    }
                }
            }
        }
    }

    /// Runs `body(rows, row)` over contiguous ranges of the sketch's rows on `threads` workers (`row(i)`:
    /// a pointer to row i) and returns each worker's result in range order.
    private static func forEachSketchRow<R: Sendable>(
        _ sketch: Matrix, threads: Int, initial: R,
        _ body: @escaping @Sendable (Range<Int>, (Int) -> UnsafePointer<Float>) -> R
    ) -> [R] {
        let m = sketch.cols
        return sketch.storage.withUnsafeBufferPointer { sp in
            let s = SharedConstBuffer(sp.baseAddress!)
            return WorkerThreads.run(threads: threads, count: sketch.rows, initial: initial) { _, range in
                body(range) { s.base + $0 * m }
            }
        }
    }

    /// (column j's pairs are pairs[order[starts[j] ..< starts[j + 1]]]) for (j << 32 | i) pairs listed
    /// in increasing i: a stable counting sort by column of their positions.
    private static func positionsByColumn(_ pairs: [UInt64], columns m: Int) -> (starts: [Int], order: [Int]) {
        var starts = [Int](repeating: 0, count: m + 1)
        for p in pairs { starts[Int(p >> 32) + 1] += 1 }
        for j in 0..<m { starts[j + 1] += starts[j] }
        var next = Array(starts.prefix(m))
        var order = [Int](repeating: 0, count: pairs.count)
        for (q, p) in pairs.enumerated() {
            let j = Int(p >> 32)
            order[next[j]] = q
            next[j] += 1
        }
        return (starts, order)
    }

    /// (column j's entries are rows[starts[j] ..< starts[j + 1]]) from (j << 32 | i) pairs listed in
    /// increasing i within each worker's part, parts in range order: a stable counting sort, so every
    /// column's rows come out increasing.
    private static func byColumn(_ parts: [[UInt64]], columns m: Int) -> (starts: [Int], rows: [Int]) {
        let pairs = parts.flatMap { $0 }
        let (starts, order) = positionsByColumn(pairs, columns: m)
        return (starts, order.map { Int(pairs[$0] & 0xffff_ffff) })
    }
}
