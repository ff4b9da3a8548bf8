import XlingCore

extension Tape {
    /// A "valid" 1-D convolution (cross-correlation) over time as im2col + one GEMM:
    /// Y[p·B + b] = [X_p[b], X_{p+1}[b], …, X_{p+k−1}[b]]·W + bias for p = 0…T−k.
    ///
    /// Shapes: T ≥ k steps X_t B×d; W (k·d)×F with row j·d + c the weight of input channel c at
    /// offset j (PyTorch's `Conv1d` weight w[f, c, j]); bias 1×F; Y ((T−k+1)·B)×F,
    /// position-major. Derivative with C the im2col matrix: ∂L/∂W += Cᵀ·G, ∂L/∂bias += Σ rows of
    /// G, and ∂L/∂C = G·Wᵀ scattered back: ∂L/∂X_{p+j}[b] += (∂L/∂C)[p·B + b, j·d…j·d+d).
    public mutating func conv1d(_ steps: [Var], weight w: Var, bias: Var, width k: Int) -> Var {
        let t = steps.count
        precondition(k >= 1 && t >= k, "conv1d: \(t) steps for a width-\(k) kernel")
        let b = self[steps[0]].rows, d = self[steps[0]].cols
        let wv = self[w], bv = self[bias]
        precondition(
            wv.rows == k * d && bv.rows == 1 && bv.cols == wv.cols, "conv1d: weight \(wv.shapeDescription) for width \(k), \(d) channels")
        let positions = t - k + 1, f = wv.cols, kd = k * d
        var columns = Matrix(rows: positions * b, cols: kd)
        let xs = steps.map { self[$0] }
        columns.storage.withUnsafeMutableBufferPointer { out in
            for p in 0..<positions {
                for j in 0..<k {
                    xs[p + j].storage.withUnsafeBufferPointer { src in
                        for i in 0..<b { (out.baseAddress! + (p * b + i) * kd + j * d).update(from: src.baseAddress! + i * d, count: d) }
                    }
                }
            }
        }
        var y = Matrix(rows: positions * b, cols: f)
        y.storage.withUnsafeMutableBufferPointer { out in
            bv.storage.withUnsafeBufferPointer { bias in
                for r in 0..<positions * b { (out.baseAddress! + r * f).update(from: bias.baseAddress!, count: f) }
            }
        }
        Matrix.accumulateProduct(columns, wv, into: &y, beta: 1)
        let cv = columns
        return record(y, needs: anyNeedsGradient(steps + [w, bias])) { g, grads in
            grads.add(to: w, rows: kd, cols: f) { Matrix.accumulateProduct(cv, g, into: &$0, transposeA: true) }
            grads.add(to: bias, rows: 1, cols: f) { acc in
                acc.storage.withUnsafeMutableBufferPointer { out in
                    g.storage.withUnsafeBufferPointer { src in
                        for r in 0..<g.rows {
                            let row = src.baseAddress! + r * f
                            for c in 0..<f { out[c] += row[c] }
                        }
                    }
                }
            }
            guard steps.contains(where: { grads.needs($0) }) else { return }
            var dc = Matrix(rows: positions * b, cols: kd)
            Matrix.accumulateProduct(g, wv, into: &dc, transposeB: true, beta: 0)
            for p in 0..<positions {
                for j in 0..<k {
                    grads.add(to: steps[p + j], rows: b, cols: d) { acc in
                        acc.storage.withUnsafeMutableBufferPointer { out in
                            dc.storage.withUnsafeBufferPointer { src in
                                for i in 0..<b {
                                    let from = src.baseAddress! + (p * b + i) * kd + j * d, to = out.baseAddress! + i * d
                                    for c in 0..<d { to[c] += from[c] }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
