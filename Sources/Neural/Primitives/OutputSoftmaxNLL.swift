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
        let n = hv.rows, h = hv.cols, v = wv.rows, k = v + 1
        precondition(ev.rows == 1 && ev.cols == h && wv.cols == h, "outputSoftmaxNLL: rows of width \(h) needed")
        precondition(targets.count == n && targets.allSatisfy { $0 >= -1 && $0 <= v }, "outputSoftmaxNLL: \(n) targets in −1…\(v)")
        var combined = Matrix(rows: k, cols: h)
        combined.storage.replaceSubrange(0..<h, with: ev.storage)
        combined.storage.replaceSubrange(h..<k * h, with: wv.storage)
        let needs = anyNeedsGradient([hidden, eos, words])
        let valid = targets.indices.filter { targets[$0] >= 0 }
        let c = combined
        let parts: [SoftmaxPart]
        if threads >= 2 && valid.count >= 2 * chunkRows {
            // Two halves of the rows at once (single-threaded BLAS each); ∂L/∂[e; W] summed after.
            let half = valid.count / 2
            let halves = [Array(valid[..<half]), Array(valid[half...])]
            parts = Self.inParallel(threads: 2) { t in
                SoftmaxPart(
                    hidden: hv, combined: c, targets: targets, rows: halves[t], scale: scale, chunkRows: chunkRows, gradients: needs)
            }
        } else {
            parts = [
                SoftmaxPart(hidden: hv, combined: c, targets: targets, rows: valid, scale: scale, chunkRows: chunkRows, gradients: needs)
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
                for part in parts { for q in 0..<h { acc.storage[q] += s * part.dCombined.storage[q] } }
            }
            grads.add(to: words, rows: v, cols: h) { acc in
                for part in parts { for q in acc.storage.indices { acc.storage[q] += s * part.dCombined.storage[h + q] } }
            }
        }
    }

    /// The forward and the fused ∂ of `outputSoftmaxNLL` over some of its valid rows, in chunks.
    struct SoftmaxPart: Sendable {
        /// The rows of H it covered, in order; Σ −ln P(y) over them (Double).
        let rows: [Int]
        let total: Double
        /// ∂L/∂H of those rows (rows.count × h, unscaled by the seed) and ∂L/∂[e; W] ((V+1) × h); empty without gradients.
        let dHidden: Matrix, dCombined: Matrix

        init(hidden hv: Matrix, combined: Matrix, targets: [Int], rows valid: [Int], scale: Float, chunkRows: Int, gradients: Bool) {
            let h = hv.cols, k = combined.rows
            var dHidden = gradients ? Matrix(rows: valid.count, cols: h) : Matrix(rows: 0, cols: 0)
            var dCombined = gradients ? Matrix(rows: k, cols: h) : Matrix(rows: 0, cols: 0)
            var total = 0.0
            var start = 0
            while start < valid.count {
                let first = start
                let rows = Array(valid[start..<min(valid.count, start + max(1, chunkRows))])
                start += rows.count
                let c = rows.count
                var hc = Matrix(rows: c, cols: h)
                for (r, i) in rows.enumerated() { hc.storage.replaceSubrange(r * h..<(r + 1) * h, with: hv.storage[i * h..<(i + 1) * h]) }
                var z = Matrix(rows: c, cols: k)
                Matrix.accumulateProduct(hc, combined, into: &z, transposeB: true, beta: 0)
                z.storage.withUnsafeMutableBufferPointer { zp in
                    for (r, i) in rows.enumerated() {
                        let row = zp.baseAddress! + r * k
                        let y = targets[i]
                        let top = Tape.rowMaximum(row, count: k)
                        let shifted = Double(row[y] - top)
                        let sum = Tape.exponentiateRow(row, count: k, shift: top)
                        total += log(sum) - shifted
                        let inv = Float(1 / sum) * scale
                        for j in 0..<k { row[j] *= inv }
                        row[y] -= scale
                    }
                }
                guard gradients else { continue }
                Matrix.accumulateProduct(z, hc, into: &dCombined, transposeA: true, beta: 1)
                var dhc = Matrix(rows: c, cols: h)
                Matrix.accumulateProduct(z, combined, into: &dhc, beta: 0)
                dHidden.storage.replaceSubrange(first * h..<(first + c) * h, with: dhc.storage)
            }
            self.rows = valid
            self.total = total
            self.dHidden = dHidden
            self.dCombined = dCombined
        }
    }

    /// max_j row[j] over `count` ≥ 1 floats, eight lanes at a time (the softmax's shift).
    @inline(__always)
    static func rowMaximum(_ row: UnsafeMutablePointer<Float>, count: Int) -> Float {
        var j = 0
        var lanes = SIMD8<Float>(repeating: -.infinity)
        while j + 8 <= count {
            lanes = pointwiseMax(lanes, UnsafeRawPointer(row + j).loadUnaligned(as: SIMD8<Float>.self))
            j += 8
        }
        var top = lanes.max()
        while j < count {
            top = Swift.max(top, row[j])
            j += 1
        }
        return top
    }

    /// row[j] ← exp(row[j] − shift) (`FastMath.exp`, ≤ 3e-7 relative; libm's `expf` was the
    /// largest cost after the GEMMs at V = 5k) and returns Σ_j row[j], summed in eight float lanes
    /// and then in Double (relative error ≲ 1e-6 for V ≤ 10⁵ terms of at most 1).
    @inline(__always)
    static func exponentiateRow(_ row: UnsafeMutablePointer<Float>, count: Int, shift: Float) -> Double {
        for j in 0..<count { row[j] = FastMath.exp(row[j] - shift) }
        var j = 0
        var lanes = SIMD8<Float>(repeating: 0)
        while j + 8 <= count {
            lanes += UnsafeRawPointer(row + j).loadUnaligned(as: SIMD8<Float>.self)
            j += 8
        }
        var sum = 0.0
        for lane in 0..<8 { sum += Double(lanes[lane]) }
        while j < count {
            sum += Double(row[j])
            j += 1
        }
        return sum
    }
}
