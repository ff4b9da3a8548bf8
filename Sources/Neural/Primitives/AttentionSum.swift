import XlingCore

extension Tape {
    /// c_b = Σ_t α_{t,b} · H[t·B + b]: the attention-weighted sum of a time-major stack.
    ///
    /// Shapes: α (T·B)×1, H (T·B)×h, c B×h. Derivative: ∂L/∂α_{t,b} += G_b · H[t·B + b],
    /// ∂L/∂H[t·B + b] += α_{t,b} · G_b.
    public mutating func attentionSum(_ weights: Var, _ values: Var, batch b: Int) -> Var {
        let a = self[weights], hv = self[values]
        precondition(a.cols == 1 && a.rows == hv.rows && b > 0 && hv.rows % b == 0, "attentionSum: \(a.shapeDescription) weights")
        let steps = hv.rows / b, h = hv.cols
        var c = Matrix(rows: b, cols: h)
        for t in 0..<steps {
            for i in 0..<b {
                let w = a.storage[t * b + i], base = (t * b + i) * h
                guard w != 0 else { continue }
                for j in 0..<h { c.storage[i * h + j] += w * hv.storage[base + j] }
            }
        }
        return record(c, needs: anyNeedsGradient([weights, values])) { g, grads in
            grads.add(to: weights, rows: a.rows, cols: 1) { acc in
                for t in 0..<steps {
                    for i in 0..<b {
                        let base = (t * b + i) * h
                        var dot: Float = 0
                        for j in 0..<h { dot += g.storage[i * h + j] * hv.storage[base + j] }
                        acc.storage[t * b + i] += dot
                    }
                }
            }
            grads.add(to: values, rows: hv.rows, cols: h) { acc in
                for t in 0..<steps {
                    for i in 0..<b {
                        let w = a.storage[t * b + i], base = (t * b + i) * h
                        for j in 0..<h { acc.storage[base + j] += w * g.storage[i * h + j] }
                    }
                }
            }
        }
    }
}
