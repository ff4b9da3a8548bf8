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
    /// Shapes: H n×h, e 1×h, W V×h, `targets` n ids in −1…V, L 1×1. The valid rows are processed in
    /// chunks of `chunkRows`, so the logits never exceed `chunkRows`×(V+1); forward and backward are
    /// fused per chunk (the gradient is formed while the chunk is in cache and scaled by the seed in
    /// the pullback). Derivative with P = softmax(Z): ∂L/∂Z = s·(P − onehot(y)) on valid rows,
    /// ∂L/∂H = ∂L/∂Z·[e; W], ∂L/∂[e; W] = ∂L/∂Zᵀ·H. The loss is summed in Double.
    public mutating func outputSoftmaxNLL(
        _ hidden: Var, eos: Var, words: Var, targets: [Int], scale: Float, chunkRows: Int = 256
    ) -> Var {
        let hv = self[hidden], ev = self[eos], wv = self[words]
        let n = hv.rows, h = hv.cols, v = wv.rows, k = v + 1
        precondition(ev.rows == 1 && ev.cols == h && wv.cols == h, "outputSoftmaxNLL: rows of width \(h) needed")
        precondition(targets.count == n && targets.allSatisfy { $0 >= -1 && $0 <= v }, "outputSoftmaxNLL: \(n) targets in −1…\(v)")
        var combined = Matrix(rows: k, cols: h)
        combined.storage.replaceSubrange(0..<h, with: ev.storage)
        combined.storage.replaceSubrange(h..<k * h, with: wv.storage)
        let needs = anyNeedsGradient([hidden, eos, words])
        var dHidden = needs ? Matrix(rows: n, cols: h) : Matrix(rows: 0, cols: 0)
        var dCombined = needs ? Matrix(rows: k, cols: h) : Matrix(rows: 0, cols: 0)
        let valid = targets.indices.filter { targets[$0] >= 0 }
        var total = 0.0
        var start = 0
        while start < valid.count {
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
                    var top = -Float.infinity
                    for j in 0..<k { top = max(top, row[j]) }
                    let y = targets[i]
                    let shifted = Double(row[y] - top)
                    var sum = 0.0
                    for j in 0..<k {
                        let e = expf(row[j] - top)
                        row[j] = e
                        sum += Double(e)
                    }
                    total += log(sum) - shifted
                    let inv = Float(1 / sum)
                    for j in 0..<k { row[j] *= inv * scale }
                    row[y] -= scale
                }
            }
            guard needs else { continue }
            Matrix.accumulateProduct(z, hc, into: &dCombined, transposeA: true, beta: 1)
            var dhc = Matrix(rows: c, cols: h)
            Matrix.accumulateProduct(z, combined, into: &dhc, beta: 0)
            for (r, i) in rows.enumerated() { dHidden.storage.replaceSubrange(i * h..<(i + 1) * h, with: dhc.storage[r * h..<(r + 1) * h]) }
        }
        let loss = Matrix(rows: 1, cols: 1, repeating: Float(total * Double(scale)))
        let dH = dHidden, dC = dCombined
        return record(loss, needs: needs) { g, grads in
            let s = g.storage[0]
            grads.add(to: hidden, rows: n, cols: h) { acc in for q in acc.storage.indices { acc.storage[q] += s * dH.storage[q] } }
            grads.add(to: eos, rows: 1, cols: h) { acc in for q in 0..<h { acc.storage[q] += s * dC.storage[q] } }
            grads.add(to: words, rows: v, cols: h) { acc in for q in acc.storage.indices { acc.storage[q] += s * dC.storage[h + q] } }
        }
    }
}
