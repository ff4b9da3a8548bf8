import XlingCore

extension Tape {
    /// The MF-CNN block of one kernel width as one primitive: Y[b, f] = max over the windows
    /// p < valid_b of ReLU(conv1d(X)[p·B + b, f]), i.e. `maxOverTime(relu(conv1d(…)), valid:)`
    /// computed over the valid windows only (im2col of those windows, packed, and one GEMM):
    /// about half of a SIB-200 batch's windows lie in padding, where the composed form convolves
    /// too. max∘ReLU = ReLU∘max, so the pre-activation's maximum is taken first.
    ///
    /// Shapes: T ≥ k steps X_t B×d; W (k·d)×F (row j·d + c: channel c at offset j); bias 1×F;
    /// `valid` B values in 1…T−k+1; Y B×F. Derivative with the winning window p* (the first
    /// maximum) of each (b, f) and m its pre-activation: where m > 0, with C the window's
    /// im2col row, ∂L/∂W[:, f] += G[b, f]·C, ∂L/∂bias[f] += G[b, f], ∂L/∂X_{p*+j}[b] += G[b, f]·W[j·d…j·d+d, f].
    public mutating func convMaxOverTime(_ steps: [Var], weight w: Var, bias: Var, width k: Int, valid: [Int]) -> Var {
        let t = steps.count
        precondition(k >= 1 && t >= k, "convMaxOverTime: \(t) steps for a width-\(k) kernel")
        let b = self[steps[0]].rows, d = self[steps[0]].cols
        let wv = self[w], bv = self[bias]
        precondition(
            wv.rows == k * d && bv.rows == 1 && bv.cols == wv.cols,
            "convMaxOverTime: weight \(wv.shapeDescription) for width \(k), \(d) channels")
        let positions = t - k + 1, f = wv.cols, kd = k * d
        precondition(valid.count == b && valid.allSatisfy { $0 >= 1 && $0 <= positions }, "convMaxOverTime: valid counts")
        // Packed windows, example-major: example b's windows are rows start[b]..<start[b] + valid[b].
        var start = [0]
        for v in valid { start.append(start[start.count - 1] + v) }
        let n = start[b]
        var columns = Matrix(rows: n, cols: kd)
        let xs = steps.map { self[$0] }
        columns.storage.withUnsafeMutableBufferPointer { out in
            for j in 0..<k {
                for p in 0..<positions {
                    xs[p + j].storage.withUnsafeBufferPointer { src in
                        for i in 0..<b where p < valid[i] {
                            (out.baseAddress! + (start[i] + p) * kd + j * d).update(from: src.baseAddress! + i * d, count: d)
                        }
                    }
                }
            }
        }
        var pre = Matrix(rows: n, cols: f)
        pre.storage.withUnsafeMutableBufferPointer { out in
            bv.storage.withUnsafeBufferPointer { src in
                for r in 0..<n { (out.baseAddress! + r * f).update(from: src.baseAddress!, count: f) }
            }
        }
        Matrix.accumulateProduct(columns, wv, into: &pre, beta: 1)
        var y = Matrix(rows: b, cols: f)
        // The winning packed row of each (b, f), −1 where the maximum is ≤ 0 (ReLU: no gradient).
        var winner = [Int](repeating: -1, count: b * f)
        pre.storage.withUnsafeBufferPointer { src in
            y.storage.withUnsafeMutableBufferPointer { out in
                winner.withUnsafeMutableBufferPointer { win in
                    var best = [Float](repeating: 0, count: f), at = [Int](repeating: 0, count: f)
                    for i in 0..<b {
                        let first = src.baseAddress! + start[i] * f
                        for c in 0..<f {
                            best[c] = first[c]
                            at[c] = start[i]
                        }
                        for r in start[i] + 1..<start[i + 1] {
                            let row = src.baseAddress! + r * f
                            for c in 0..<f where row[c] > best[c] {
                                best[c] = row[c]
                                at[c] = r
                            }
                        }
                        for c in 0..<f {
                            out[i * f + c] = max(best[c], 0)
                            win[i * f + c] = best[c] > 0 ? at[c] : -1
                        }
                    }
                }
            }
        }
        let cv = columns
        return record(y, needs: anyNeedsGradient(steps + [w, bias])) { g, grads in
            // ∂L/∂pre: G at each winner, zero elsewhere.
            var dPre = Matrix(rows: n, cols: f)
            for i in 0..<b {
                for c in 0..<f where winner[i * f + c] >= 0 { dPre.storage[winner[i * f + c] * f + c] += g.storage[i * f + c] }
            }
            grads.add(to: w, rows: kd, cols: f) { Matrix.accumulateProduct(cv, dPre, into: &$0, transposeA: true) }
            grads.add(to: bias, rows: 1, cols: f) { acc in
                for i in 0..<b * f where winner[i] >= 0 { acc.storage[i % f] += g.storage[i] }
            }
            guard steps.contains(where: { grads.needs($0) }) else { return }
            var dc = Matrix(rows: n, cols: kd)
            Matrix.accumulateProduct(dPre, wv, into: &dc, transposeB: true, beta: 0)
            for s in 0..<t {
                // Step s is offset j = s − p of window p, for p in max(0, s−k+1)...min(s, positions−1).
                let lowest = max(0, s - k + 1), highest = min(s, positions - 1)
                guard lowest <= highest else { continue }
                grads.add(to: steps[s], rows: b, cols: d) { acc in
                    acc.storage.withUnsafeMutableBufferPointer { out in
                        dc.storage.withUnsafeBufferPointer { src in
                            for i in 0..<b {
                                let to = out.baseAddress! + i * d
                                for p in lowest...highest where p < valid[i] {
                                    let from = src.baseAddress! + (start[i] + p) * kd + (s - p) * d
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
