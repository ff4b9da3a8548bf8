import XlingCore

extension Tape {
    /// One direction of a PyTorch-form LSTM over the packed real steps of a batch as one
    /// primitive (as `gruSequence`): the recurrence of `lstmGates` at every step from zero h and
    /// c, each step's product over its present examples only, the recurrent weight's gradient as
    /// one GEMM over all steps.
    ///
    /// Shapes: A N×4h, the projected inputs x·W_ih + b_ih of the N = `packing.count` packed rows
    /// (gate order i, f, g, o); W_hh h×4h; b_hh 1×4h; Y N×h, packed row k = h_t of its example.
    /// Steps run t = 0…T−1, or T−1…0 when `reversed`.
    /// Derivative: back-propagation through time with G_h = ∂L/∂h_t (output plus carried) and
    /// G_c = ∂L/∂c_t (carried) + G_h⊙o⊙(1 − tanh²c_t): δo = G_h⊙tanh(c_t)⊙o(1 − o),
    /// δi = G_c⊙g⊙i(1 − i), δf = G_c⊙c_{t−1}⊙f(1 − f), δg = G_c⊙i⊙(1 − g²); δ = [δi δf δg δo] is
    /// ∂L/∂A of the row and of c = h_{t−1}·W_hh + b_hh; ∂L/∂c_{t−1} = G_c⊙f, ∂L/∂h_{t−1} = δ·W_hhᵀ,
    /// ∂L/∂W_hh += Σ_k h_prev[k]ᵀ·δ[k], ∂L/∂b_hh += Σ_k δ[k].
    public mutating func lstmSequence(input a: Var, weight w: Var, bias bh: Var, packing: PackedSteps, reversed: Bool) -> Var {
        let av = self[a], wv = self[w], bv = self[bh]
        let b = packing.batch, h = wv.rows, total = packing.count
        precondition(
            av.rows == total && wv.cols == 4 * h && av.cols == 4 * h && bv.rows == 1 && bv.cols == 4 * h,
            "lstmSequence: input \(av.shapeDescription) for \(total) packed rows, weight \(wv.shapeDescription), bias \(bv.shapeDescription)"
        )
        let order = reversed ? Array((0..<packing.steps).reversed()) : Array(0..<packing.steps)
        var hState = Matrix(rows: b, cols: h), cState = Matrix(rows: b, cols: h), c = Matrix(rows: b, cols: 4 * h)
        // Kept for the pullback, per packed row: h and c entering the step; σ(i), σ(f), tanh(g), σ(o), tanh(c_t).
        var previousH = Matrix(rows: total, cols: h), previousC = Matrix(rows: total, cols: h), act = Matrix(rows: total, cols: 5 * h)
        var y = Matrix(rows: total, cols: h)
        withPointers(av, wv, bv) { pa, pw, pb in
            c.storage.withUnsafeMutableBufferPointer { pcBuffer in
                previousH.storage.withUnsafeMutableBufferPointer { pPrevH in
                    previousC.storage.withUnsafeMutableBufferPointer { pPrevC in
                        act.storage.withUnsafeMutableBufferPointer { pAct in
                            y.storage.withUnsafeMutableBufferPointer { pY in
                                hState.storage.withUnsafeMutableBufferPointer { pH in
                                    cState.storage.withUnsafeMutableBufferPointer { pC in
                                        let pc = pcBuffer.baseAddress!
                                        for s in order {
                                            let active = packing.active[s], start = packing.offsets[s]
                                            if active.isEmpty { continue }
                                            for (k, i) in active.enumerated() {
                                                (pPrevH.baseAddress! + (start + k) * h).update(from: pH.baseAddress! + i * h, count: h)
                                                (pPrevC.baseAddress! + (start + k) * h).update(from: pC.baseAddress! + i * h, count: h)
                                                (pc + k * 4 * h).update(from: pb, count: 4 * h)
                                            }
                                            Matrix.accumulateProduct(
                                                m: active.count, n: 4 * h, k: h, pPrevH.baseAddress! + start * h, lda: h, pw, ldb: 4 * h,
                                                into: pc,
                                                ldc: 4 * h)
                                            for (k, i) in active.enumerated() {
                                                let row = start + k
                                                let ga = pa + row * 4 * h, gc = pc + k * 4 * h, u = pAct.baseAddress! + row * 5 * h
                                                let hh = pH.baseAddress! + i * h, cc = pC.baseAddress! + i * h,
                                                    out = pY.baseAddress! + row * h
                                                for j in 0..<2 * h { u[j] = FastMath.sigmoid(ga[j] + gc[j]) }
                                                for j in 2 * h..<3 * h { u[j] = FastMath.tanh(ga[j] + gc[j]) }
                                                for j in 3 * h..<4 * h { u[j] = FastMath.sigmoid(ga[j] + gc[j]) }
                                                for j in 0..<h { cc[j] = u[h + j] * cc[j] + u[j] * u[2 * h + j] }
                                                for j in 0..<h { u[4 * h + j] = FastMath.tanh(cc[j]) }
                                                for j in 0..<h {
                                                    hh[j] = u[3 * h + j] * u[4 * h + j]
                                                    out[j] = hh[j]
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
        let saved = (h: previousH, c: previousC, act: act)
        return record(y, needs: anyNeedsGradient([a, w, bh])) { g, grads in
            var dh = Matrix(rows: b, cols: h), dcell = Matrix(rows: b, cols: h), dhStep = Matrix(rows: b, cols: h)
            var delta = Matrix(rows: total, cols: 4 * h)
            withPointers(g, saved.act, saved.c) { pg, pu, pPrevC in
                wv.storage.withUnsafeBufferPointer { pwBuffer in
                    delta.storage.withUnsafeMutableBufferPointer { pD in
                        dh.storage.withUnsafeMutableBufferPointer { pDh in
                            dcell.storage.withUnsafeMutableBufferPointer { pDc in
                                dhStep.storage.withUnsafeMutableBufferPointer { pStep in
                                    for s in order.reversed() {
                                        let active = packing.active[s], start = packing.offsets[s]
                                        if active.isEmpty { continue }
                                        for (k, i) in active.enumerated() {
                                            let row = start + k
                                            let gr = pg + row * h, u = pu + row * 5 * h, cp = pPrevC + row * h
                                            let dd = pD.baseAddress! + row * 4 * h, dhr = pDh.baseAddress! + i * h,
                                                dcr = pDc.baseAddress! + i * h
                                            for j in 0..<h {
                                                let ig = u[j], f = u[h + j], gt = u[2 * h + j], o = u[3 * h + j], tc = u[4 * h + j]
                                                let gh = gr[j] + dhr[j]
                                                let gc = dcr[j] + gh * o * (1 - tc * tc)
                                                dd[j] = gc * gt * ig * (1 - ig)
                                                dd[h + j] = gc * cp[j] * f * (1 - f)
                                                dd[2 * h + j] = gc * ig * (1 - gt * gt)
                                                dd[3 * h + j] = gh * tc * o * (1 - o)
                                                dcr[j] = gc * f
                                            }
                                        }
                                        Matrix.accumulateProduct(
                                            m: active.count, n: h, k: 4 * h, pD.baseAddress! + start * 4 * h, lda: 4 * h,
                                            pwBuffer.baseAddress!,
                                            ldb: 4 * h, transposeB: true, into: pStep.baseAddress!, ldc: h, beta: 0)
                                        for (k, i) in active.enumerated() {
                                            (pDh.baseAddress! + i * h).update(from: pStep.baseAddress! + k * h, count: h)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            grads.add(to: w, rows: h, cols: 4 * h) { Matrix.accumulateProduct(saved.h, delta, into: &$0, transposeA: true) }
            grads.add(to: bh, rows: 1, cols: 4 * h) { acc in
                acc.storage.withUnsafeMutableBufferPointer { out in
                    delta.storage.withUnsafeBufferPointer { src in
                        for i in 0..<total {
                            let base = src.baseAddress! + i * 4 * h
                            for j in 0..<4 * h { out[j] += base[j] }
                        }
                    }
                }
            }
            grads.add(to: a, delta)
        }
    }
}
