import XlingCore

extension Tape {
    /// One direction of a PyTorch-form GRU (σ gates, reset after the product) over a padded,
    /// length-masked, time-major batch as one primitive: the recurrence of `gruGates` at every
    /// step, from a zero state, with the state held where an example has no step (packed-sequence
    /// semantics). Recording the whole sequence at once lets the backward pass gather the
    /// recurrent weight's gradient into one GEMM over all steps (cuDNN's layout) instead of one
    /// small GEMM per step, and drops the per-step slices, selections and buffers of the
    /// step-by-step form (a profile of bi-GRU-Att training: those plus the per-step weight
    /// gradients cost about as much as the recurrent products).
    ///
    /// Shapes: A (T·B)×3h, the projected inputs x_t·W_ih + b_ih (row t·B + b); W_hh h×3h; b_hh
    /// 1×3h; `lengths` B values in 0…T; Y (T·B)×h, row t·B + b = h_t of example b for t < len_b,
    /// zero elsewhere. Steps run t = 0…T−1, or T−1…0 when `reversed`.
    /// Derivative: back-propagation through time of `gruGates` with c_t = h_{t−1}·W_hh + b_hh:
    /// ∂L/∂A row t·B + b = δa_t, ∂L/∂W_hh += Σ_t H_{t−1}ᵀ·δc_t, ∂L/∂b_hh += Σ_t Σ_b δc_t,
    /// ∂L/∂h_{t−1} = (∂L/∂h_t)⊙z_t + δc_t·W_hhᵀ for a real step, = ∂L/∂h_t where the state is held.
    public mutating func gruSequence(input a: Var, weight w: Var, bias bh: Var, lengths: [Int], reversed: Bool) -> Var {
        let av = self[a], wv = self[w], bv = self[bh]
        let b = lengths.count, h = wv.rows
        precondition(b > 0 && av.rows % b == 0, "gruSequence: \(av.rows) rows are not steps × \(b)")
        precondition(
            wv.cols == 3 * h && av.cols == 3 * h && bv.rows == 1 && bv.cols == 3 * h,
            "gruSequence: input \(av.shapeDescription), weight \(wv.shapeDescription), bias \(bv.shapeDescription)")
        let t = av.rows / b
        precondition(lengths.allSatisfy { $0 >= 0 && $0 <= t }, "gruSequence: lengths must be in 0...\(t)")
        let order = reversed ? Array((0..<t).reversed()) : Array(0..<t)
        var state = Matrix(rows: b, cols: h), c = Matrix(rows: b, cols: 3 * h)
        // Kept for the pullback: the state entering each step, the gates r, z, n and c_n.
        var previous = Matrix(rows: t * b, cols: h), gates = Matrix(rows: t * b, cols: 3 * h), cn = Matrix(rows: t * b, cols: h)
        var y = Matrix(rows: t * b, cols: h)
        for s in order {
            let active = (0..<b).filter { s < lengths[$0] }
            if active.isEmpty { continue }
            c.storage.withUnsafeMutableBufferPointer { out in
                bv.storage.withUnsafeBufferPointer { bias in
                    for i in 0..<b { (out.baseAddress! + i * 3 * h).update(from: bias.baseAddress!, count: 3 * h) }
                }
            }
            Matrix.accumulateProduct(state, wv, into: &c, beta: 1)
            withPointers(av, c) { pa, pc in
                previous.storage.withUnsafeMutableBufferPointer { pPrev in
                    gates.storage.withUnsafeMutableBufferPointer { pGates in
                        cn.storage.withUnsafeMutableBufferPointer { pCn in
                            y.storage.withUnsafeMutableBufferPointer { pY in
                                state.storage.withUnsafeMutableBufferPointer { pState in
                                    for i in active {
                                        let row = s * b + i
                                        let ga = pa + row * 3 * h, gc = pc + i * 3 * h, g = pGates.baseAddress! + row * 3 * h
                                        let hh = pState.baseAddress! + i * h, prev = pPrev.baseAddress! + row * h
                                        let out = pY.baseAddress! + row * h, n = pCn.baseAddress! + row * h
                                        prev.update(from: hh, count: h)
                                        for j in 0..<2 * h { g[j] = FastMath.sigmoid(ga[j] + gc[j]) }
                                        for j in 0..<h {
                                            n[j] = gc[2 * h + j]
                                            let nn = FastMath.tanh(ga[2 * h + j] + g[j] * gc[2 * h + j])
                                            g[2 * h + j] = nn
                                            let next = nn + g[h + j] * (hh[j] - nn)
                                            hh[j] = next
                                            out[j] = next
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        let saved = (previous: previous, gates: gates, cn: cn)
        return record(y, needs: anyNeedsGradient([a, w, bh])) { g, grads in
            var dh = Matrix(rows: b, cols: h), dcStep = Matrix(rows: b, cols: 3 * h)
            var da = Matrix(rows: t * b, cols: 3 * h), dc = Matrix(rows: t * b, cols: 3 * h)
            for s in order.reversed() {
                let active = (0..<b).filter { s < lengths[$0] }
                if active.isEmpty { continue }
                for k in dcStep.storage.indices { dcStep.storage[k] = 0 }
                withPointers(g, saved.gates, saved.previous) { pg, pz, pPrev in
                    saved.cn.storage.withUnsafeBufferPointer { pCn in
                        da.storage.withUnsafeMutableBufferPointer { pDa in
                            dc.storage.withUnsafeMutableBufferPointer { pDc in
                                dcStep.storage.withUnsafeMutableBufferPointer { pStep in
                                    dh.storage.withUnsafeMutableBufferPointer { pDh in
                                        for i in active {
                                            let row = s * b + i
                                            let gr = pg + row * h, r = pz + row * 3 * h, hp = pPrev + row * h, cnr = pCn.baseAddress! + row * h
                                            let dd = pDa.baseAddress! + row * 3 * h, dcr = pDc.baseAddress! + row * 3 * h
                                            let st = pStep.baseAddress! + i * 3 * h, dhr = pDh.baseAddress! + i * h
                                            for j in 0..<h {
                                                let gg = gr[j] + dhr[j], z = r[h + j], n = r[2 * h + j]
                                                let dn = gg * (1 - z) * (1 - n * n)
                                                let drr = dn * cnr[j] * r[j] * (1 - r[j])
                                                let dz = gg * (hp[j] - n) * z * (1 - z)
                                                dd[j] = drr
                                                dd[h + j] = dz
                                                dd[2 * h + j] = dn
                                                dcr[j] = drr
                                                dcr[h + j] = dz
                                                dcr[2 * h + j] = dn * r[j]
                                                st[j] = drr
                                                st[h + j] = dz
                                                st[2 * h + j] = dn * r[j]
                                                dhr[j] = gg * z
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                Matrix.accumulateProduct(dcStep, wv, into: &dh, transposeB: true, beta: 1)
            }
            grads.add(to: w, rows: h, cols: 3 * h) { Matrix.accumulateProduct(saved.previous, dc, into: &$0, transposeA: true) }
            grads.add(to: bh, rows: 1, cols: 3 * h) { acc in
                acc.storage.withUnsafeMutableBufferPointer { out in
                    dc.storage.withUnsafeBufferPointer { src in
                        for i in 0..<t * b {
                            let base = src.baseAddress! + i * 3 * h
                            for j in 0..<3 * h { out[j] += base[j] }
                        }
                    }
                }
            }
            grads.add(to: a, da)
        }
    }
}
