import XlingCore

extension Tape {
    /// The gate block of a PyTorch-form GRU step, fused (the profile of bi-GRU-Att training showed
    /// the composed version's column copies and buffers costing as much as its GEMMs):
    /// r = σ(a_r + c_r), z = σ(a_z + c_z), n = tanh(a_n + r⊙c_n), h' = (1 − z)⊙n + z⊙h, with
    /// a = x·W_ih + b_ih and c = h·W_hh + b_hh (columns in gate order r, z, n). σ and tanh are
    /// `FastMath`'s vectorised forms.
    ///
    /// Shapes: A, C B×3h, H B×h, H′ B×h. Derivative with G = ∂L/∂H′: ∂L/∂H += G⊙z;
    /// δn = G⊙(1 − z)⊙(1 − n²) → ∂L/∂a_n += δn, ∂L/∂c_n += δn⊙r;
    /// δr = δn⊙c_n⊙r⊙(1 − r) → ∂L/∂a_r, ∂L/∂c_r += δr; δz = G⊙(h − n)⊙z⊙(1 − z) → ∂L/∂a_z, ∂L/∂c_z += δz.
    public mutating func gruGates(input a: Var, hidden c: Var, state h: Var) -> Var {
        let av = self[a], cv = self[c], hv = self[h]
        let b = hv.rows, width = hv.cols
        precondition(
            av.rows == b && cv.rows == b && av.cols == 3 * width && cv.cols == 3 * width,
            "gruGates: \(av.shapeDescription) and \(cv.shapeDescription) for a \(hv.shapeDescription) state")
        // rzn: per row, the activated gates r, z, n side by side (B × 3h), kept for the pullback.
        var rzn = Matrix(rows: b, cols: 3 * width)
        var out = Matrix(rows: b, cols: width)
        withPointers(av, cv, hv) { pa, pc, ph in
            rzn.storage.withUnsafeMutableBufferPointer { gates in
                out.storage.withUnsafeMutableBufferPointer { o in
                    for i in 0..<b {
                        let q = i * 3 * width, s = i * width
                        let ga = pa + q, gc = pc + q, g = gates.baseAddress! + q, hh = ph + s, oo = o.baseAddress! + s
                        for j in 0..<2 * width { g[j] = FastMath.sigmoid(ga[j] + gc[j]) }
                        for j in 0..<width {
                            let n = FastMath.tanh(ga[2 * width + j] + g[j] * gc[2 * width + j])
                            g[2 * width + j] = n
                            oo[j] = n + g[width + j] * (hh[j] - n)
                        }
                    }
                }
            }
        }
        let gates = rzn
        return record(out, needs: anyNeedsGradient([a, c, h])) { g, grads in
            var da = Matrix(rows: b, cols: 3 * width)
            withPointers(g, gates, hv) { pg, pz, ph in
                da.storage.withUnsafeMutableBufferPointer { d in
                    cv.storage.withUnsafeBufferPointer { pc in
                        for i in 0..<b {
                            let q = i * 3 * width, s = i * width
                            let gg = pg + s, r = pz + q, hh = ph + s, dd = d.baseAddress! + q
                            let cn = pc.baseAddress! + q + 2 * width
                            for j in 0..<width {
                                let z = r[width + j], n = r[2 * width + j]
                                let dn = gg[j] * (1 - z) * (1 - n * n)
                                dd[j] = dn * cn[j] * r[j] * (1 - r[j])
                                dd[width + j] = gg[j] * (hh[j] - n) * z * (1 - z)
                                dd[2 * width + j] = dn
                            }
                        }
                    }
                }
            }
            grads.add(to: h, rows: b, cols: width) { acc in
                withPointers(g, gates) { pg, pz in
                    acc.storage.withUnsafeMutableBufferPointer { out in
                        for i in 0..<b {
                            let s = i * width, z = pz + i * 3 * width + width
                            for j in 0..<width { out[s + j] += pg[s + j] * z[j] }
                        }
                    }
                }
            }
            if grads.needs(c) {
                var dc = da
                gates.storage.withUnsafeBufferPointer { pz in
                    dc.storage.withUnsafeMutableBufferPointer { d in
                        for i in 0..<b {
                            let q = i * 3 * width + 2 * width
                            for j in 0..<width { d[q + j] *= pz[i * 3 * width + j] }
                        }
                    }
                }
                grads.add(to: c, dc)
            }
            grads.add(to: a, da)
        }
    }
}

/// The base addresses of matrices' storage, for the fused kernels' loops (read only).
@inline(__always)
func withPointers<R>(_ a: Matrix, _ b: Matrix, _ body: (UnsafePointer<Float>, UnsafePointer<Float>) -> R) -> R {
    a.storage.withUnsafeBufferPointer { pa in b.storage.withUnsafeBufferPointer { pb in body(pa.baseAddress!, pb.baseAddress!) } }
}

/// Three matrices' base addresses (read only).
@inline(__always)
func withPointers<R>(
    _ a: Matrix, _ b: Matrix, _ c: Matrix, _ body: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>) -> R
) -> R {
    withPointers(a, b) { pa, pb in c.storage.withUnsafeBufferPointer { pc in body(pa, pb, pc.baseAddress!) } }
}
