import XlingCore

#if canImport(Glibc)
import Glibc
#endif

extension Tape {
    /// L = s · Σ_{i: yᵢ ≥ 0} −ln softmax(zᵢ)[yᵢ] with zᵢ = [hᵢ·e, hᵢ·W₀, …, hᵢ·W_{V−1}]: a summed
    /// (not averaged) full-vocabulary cross-entropy over an untied output layer with no bias whose
    /// class 0 is a separate row `e` (a shared end-of-sentence row) and classes 1…V the rows of `W`
    /// (PyTorch's `Linear(h, V, bias=False).weight` layout). Targets −1 are ignored (padding).
    ///
    /// With `threads` ≥ 2 (and at least 2·`chunkRows` valid rows) the two halves of the valid rows
    /// run at once on two threads, each with single-threaded BLAS, and their ∂L/∂[e; W] are added
    /// after: deterministic for a thread count; at one thread every number is as before.
    ///
    /// Shapes: H n×h, e 1×h, W V×h, `targets` n ids in −1…V, L 1×1. The valid rows are processed in
    /// chunks of `chunkRows`, so the logits never exceed `chunkRows`×(V+1); forward and backward are
    /// fused per chunk (the gradient is formed while the chunk is in cache and scaled by the seed in
    /// the pullback). Derivative with P = softmax(Z): ∂L/∂Z = s·(P − onehot(y)) on valid rows,
    /// ∂L/∂H = ∂L/∂Z·[e; W], ∂L/∂[e; W] = ∂L/∂Zᵀ·H. The loss is summed in Double.
    public mutating func outputSoftmaxNLL(
        _ hidden: Var, eos: Var, words: Var, targets: [Int], scale: Float, chunkRows: Int = 256, threads: Int = 1
    ) -> Var {
        let hv = self[hidden], ev = self[eos], wv = self[words]
        let n = hv.rows, h = hv.cols, v = wv.rows
        precondition(ev.rows == 1 && ev.cols == h && wv.cols == h, "outputSoftmaxNLL: rows of width \(h) needed")
        precondition(targets.count == n && targets.allSatisfy { $0 >= -1 && $0 <= v }, "outputSoftmaxNLL: \(n) targets in −1…\(v)")
        let needs = anyNeedsGradient([hidden, eos, words])
        let valid = targets.indices.filter { targets[$0] >= 0 }
        let parts: [SoftmaxPart]
        if threads >= 2 && valid.count >= 2 * chunkRows {
            // Two halves of the rows at once (single-threaded BLAS each); ∂L/∂e, ∂L/∂W summed after.
            let half = valid.count / 2
            let halves = [Array(valid[..<half]), Array(valid[half...])]
            parts = Self.inParallel(threads: 2) { t in
                SoftmaxPart(
                    hidden: hv, eos: ev, words: wv, targets: targets, rows: halves[t], scale: scale, chunkRows: chunkRows, gradients: needs)
            }
        } else {
            parts = [
                SoftmaxPart(
                    hidden: hv, eos: ev, words: wv, targets: targets, rows: valid, scale: scale, chunkRows: chunkRows, gradients: needs)
            ]
        }
        let total = parts.reduce(0.0) { $0 + $1.total }
        let loss = Matrix(rows: 1, cols: 1, repeating: Float(total * Double(scale)))
        return record(loss, needs: needs) { g, grads in
            let s = g.storage[0]
            grads.add(to: hidden, rows: n, cols: h) { acc in
                for part in parts {
                    for (r, i) in part.rows.enumerated() {
                        for q in 0..<h { acc.storage[i * h + q] += s * part.dHidden.storage[r * h + q] }
                    }
                }
            }
            grads.add(to: eos, rows: 1, cols: h) { acc in
                for part in parts { for q in 0..<h { acc.storage[q] += s * part.dEos.storage[q] } }
            }
            if s == 1 && parts.count == 1 {
                // Seed 1 (a loss backward): ∂L/∂W is the part's own V×h buffer, handed over (added
                // only when W already has a gradient), not copied into a fresh zero matrix.
                grads.add(to: words, parts[0].dWords)
            } else {
                grads.add(to: words, rows: v, cols: h) { acc in
                    for part in parts { for q in acc.storage.indices { acc.storage[q] += s * part.dWords.storage[q] } }
                }
            }
        }
    }

    /// The forward and the fused ∂ of `outputSoftmaxNLL` over some of its valid rows, in chunks.
    ///
    /// Per chunk of c rows: Z = H_c·[e; W]ᵀ (column 0 by c dot products, columns 1…V by one GEMM
    /// reading W in place, into a scratch buffer reused by every chunk), then per row the maximum
    /// m and, in one pass, Eᵢⱼ = exp(zᵢⱼ − m) with its sum σᵢ; the probabilities are never
    /// normalised in place. With αᵢ = s/σᵢ, ∂L/∂Z = diag(α)·E − s·Y, so ∂W += E_{:,1…}ᵀ·(diag(α)·H_c)
    /// (one GEMM on the row-scaled H_c), ∂e += Σᵢ Eᵢ₀·αᵢhᵢ, then c one-hot row updates −s·hᵢ, and
    /// ∂H_c = diag(α)·(E_{:,1…}·W + E_{:,0}·e) − s·[e; W]_{yᵢ} (one GEMM written straight into
    /// `dHidden`, then c row updates): two passes over each logit row instead of four.
    struct SoftmaxPart: Sendable {
        /// The rows of H it covered, in order; Σ −ln P(y) over them (Double).
        let rows: [Int]
        let total: Double
        /// ∂L/∂H of those rows (rows.count × h), ∂L/∂e (1 × h) and ∂L/∂W (V × h), unscaled by the
        /// seed; empty without gradients.
        let dHidden: Matrix, dEos: Matrix, dWords: Matrix

        init(
            hidden hv: Matrix, eos ev: Matrix, words wv: Matrix, targets: [Int], rows valid: [Int], scale: Float, chunkRows: Int,
            gradients: Bool
        ) {
            let h = hv.cols, v = wv.rows, k = v + 1
            let width = Swift.max(1, Swift.min(chunkRows, valid.count))
            var dHidden = gradients ? Matrix(rows: valid.count, cols: h) : Matrix(rows: 0, cols: 0)
            var dEos = gradients ? Matrix(rows: 1, cols: h) : Matrix(rows: 0, cols: 0)
            var dWords = gradients ? Matrix(rows: v, cols: h) : Matrix(rows: 0, cols: 0)
            var total = 0.0
            // Scratch, written before read (GEMMs with β = 0 or explicit stores): no zero-fill.
            var z = [Float](unsafeUninitializedCapacity: width * k) { _, n in n = width * k }
            var hc = [Float](unsafeUninitializedCapacity: width * h) { _, n in n = width * h }
            var alpha = [Float](repeating: 0, count: width)
            var start = 0
            while start < valid.count {
                let first = start
                let c = Swift.min(width, valid.count - start)
                start += c
                hv.storage.withUnsafeBufferPointer { hp in
                    wv.storage.withUnsafeBufferPointer { wp in
                        ev.storage.withUnsafeBufferPointer { ep in
                            z.withUnsafeMutableBufferPointer { zb in
                                hc.withUnsafeMutableBufferPointer { hb in
                                    let zp = zb.baseAddress!, hcp = hb.baseAddress!, wb = wp.baseAddress!, eb = ep.baseAddress!
                                    for r in 0..<c {
                                        let i = valid[first + r]
                                        (hcp + r * h).update(from: hp.baseAddress! + i * h, count: h)
                                    }
                                    // Z[:, 1…V] = H_c·Wᵀ; Z[:, 0] = H_c·e.
                                    Matrix.accumulateProduct(
                                        m: c, n: v, k: h, hcp, lda: h, wb, ldb: h, transposeB: true, into: zp + 1, ldc: k, beta: 0)
                                    for r in 0..<c {
                                        var dot: Float = 0
                                        for q in 0..<h { dot += hcp[r * h + q] * eb[q] }
                                        zp[r * k] = dot
                                    }
                                    for r in 0..<c {
                                        let row = zp + r * k
                                        let y = targets[valid[first + r]]
                                        let top = Tape.rowMaximum(row, count: k)
                                        let shifted = Double(row[y] - top)
                                        let sum = Tape.exponentiateRow(row, count: k, shift: top)
                                        total += log(sum) - shifted
                                        alpha[r] = Float(1 / sum) * scale
                                    }
                                    guard gradients else { return }
                                    // H_c ← diag(α)·H_c, then ∂W += E_{:,1…}ᵀ·H_c, ∂e += E_{:,0}ᵀ·H_c, − s·Σ onehot(y)·h.
                                    for r in 0..<c {
                                        let a = alpha[r]
                                        for q in 0..<h { hcp[r * h + q] *= a }
                                    }
                                    dWords.storage.withUnsafeMutableBufferPointer { dw in
                                        dEos.storage.withUnsafeMutableBufferPointer { de in
                                            let dwp = dw.baseAddress!, dep = de.baseAddress!
                                            Matrix.accumulateProduct(
                                                m: v, n: h, k: c, zp + 1, lda: k, transposeA: true, hcp, ldb: h, into: dwp, ldc: h,
                                                beta: 1)
                                            for r in 0..<c {
                                                let e0 = zp[r * k]
                                                for q in 0..<h { dep[q] += e0 * hcp[r * h + q] }
                                            }
                                            for r in 0..<c {
                                                let i = valid[first + r]
                                                let y = targets[i]
                                                let target = y == 0 ? dep : dwp + (y - 1) * h
                                                for q in 0..<h { target[q] -= scale * hp[i * h + q] }
                                            }
                                        }
                                    }
                                    // ∂H_c = diag(α)·(E_{:,1…}·W + E_{:,0}·e) − s·[e; W]_y, straight into dHidden's rows.
                                    dHidden.storage.withUnsafeMutableBufferPointer { dh in
                                        let dhp = dh.baseAddress! + first * h
                                        Matrix.accumulateProduct(m: c, n: h, k: v, zp + 1, lda: k, wb, ldb: h, into: dhp, ldc: h, beta: 0)
                                        for r in 0..<c {
                                            let a = alpha[r], e0 = zp[r * k]
                                            let y = targets[valid[first + r]]
                                            let target = y == 0 ? eb : wb + (y - 1) * h
                                            for q in 0..<h { dhp[r * h + q] = a * (dhp[r * h + q] + e0 * eb[q]) - scale * target[q] }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            self.rows = valid
            self.total = total
            self.dHidden = dHidden
            self.dEos = dEos
            self.dWords = dWords
        }
    }

    /// max_j row[j] over `count` ≥ 1 floats, eight lanes at a time (the softmax's shift). The lanes
    /// use compare-and-select (`pointwiseMax` compiled to scalar compares and branches); NaNs are
    /// skipped in the lanes and surface in the exponentials instead.
    @inline(__always)
    static func rowMaximum(_ row: UnsafeMutablePointer<Float>, count: Int) -> Float {
        var j = 0
        var lanes = SIMD8<Float>(repeating: -.infinity)
        while j + 8 <= count {
            let v = UnsafeRawPointer(row + j).loadUnaligned(as: SIMD8<Float>.self)
            lanes.replace(with: v, where: v .> lanes)
            j += 8
        }
        var top = lanes.max()
        while j < count {
            top = Swift.max(top, row[j])
            j += 1
        }
        return top
    }

    /// row[j] ← exp(row[j] − shift) (`FastMath.exp` on eight lanes, ≤ 3e-7 relative) and returns
    /// Σ_j row[j], in one pass: summed in eight float lanes and then in Double (relative error
    /// ≲ 1e-6 for V ≤ 10⁵ terms of at most 1).
    @inline(__always)
    static func exponentiateRow(_ row: UnsafeMutablePointer<Float>, count: Int, shift: Float) -> Double {
        var j = 0
        var lanes = SIMD8<Float>(repeating: 0)
        let s = SIMD8<Float>(repeating: shift)
        while j + 8 <= count {
            let e = FastMath.exp(UnsafeRawPointer(row + j).loadUnaligned(as: SIMD8<Float>.self) - s)
            UnsafeMutableRawPointer(row + j).storeBytes(of: e, as: SIMD8<Float>.self)
            lanes += e
            j += 8
        }
        var sum = 0.0
        for lane in 0..<8 { sum += Double(lanes[lane]) }
        while j < count {
            let e = FastMath.exp(row[j] - shift)
            row[j] = e
            sum += Double(e)
            j += 1
        }
        return sum
    }
}

extension FastMath {
    /// `exp(_:)` on eight lanes, the same operations in the same order (so the same values): the
    /// clamp by compare-and-select, which keeps the output softmax's exponentials vectorised when
    /// fused with their sum.
    @inline(__always)
    static func exp(_ x: SIMD8<Float>) -> SIMD8<Float> {
        var x = x
        x.replace(with: SIMD8(repeating: -87.3), where: x .< -87.3)
        x.replace(with: SIMD8(repeating: 88.3), where: x .> 88.3)
        let shifted = x * 1.442_695_04 + 12_582_912
        let n = shifted - 12_582_912
        let r = (x - n * 0.693_145_751_953_125) - n * 1.428_606_765_330_187e-6
        var p = SIMD8<Float>(repeating: 1.0 / 720)
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        let bits = (unsafeBitCast(shifted, to: SIMD8<UInt32>.self) &- 0x4B40_0000 &+ 127) &<< 23
        return p * unsafeBitCast(bits, to: SIMD8<Float>.self)
    }
}
