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
        let run = GRURecurrence(input: self[a], weight: self[w], bias: self[bh], packing: packing, reversed: reversed)
        return record(run.y, needs: anyNeedsGradient([a, w, bh])) { g, grads in
            let d = run.gradients(g)
            grads.add(to: w, d.weight)
            grads.add(to: bh, d.bias)
            grads.add(to: a, d.input)
        }
    }

    /// Both directions of a bidirectional PyTorch-form GRU as one primitive: `gruSequence` over
    /// `forward` (t = 0…T−1) and over `backward` (reversed), the output N × 2h = [→h ; ←h] per packed
    /// row. With `threads` ≥ 2 the two directions run at once on two threads (each with
    /// single-threaded BLAS), in the forward and the backward pass; the directions share nothing and
    /// each one's arithmetic is unchanged, so every number is the same at any thread count.
    ///
    /// Shapes: each A N×3h, W_hh h×3h, b_hh 1×3h; Y N×2h. Derivative: `gruSequence`'s, per direction,
    /// on the columns of ∂L/∂Y that direction wrote.
    public mutating func gruBidirectional(
        forward: (input: Var, weight: Var, bias: Var), backward: (input: Var, weight: Var, bias: Var), packing: PackedSteps,
        threads: Int
    ) -> Var {
        let directions = [forward, backward]
        let values = directions.map { (input: self[$0.input], weight: self[$0.weight], bias: self[$0.bias]) }
        let h = values[0].weight.rows, n = packing.count
        precondition(values[1].weight.rows == h, "gruBidirectional: the directions' widths differ")
        let runs = Self.inParallel(threads: threads) { d in
            GRURecurrence(input: values[d].input, weight: values[d].weight, bias: values[d].bias, packing: packing, reversed: d == 1)
        }
        var y = Matrix(rows: n, cols: 2 * h)
        for (d, run) in runs.enumerated() {
            for k in 0..<n { for j in 0..<h { y.storage[k * 2 * h + d * h + j] = run.y.storage[k * h + j] } }
        }
        let needs = anyNeedsGradient(directions.flatMap { [$0.input, $0.weight, $0.bias] })
        return record(y, needs: needs) { g, grads in
            let parts = Self.inParallel(threads: threads) { d in
                var gd = Matrix(rows: n, cols: h)
                for k in 0..<n { for j in 0..<h { gd.storage[k * h + j] = g.storage[k * 2 * h + d * h + j] } }
                return runs[d].gradients(gd)
            }
            for (d, part) in parts.enumerated() {
                grads.add(to: directions[d].weight, part.weight)
                grads.add(to: directions[d].bias, part.bias)
                grads.add(to: directions[d].input, part.input)
            }
        }
    }

    /// [`body(0)`, `body(1)`]: on the calling thread one after the other, or with `threads` ≥ 2 at
    /// once on two threads, OpenBLAS single-threaded meanwhile (its thread count is process-wide).
    static func inParallel<R: Sendable>(threads: Int, _ body: @escaping @Sendable (Int) -> R) -> [R] {
        guard threads >= 2 else { return [body(0), body(1)] }
        return BlockedGEMM.withSingleThreadedBLAS {
            WorkerThreads.run(ranges: [0..<1, 1..<2], initial: R?.none) { t, _ in body(t) }.map { $0! }
        }
    }
}

/// One direction of a PyTorch-form GRU over packed steps (`Tape.gruSequence`): the outputs and what
/// the backward pass needs, on plain matrices, so that a BiRNN's two directions can run on two threads.
struct GRURecurrence: Sendable {
    /// W_hh (h×3h), the packing and the direction.
    let weight: Matrix, packing: PackedSteps, reversed: Bool
    /// Y (N×h); per packed row, the state entering the step (N×h), the gates r, z, n (N×3h) and c_n (N×h).
    let y: Matrix, previous: Matrix, gates: Matrix, cn: Matrix

    /// Runs the recurrence over the projected inputs `av` (N×3h) with W_hh `wv` (h×3h) and b_hh `bv` (1×3h).
    init(input av: Matrix, weight wv: Matrix, bias bv: Matrix, packing: PackedSteps, reversed: Bool) {
        let b = packing.batch, h = wv.rows, total = packing.count
        precondition(
            av.rows == total && wv.cols == 3 * h && av.cols == 3 * h && bv.rows == 1 && bv.cols == 3 * h,
            "gruSequence: input \(av.shapeDescription) for \(total) packed rows, weight \(wv.shapeDescription), bias \(bv.shapeDescription)"
        )
        let order = reversed ? Array((0..<packing.steps).reversed()) : Array(0..<packing.steps)
        var state = Matrix(rows: b, cols: h), c = Matrix(rows: b, cols: 3 * h)
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
        self.weight = wv
        self.packing = packing
        self.reversed = reversed
        self.y = y
        self.previous = previous
        self.gates = gates
        self.cn = cn
    }

    /// ∂L/∂A (N×3h), ∂L/∂W_hh (h×3h) and ∂L/∂b_hh (1×3h) from ∂L/∂Y `g` (N×h).
    func gradients(_ g: Matrix) -> (input: Matrix, weight: Matrix, bias: Matrix) {
        let b = packing.batch, h = weight.rows, total = packing.count
        let order = reversed ? Array((0..<packing.steps).reversed()) : Array(0..<packing.steps)
        var dh = Matrix(rows: b, cols: h), dhStep = Matrix(rows: b, cols: h)
        var da = Matrix(rows: total, cols: 3 * h), dc = Matrix(rows: total, cols: 3 * h)
        withPointers(g, gates, previous) { pg, pz, pPrev in
            withPointers(cn, weight) { pCn, pw in
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
        var dw = Matrix(rows: h, cols: 3 * h)
        Matrix.accumulateProduct(previous, dc, into: &dw, transposeA: true)
        var db = Matrix(rows: 1, cols: 3 * h)
        dc.storage.withUnsafeBufferPointer { src in
            for i in 0..<total {
                let base = src.baseAddress! + i * 3 * h
                for j in 0..<3 * h { db.storage[j] += base[j] }
            }
        }
        return (da, dw, db)
    }
}
