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
    /// Added to every bound: the float error of a·b, of ρ from 1 − ‖a‖², and of P's orthonormality
    /// (≈ 1e-6 each), with room to spare.
    static let margin: Float = 1e-4

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
        let (rowMeans, columnMeans) = topKMeans(sketch: sketch, left: xs, right: zs, rho: rho, sigma: sigma, k: kk, threads: threads)
        stages?("top-k means")
        let (forward, backward) = argmax(
            sketch: sketch, left: xs, right: zs, rho: rho, sigma: sigma, rowMeans: rowMeans, columnMeans: columnMeans, threads: threads)
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
        var basis: [[Double]] = []
        for l in 0..<rows {
            var v = (0..<cols).map { Double(sample[l * cols + $0]) }
            let initial = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard initial > 0 else { continue }
            for _ in 0..<2 {
                for q in basis {
                    var d = 0.0
                    for j in 0..<cols { d += q[j] * v[j] }
                    for j in 0..<cols { v[j] -= d * q[j] }
                }
            }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if norm > 1e-3 * initial { basis.append(v.map { $0 / norm }) }
        }
        var out = Matrix(rows: basis.count, cols: cols)
        for (l, q) in basis.enumerated() { for j in 0..<cols { out.storage[l * cols + j] = Float(q[j]) } }
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
                            var xx = 0.0, aa = 0.0
                            for j in 0..<xc { xx += Double(xb.base[i * xc + j]) * Double(xb.base[i * xc + j]) }
                            for j in 0..<ac { aa += Double(ab.base[i * ac + j]) * Double(ab.base[i * ac + j]) }
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
    /// `VecMapInitialization.topKMeans`). Pass 1 over the sketch's rows: τ = the k-th largest lower
    /// bound of every row, and of every column (per-worker top-k lists, merged); pass 2: the entries
    /// whose upper bound reaches their row's τ are scored exactly at once, those reaching their
    /// column's τ are collected by column and scored exactly per column (exact dots with the column's
    /// row first, as a transposed pass would).
    private static func topKMeans(
        sketch: Matrix, left: Matrix, right: Matrix, rho: [Float], sigma: [Float], k: Int, threads: Int
    ) -> (rows: [Float], columns: [Float]) {
        let n = sketch.rows, m = sketch.cols, c = left.cols
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
                        filled.initialize(repeating: 0, count: m)
                        thresholds.initialize(repeating: -.infinity, count: m)
                        defer {
                            filled.deallocate()
                            thresholds.deallocate()
                            top.deallocate()
                        }
                        for i in range {
                            let s = row(i), r = rh.base[i]
                            var count = 0
                            for j in 0..<m {
                                let lo = s[j] - (r * sg.base[j] + margin)
                                if count < k || lo > top[k - 1] { TopKSelection.insert(lo, values: top, filled: &count, k: k) }
                                if lo > thresholds[j] {
                                    TopKSelection.insert(lo, values: lists + j * k, filled: &filled[j], k: k)
                                    thresholds[j] = TopKSelection.threshold(lists + j * k, filled: filled[j], k: k)
                                }
                            }
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
            // Pass 2: rows scored at once, column candidates collected.
            let rowBound = rowTau, columnBound = columnTau
            let pairs = rowMeans.withUnsafeMutableBufferPointer { op in
                let o = SharedBuffer(op.baseAddress!)
                return forEachSketchRow(sketch, threads: threads, initial: [UInt64]()) { range, row in
                    let top = UnsafeMutablePointer<Float>.allocate(capacity: k)
                    let candidates = UnsafeMutablePointer<Int>.allocate(capacity: m)
                    defer {
                        top.deallocate()
                        candidates.deallocate()
                    }
                    var pairs: [UInt64] = []
                    rowBound.withUnsafeBufferPointer { rb in
                        columnBound.withUnsafeBufferPointer { cb in
                            for i in range {
                                let s = row(i), r = rh.base[i], tau = rb[i]
                                var count = 0
                                for j in 0..<m {
                                    let up = s[j] + (r * sg.base[j] + margin)
                                    if up >= tau {
                                        candidates[count] = j
                                        count += 1
                                    }
                                    if up >= cb[j] { pairs.append(UInt64(j) << 32 | UInt64(i)) }
                                }
                                o.base[i] = exactTopKMean(l.base + i * c, rt.base, candidates, count, c, top, k)
                            }
                        }
                    }
                    return pairs
                }
            }
            // Columns: their candidates in increasing i, scored with the column's row first.
            let (starts, rows) = byColumn(pairs, columns: m)
            columnMeans.withUnsafeMutableBufferPointer { op in
                let o = SharedBuffer(op.baseAddress!)
                _ = WorkerThreads.run(threads: threads, count: m, initial: 0) { _, range in
                    let top = UnsafeMutablePointer<Float>.allocate(capacity: k)
                    defer { top.deallocate() }
                    rows.withUnsafeBufferPointer { cp in
                        for j in range {
                            o.base[j] = exactTopKMean(
                                rt.base + j * c, l.base, cp.baseAddress! + starts[j], starts[j + 1] - starts[j], c, top, k)
                        }
                    }
                    return 0
                }
            }
        }
        return (rowMeans, columnMeans)
    }

    /// The mean of the k largest x · others[candidates[q]] (the candidates hold them all), fp32 sum in
    /// descending order; dots two at a time (`exactDots`).
    @inline(__always)
    private static func exactTopKMean(
        _ x: UnsafePointer<Float>, _ others: UnsafePointer<Float>, _ candidates: UnsafePointer<Int>, _ count: Int, _ c: Int,
        _ top: UnsafeMutablePointer<Float>, _ k: Int
    ) -> Float {
        var filled = 0, q = 0
        while q < count {
            if q + 1 < count {
                let (v, w) = exactDots(x, others + candidates[q] * c, others + candidates[q + 1] * c, c)
                if filled < k || v > top[k - 1] { TopKSelection.insert(v, values: top, filled: &filled, k: k) }
                if filled < k || w > top[k - 1] { TopKSelection.insert(w, values: top, filled: &filled, k: k) }
            } else {
                let v = exactDot(x, others + candidates[q] * c, c)
                if filled < k || v > top[k - 1] { TopKSelection.insert(v, values: top, filled: &filled, k: k) }
            }
            q += 2
        }
        var sum: Float = 0
        for q in 0..<k { sum += top[q] }
        return sum / Float(k)
    }

    /// argmax_j of c_ij = s_ij − (rowMeans[i]/2 + columnMeans[j]/2) for every row i and argmax_i for every
    /// column j (first index on ties). Pass 1: each row's and (per worker, merged) each column's largest
    /// lower bound on c; pass 2: the entries whose upper bound reaches their row's, scored exactly in
    /// increasing j, and those reaching their column's, collected by column and scored in increasing i
    /// (exact dots with the column's row first, as a transposed pass would).
    private static func argmax(
        sketch: Matrix, left: Matrix, right: Matrix, rho: [Float], sigma: [Float], rowMeans: [Float], columnMeans: [Float],
        threads: Int
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
                                    let s = row(i), r = rh.base[i], own = rowHalf.base[i]
                                    var lower = -Float.infinity
                                    for j in 0..<m {
                                        let v = s[j] - (r * sg.base[j] + margin) - (own + columnHalf.base[j])
                                        lower = max(lower, v)
                                        cp[j] = max(cp[j], v)
                                    }
                                    best[i] = lower
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
                            rowBound.withUnsafeBufferPointer { rb in
                                columnBound.withUnsafeBufferPointer { cb in
                                    for i in range {
                                        let s = row(i), r = rh.base[i], own = rowHalf.base[i], bound = rb[i]
                                        var best = -Float.infinity, arg = 0
                                        for j in 0..<m {
                                            let up = s[j] + (r * sg.base[j] + margin) - (own + columnHalf.base[j])
                                            if up >= bound {
                                                let v = exactDot(l.base + i * c, rt.base + j * c, c) - (own + columnHalf.base[j])
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
                                    let v = exactDot(rt.base + j * c, l.base + i * c, c) - (own + rowHalf.base[i])
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

    /// (column j's entries are rows[starts[j] ..< starts[j + 1]]) from (j << 32 | i) pairs listed in
    /// increasing i within each worker's part, parts in range order: a stable counting sort, so every
    /// column's rows come out increasing.
    private static func byColumn(_ parts: [[UInt64]], columns m: Int) -> (starts: [Int], rows: [Int]) {
        var starts = [Int](repeating: 0, count: m + 1)
        for part in parts { for p in part { starts[Int(p >> 32) + 1] += 1 } }
        for j in 0..<m { starts[j + 1] += starts[j] }
        var next = Array(starts.prefix(m))
        var rows = [Int](repeating: 0, count: starts[m])
        for part in parts {
            for p in part {
                let j = Int(p >> 32)
                rows[next[j]] = Int(p & 0xffff_ffff)
                next[j] += 1
            }
        }
        return (starts, rows)
    }
}
