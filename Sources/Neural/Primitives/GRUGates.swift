import XlingCore

#if canImport(Glibc)
import Glibc
#endif

extension Tape {
    /// The gate block of a PyTorch-form GRU step, fused (the profile of bi-GRU-Att training showed
    /// the composed version's column copies and buffers costing as much as its GEMMs):
    /// r = σ(a_r + c_r), z = σ(a_z + c_z), n = tanh(a_n + r⊙c_n), h' = (1 − z)⊙n + z⊙h, with
    /// a = x·W_ih + b_ih and c = h·W_hh + b_hh (columns in gate order r, z, n).
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
        var r = [Float](repeating: 0, count: b * width), z = r, n = r
        var out = Matrix(rows: b, cols: width)
        for i in 0..<b {
            let g = i * 3 * width, s = i * width
            for j in 0..<width {
                let rr = 1 / (1 + expf(-(av.storage[g + j] + cv.storage[g + j])))
                let zz = 1 / (1 + expf(-(av.storage[g + width + j] + cv.storage[g + width + j])))
                let nn = tanhf(av.storage[g + 2 * width + j] + rr * cv.storage[g + 2 * width + j])
                r[s + j] = rr
                z[s + j] = zz
                n[s + j] = nn
                out.storage[s + j] = nn + zz * (hv.storage[s + j] - nn)
            }
        }
        return record(out, needs: anyNeedsGradient([a, c, h])) { g, grads in
            var da = Matrix(rows: b, cols: 3 * width)
            for i in 0..<b {
                let q = i * 3 * width, s = i * width
                for j in 0..<width {
                    let gg = g.storage[s + j], rr = r[s + j], zz = z[s + j], nn = n[s + j]
                    let dn = gg * (1 - zz) * (1 - nn * nn)
                    let dr = dn * cv.storage[q + 2 * width + j] * rr * (1 - rr)
                    let dz = gg * (hv.storage[s + j] - nn) * zz * (1 - zz)
                    da.storage[q + j] = dr
                    da.storage[q + width + j] = dz
                    da.storage[q + 2 * width + j] = dn
                }
            }
            grads.add(to: h, rows: b, cols: width) { acc in
                for k in 0..<b * width { acc.storage[k] += g.storage[k] * z[k] }
            }
            if grads.needs(c) {
                var dc = da
                for i in 0..<b {
                    let q = i * 3 * width + 2 * width, s = i * width
                    for j in 0..<width { dc.storage[q + j] *= r[s + j] }
                }
                grads.add(to: c, dc)
            }
            grads.add(to: a, da)
        }
    }
}
