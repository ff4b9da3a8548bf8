import XlingCore

extension Tape {
    /// One direction of a PyTorch-form GRU (σ gates, reset after the product) over the packed
    /// real steps of a batch as one primitive: the recurrence of `gruGates` at every step from a
    /// zero state, each step's products over its present examples only (`PackedSteps`, PyTorch's
    /// packed sequences). Recording the whole sequence at once lets the backward pass gather the
    /// recurrent weight's gradient into one GEMM over all steps (cuDNN's layout) instead of one
    /// small GEMM per step, and drops the per-step slices, selections and buffers of the
    /// step-by-step form (a profile of bi-GRU-Att training: those plus the per-step weight
    /// gradients cost about as much as the recurrent products; half of a SIB-200 batch's rows are
    /// padding).
    ///
    /// Shapes: A N×3h, the projected inputs x·W_ih + b_ih of the N = `packing.count` packed rows;
    /// W_hh h×3h; b_hh 1×3h; Y N×h, packed row k = h_t of its example. Steps run t = 0…T−1, or
    /// T−1…0 when `reversed`; an example's state starts at zero at its first step in that order.
    /// Derivative: back-propagation through time of `gruGates` with c_t = h_{t−1}·W_hh + b_hh:
    /// ∂L/∂A[k] = δa of row k, ∂L/∂W_hh += Σ_k h_prev[k]ᵀ·δc[k] (one GEMM), ∂L/∂b_hh += Σ_k δc[k],
    /// ∂L/∂h_{t−1} = (∂L/∂h_t)⊙z_t + δc_t·W_hhᵀ.
    public mutating func gruSequence(input a: Var, weight w: Var, bias bh: Var, packing: PackedSteps, reversed: Bool) -> Var {
        let av = self[a], wv = self[w], bv = self[bh]
        let b = packing.batch, h = wv.rows, total = packing.count
        precondition(
            av.rows == total && wv.cols == 3 * h && av.cols == 3 * h && bv.rows == 1 && bv.cols == 3 * h,
            "gruSequence: input \(av.shapeDescription) for \(total) packed rows, weight \(wv.shapeDescription), bias \(bv.shapeDescription)"
        )
        let order = reversed ? Array((0..<packing.steps).reversed()) : Array(0..<packing.steps)
        var state = Matrix(rows: b, cols: h), c = Matrix(rows: b, cols: 3 * h)
        // Kept for the pullback, per packed row: the state entering the step, the gates r, z, n, c_n.
        var previous = Matrix(rows: total, cols: h), gates = Matrix(rows: total, cols: 3 * h), cn = Matrix(rows: total, cols: h)
        var y = Matrix(rows: total, cols: h)
        av.storage.withUnsafeBufferPointer { pa in
            wv.storage.withUnsafeBufferPointer { pw in
                bv.storage.withUnsafeBufferPointer { pb in
                    c.storage.withUnsafeMutableBufferPointer { pc in
                        previous.storage.withUnsafeMutableBufferPointer { pPrev in
                            gates.storage.withUnsafeMutableBufferPointer { pGates in
                                cn.storage.withUnsafeMutableBufferPointer { pCn in
                                    y.storage.withUnsafeMutableBufferPointer { pY in
                                        state.storage.withUnsafeMutableBufferPointer { pState in
                                            for s in order {
                                                let active = packing.active[s], start = packing.offsets[s]
                                                if active.isEmpty { continue }
                                                for (k, i) in active.enumerated() {
                                                    (pPrev.baseAddress! + (start + k) * h).update(
                                                        from: pState.baseAddress! + i * h, count: h)
                                                    (pc.baseAddress! + k * 3 * h).update(from: pb.baseAddress!, count: 3 * h)
                                                }
                                                Matrix.accumulateProduct(
                                                    m: active.count, n: 3 * h, k: h, pPrev.baseAddress! + start * h, lda: h,
                                                    pw.baseAddress!, ldb: 3 * h,
                                                    into: pc.baseAddress!, ldc: 3 * h)
                                                for (k, i) in active.enumerated() {
                                                    let row = start + k
                                                    let ga = pa.baseAddress! + row * 3 * h, gc = pc.baseAddress! + k * 3 * h
                                                    let g = pGates.baseAddress! + row * 3 * h, n = pCn.baseAddress! + row * h
                                                    let hh = pState.baseAddress! + i * h, out = pY.baseAddress! + row * h
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
                }
            }
        }
        let saved = (previous: previous, gates: gates, cn: cn)
        return record(y, needs: anyNeedsGradient([a, w, bh])) { g, grads in
            var dh = Matrix(rows: b, cols: h), dhStep = Matrix(rows: b, cols: h)
            var da = Matrix(rows: total, cols: 3 * h), dc = Matrix(rows: total, cols: 3 * h)
            withPointers(g, saved.gates, saved.previous) { pg, pz, pPrev in
                withPointers(saved.cn, wv) { pCn, pw in
                    da.storage.withUnsafeMutableBufferPointer { pDa in
                        dc.storage.withUnsafeMutableBufferPointer { pDc in
                            dh.storage.withUnsafeMutableBufferPointer { pDh in
                                dhStep.storage.withUnsafeMutableBufferPointer { pStep in
                                    for s in order.reversed() {
                                        let active = packing.active[s], start = packing.offsets[s]
                                        if active.isEmpty { continue }
                                        for (k, i) in active.enumerated() {
                                            let row = start + k
                                            let gr = pg + row * h, r = pz + row * 3 * h, hp = pPrev + row * h, cnr = pCn + row * h
                                            let dd = pDa.baseAddress! + row * 3 * h, dcr = pDc.baseAddress! + row * 3 * h
                                            let dhr = pDh.baseAddress! + i * h
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
                                                dhr[j] = gg * z
                                            }
                                        }
                                        // δc_t·W_hhᵀ for the present examples, added into their state gradients.
                                        Matrix.accumulateProduct(
                                            m: active.count, n: h, k: 3 * h, pDc.baseAddress! + start * 3 * h, lda: 3 * h, pw, ldb: 3 * h,
                                            transposeB: true, into: pStep.baseAddress!, ldc: h, beta: 0)
                                        for (k, i) in active.enumerated() {
                                            let from = pStep.baseAddress! + k * h, to = pDh.baseAddress! + i * h
                                            for j in 0..<h { to[j] += from[j] }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            grads.add(to: w, rows: h, cols: 3 * h) { Matrix.accumulateProduct(saved.previous, dc, into: &$0, transposeA: true) }
            grads.add(to: bh, rows: 1, cols: 3 * h) { acc in
                acc.storage.withUnsafeMutableBufferPointer { out in
                    dc.storage.withUnsafeBufferPointer { src in
                        for i in 0..<total {
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
