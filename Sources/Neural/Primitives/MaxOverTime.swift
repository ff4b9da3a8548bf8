import XlingCore

extension Tape {
    /// Y[b, f] = max over positions p < valid_b of X[p·B + b, f]: max-pooling over time of a
    /// position-major stack (a convolution's output), Kim (2014).
    ///
    /// Shapes: X (P·B)×F, Y B×F; `valid` (B values in 1…P, nil: all P positions) bounds each
    /// example's real positions. The winner of a tie is the first position (`torch.max`'s rule
    /// for a unique maximum; ties only occur where the gradient is zero anyway after ReLU).
    /// Derivative: ∂L/∂X[p*·B + b, f] += G[b, f] at the winning position p*.
    public mutating func maxOverTime(_ x: Var, batch b: Int, valid: [Int]? = nil) -> Var {
        let xv = self[x]
        precondition(b > 0 && xv.rows % b == 0, "maxOverTime: \(xv.rows) rows are not positions × \(b)")
        let positions = xv.rows / b, f = xv.cols
        if let valid { precondition(valid.count == b && valid.allSatisfy { $0 >= 1 && $0 <= positions }, "maxOverTime: valid counts") }
        var y = Matrix(rows: b, cols: f)
        var winner = [Int](repeating: 0, count: b * f)
        for i in 0..<b {
            let last = valid?[i] ?? positions
            for j in 0..<f {
                var best = xv.storage[i * f + j], at = 0
                for p in 1..<max(1, last) {
                    let v = xv.storage[(p * b + i) * f + j]
                    if v > best {
                        best = v
                        at = p
                    }
                }
                y.storage[i * f + j] = best
                winner[i * f + j] = at
            }
        }
        return record(y, needs: anyNeedsGradient([x])) { g, grads in
            grads.add(to: x, rows: xv.rows, cols: f) { acc in
                for i in 0..<b {
                    for j in 0..<f { acc.storage[(winner[i * f + j] * b + i) * f + j] += g.storage[i * f + j] }
                }
            }
        }
    }
}
