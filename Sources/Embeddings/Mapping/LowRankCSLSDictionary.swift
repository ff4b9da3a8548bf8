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
/// n × n × n; memory: the n × n sketch (and its transpose).
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
        let rho = residualNorms(xs, a), sigma = residualNorms(zs, b)
        let sketch = try Matrix.product(a, b, transposeB: true)
        let sketchT = try Matrix.product(b, a, transposeB: true) // the same dot products, transposed
        stages?("sketch")
        let kk = max(1, min(k, n))
        let rowMeans = topKMeans(sketch: sketch, left: xs, right: zs, leftResidual: rho, rightResidual: sigma, k: kk, threads: threads)
        let columnMeans = topKMeans(
            sketch: sketchT, left: zs, right: xs, leftResidual: sigma, rightResidual: rho, k: kk, threads: threads)
        stages?("top-k means")
        let forward = argmax(
            sketch: sketch, left: xs, right: zs, leftResidual: rho, rightResidual: sigma, leftMeans: rowMeans, rightMeans: columnMeans,
            threads: threads)
        let backward = argmax(
            sketch: sketchT, left: zs, right: xs, leftResidual: sigma, rightResidual: rho, leftMeans: columnMeans, rightMeans: rowMeans,
            threads: threads)
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
    /// square root for the cancellation.
    static func residualNorms(_ x: Matrix, _ a: Matrix) -> [Float] {
        (0..<x.rows).map { i in
            var xx = 0.0, aa = 0.0
            for j in 0..<x.cols { xx += Double(x.storage[i * x.cols + j]) * Double(x.storage[i * x.cols + j]) }
            for j in 0..<a.cols { aa += Double(a.storage[i * a.cols + j]) * Double(a.storage[i * a.cols + j]) }
            return Float((max(0, xx - aa) + 1e-5).squareRoot())
        }
    }

    /// The mean of each left row's k largest exact s (fp32 sum in descending order, as
    /// `VecMapInitialization.topKMeans`): τ = the k-th largest lower bound, candidates = upper ≥ τ.
    private static func topKMeans(
        sketch: Matrix, left: Matrix, right: Matrix, leftResidual: [Float], rightResidual: [Float], k: Int, threads: Int
    ) -> [Float] {
        let n = sketch.rows, m = sketch.cols, c = left.cols
        var out = [Float](repeating: 0, count: n)
        sketch.storage.withUnsafeBufferPointer { sp in
            left.storage.withUnsafeBufferPointer { lp in
                right.storage.withUnsafeBufferPointer { rp in
                    rightResidual.withUnsafeBufferPointer { sg in
                        out.withUnsafeMutableBufferPointer { op in
                            let s = SharedConstBuffer(sp.baseAddress!), l = SharedConstBuffer(lp.baseAddress!)
                            let rt = SharedConstBuffer(rp.baseAddress!), sigma = SharedConstBuffer(sg.baseAddress!)
                            let o = SharedBuffer(op.baseAddress!)
                            _ = WorkerThreads.run(threads: threads, count: n, initial: 0) { _, range in
                                let top = UnsafeMutablePointer<Float>.allocate(capacity: k)
                                let candidates = UnsafeMutablePointer<Int>.allocate(capacity: m)
                                defer {
                                    top.deallocate()
                                    candidates.deallocate()
                                }
                                for i in range {
                                    let row = s.base + i * m, rho = leftResidual[i]
                                    var filled = 0
                                    for j in 0..<m {
                                        let lo = row[j] - (rho * sigma.base[j] + margin)
                                        if filled < k || lo > top[k - 1] { TopKSelection.insert(lo, values: top, filled: &filled, k: k) }
                                    }
                                    let tau = top[k - 1]
                                    filled = 0
                                    var count = 0
                                    for j in 0..<m where row[j] + (rho * sigma.base[j] + margin) >= tau {
                                        candidates[count] = j
                                        count += 1
                                    }
                                    // The top-k multiset does not depend on the order of the offers.
                                    let x = l.base + i * c
                                    var q = 0
                                    while q < count {
                                        let (v, w): (Float, Float?) =
                                            q + 1 < count
                                            ? {
                                                let p = exactDots(x, rt.base + candidates[q] * c, rt.base + candidates[q + 1] * c, c)
                                                return (p.0, p.1)
                                            }()
                                            : (exactDot(x, rt.base + candidates[q] * c, c), nil)
                                        if filled < k || v > top[k - 1] { TopKSelection.insert(v, values: top, filled: &filled, k: k) }
                                        if let w, filled < k || w > top[k - 1] {
                                            TopKSelection.insert(w, values: top, filled: &filled, k: k)
                                        }
                                        q += 2
                                    }
                                    var sum: Float = 0
                                    for q in 0..<k { sum += top[q] }
                                    o.base[i] = sum / Float(k)
                                }
                                return 0
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// argmax_j of s_ij − (leftMeans[i]/2 + rightMeans[j]/2) for every left row i (first index on ties).
    private static func argmax(
        sketch: Matrix, left: Matrix, right: Matrix, leftResidual: [Float], rightResidual: [Float], leftMeans: [Float],
        rightMeans: [Float], threads: Int
    ) -> [Int] {
        let n = sketch.rows, m = sketch.cols, c = left.cols
        var out = [Int](repeating: 0, count: n)
        let halves = rightMeans.map { $0 / 2 }
        sketch.storage.withUnsafeBufferPointer { sp in
            left.storage.withUnsafeBufferPointer { lp in
                right.storage.withUnsafeBufferPointer { rp in
                    out.withUnsafeMutableBufferPointer { op in
                        let s = SharedConstBuffer(sp.baseAddress!), l = SharedConstBuffer(lp.baseAddress!)
                        let rt = SharedConstBuffer(rp.baseAddress!), o = SharedBuffer(op.baseAddress!)
                        _ = WorkerThreads.run(threads: threads, count: n, initial: 0) { _, range in
                            for i in range {
                                let row = s.base + i * m, rho = leftResidual[i], own = leftMeans[i] / 2
                                var bestLower = -Float.infinity
                                for j in 0..<m {
                                    bestLower = max(bestLower, row[j] - (rho * rightResidual[j] + margin) - (own + halves[j]))
                                }
                                var best = -Float.infinity, arg = 0
                                for j in 0..<m where row[j] + (rho * rightResidual[j] + margin) - (own + halves[j]) >= bestLower {
                                    let v = exactDot(l.base + i * c, rt.base + j * c, c) - (own + halves[j])
                                    if v > best {
                                        best = v
                                        arg = j
                                    }
                                }
                                o.base[i] = arg
                            }
                            return 0
                        }
                    }
                }
            }
        }
        return out
    }
}
