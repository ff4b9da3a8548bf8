import XlingCore

extension Tape {
    /// Y = X·W (+ 1·b): a dense layer, or a plain matrix product without `bias`.
    ///
    /// Shapes: X n×i, W i×o, b 1×o, Y n×o. Derivative for G = ∂L/∂Y: ∂L/∂X += G·Wᵀ,
    /// ∂L/∂W += Xᵀ·G, ∂L/∂b += Σᵢ Gᵢ (column sums); the products accumulate in place through
    /// `Matrix.accumulateProduct` (BLAS β = 1).
    public mutating func linear(_ x: Var, _ w: Var, bias b: Var? = nil) -> Var {
        let xv = self[x], wv = self[w]
        precondition(xv.cols == wv.rows, "linear: \(xv.shapeDescription) input for a \(wv.shapeDescription) weight")
        let n = xv.rows, o = wv.cols
        var y = Matrix(rows: n, cols: o)
        if let b {
            let bv = self[b]
            precondition(bv.rows == 1 && bv.cols == o, "linear: bias \(bv.shapeDescription) for \(o) outputs")
            y.storage.withUnsafeMutableBufferPointer { out in
                bv.storage.withUnsafeBufferPointer { bias in
                    for i in 0..<n { (out.baseAddress! + i * o).update(from: bias.baseAddress!, count: o) }
                }
            }
            Matrix.accumulateProduct(xv, wv, into: &y, beta: 1)
        } else {
            Matrix.accumulateProduct(xv, wv, into: &y, beta: 0)
        }
        let inputs = b.map { [x, w, $0] } ?? [x, w]
        return record(y, needs: anyNeedsGradient(inputs)) { g, grads in
            grads.add(to: x, rows: n, cols: xv.cols) { Matrix.accumulateProduct(g, wv, into: &$0, transposeB: true) }
            grads.add(to: w, rows: wv.rows, cols: o) { Matrix.accumulateProduct(xv, g, into: &$0, transposeA: true) }
            if let b {
                grads.add(to: b, rows: 1, cols: o) { gb in
                    gb.storage.withUnsafeMutableBufferPointer { out in
                        g.storage.withUnsafeBufferPointer { src in
                            for i in 0..<n {
                                let base = i * o
                                for j in 0..<o { out[j] += src[base + j] }
                            }
                        }
                    }
                }
            }
        }
    }
}
