import XlingCore

extension Tape {
    /// The gate block of a PyTorch-form LSTM step, fused (as `gruGates`; the composed form
    /// records eleven primitives per step, four of them column copies):
    /// [i f g o] = a + c with a = x·W_ih + b_ih and c = h·W_hh + b_hh (columns in gate order
    /// i, f, g, o), c′ = σ(f)⊙c_prev + σ(i)⊙tanh(g), h′ = σ(o)⊙tanh(c′). σ and tanh are `FastMath`'s.
    ///
    /// Records two outputs, c′ then h′ (so h′'s pullback, which feeds ∂L/∂c′, runs first).
    /// Shapes: A, C B×4h, C_prev B×h; h′, c′ B×h. Derivative with G_h = ∂L/∂h′ and G_c = ∂L/∂c′:
    /// from h′: δo = G_h⊙tanh(c′)⊙σ(o)(1 − σ(o)) → ∂L/∂a_o, ∂L/∂c_o; ∂L/∂c′ += G_h⊙σ(o)⊙(1 − tanh²(c′));
    /// from c′: ∂L/∂c_prev += G_c⊙σ(f); δi = G_c⊙tanh(g)⊙σ(i)(1 − σ(i)), δf = G_c⊙c_prev⊙σ(f)(1 − σ(f)),
    /// δg = G_c⊙σ(i)⊙(1 − tanh²(g)) → the i, f, g columns of ∂L/∂a and ∂L/∂c.
    public mutating func lstmGates(input a: Var, hidden c: Var, cell prev: Var) -> (h: Var, c: Var) {
        let av = self[a], cv = self[c], pv = self[prev]
        let b = pv.rows, width = pv.cols
        precondition(
            av.rows == b && cv.rows == b && av.cols == 4 * width && cv.cols == 4 * width,
            "lstmGates: \(av.shapeDescription) and \(cv.shapeDescription) for a \(pv.shapeDescription) cell")
        // act: per row σ(i), σ(f), tanh(g), σ(o), then tanh(c′) (B × 5h), kept for the pullbacks.
        var act = Matrix(rows: b, cols: 5 * width)
        var cell = Matrix(rows: b, cols: width), hidden = Matrix(rows: b, cols: width)
        withPointers(av, cv, pv) { pa, pc, pp in
            act.storage.withUnsafeMutableBufferPointer { actBuffer in
                cell.storage.withUnsafeMutableBufferPointer { cellBuffer in
                    hidden.storage.withUnsafeMutableBufferPointer { hiddenBuffer in
                        for r in 0..<b {
                            let q = r * 4 * width, s = r * width
                            let ga = pa + q, gc = pc + q, u = actBuffer.baseAddress! + r * 5 * width
                            let cp = pp + s, cc = cellBuffer.baseAddress! + s, hh = hiddenBuffer.baseAddress! + s
                            for j in 0..<2 * width { u[j] = FastMath.sigmoid(ga[j] + gc[j]) }
                            for j in 2 * width..<3 * width { u[j] = FastMath.tanh(ga[j] + gc[j]) }
                            for j in 3 * width..<4 * width { u[j] = FastMath.sigmoid(ga[j] + gc[j]) }
                            for j in 0..<width { cc[j] = u[width + j] * cp[j] + u[j] * u[2 * width + j] }
                            for j in 0..<width { u[4 * width + j] = FastMath.tanh(cc[j]) }
                            for j in 0..<width { hh[j] = u[3 * width + j] * u[4 * width + j] }
                        }
                    }
                }
            }
        }
        let gates = act
        let needs = anyNeedsGradient([a, c, prev])
        let cellVar = record(cell, needs: needs) { g, grads in
            var d = Matrix(rows: b, cols: 4 * width)
            withPointers(g, gates, pv) { pg, pu, pp in
                d.storage.withUnsafeMutableBufferPointer { dBuffer in
                    for r in 0..<b {
                        let s = r * width, u = pu + r * 5 * width, dd = dBuffer.baseAddress! + r * 4 * width
                        let gg = pg + s, cp = pp + s
                        for j in 0..<width {
                            let i = u[j], f = u[width + j], gt = u[2 * width + j]
                            dd[j] = gg[j] * gt * i * (1 - i)
                            dd[width + j] = gg[j] * cp[j] * f * (1 - f)
                            dd[2 * width + j] = gg[j] * i * (1 - gt * gt)
                        }
                    }
                }
            }
            grads.add(to: prev, rows: b, cols: width) { acc in
                withPointers(g, gates) { pg, pu in
                    acc.storage.withUnsafeMutableBufferPointer { out in
                        for r in 0..<b {
                            let s = r * width, f = pu + r * 5 * width + width
                            for j in 0..<width { out[s + j] += pg[s + j] * f[j] }
                        }
                    }
                }
            }
            grads.add(to: c, d)
            grads.add(to: a, d)
        }
        let hiddenVar = record(hidden, needs: needs) { g, grads in
            var d = Matrix(rows: b, cols: 4 * width)
            withPointers(g, gates) { pg, pu in
                d.storage.withUnsafeMutableBufferPointer { dBuffer in
                    for r in 0..<b {
                        let s = r * width, u = pu + r * 5 * width, dd = dBuffer.baseAddress! + r * 4 * width + 3 * width
                        for j in 0..<width {
                            let o = u[3 * width + j], tc = u[4 * width + j]
                            dd[j] = pg[s + j] * tc * o * (1 - o)
                        }
                    }
                }
            }
            grads.add(to: cellVar, rows: b, cols: width) { acc in
                withPointers(g, gates) { pg, pu in
                    acc.storage.withUnsafeMutableBufferPointer { out in
                        for r in 0..<b {
                            let s = r * width, u = pu + r * 5 * width
                            for j in 0..<width {
                                let o = u[3 * width + j], tc = u[4 * width + j]
                                out[s + j] += pg[s + j] * o * (1 - tc * tc)
                            }
                        }
                    }
                }
            }
            grads.add(to: c, d)
            grads.add(to: a, d)
        }
        return (hiddenVar, cellVar)
    }
}
