import XlingCore

#if canImport(Glibc)
import Glibc
#endif

extension Tape {
    /// The mean binary cross-entropy of sigmoid outputs against soft targets, from the logits:
    /// L = (1/n) Σᵢ −[yᵢ log σ(zᵢ) + (1 − yᵢ) log(1 − σ(zᵢ))] = (1/n) Σᵢ softplus(zᵢ) − yᵢzᵢ,
    /// evaluated in the overflow-free form max(z, 0) − yz + log(1 + e^−|z|) (PyTorch's
    /// `BCEWithLogitsLoss`; equal to `Sigmoid` then `BCELoss` away from its log clamp at −100).
    ///
    /// Shapes: Z n×1 logits, `targets` n values in [0, 1] (smoothed labels allowed), L 1×1.
    /// Derivative: ∂L/∂zᵢ += G·(σ(zᵢ) − yᵢ)/n.
    public mutating func sigmoidBinaryCrossEntropy(_ logits: Var, targets: [Float]) -> Var {
        let z = self[logits]
        precondition(z.cols == 1 && z.rows == targets.count && z.rows > 0, "one logit per target, as an n×1 column")
        var total = 0.0
        var residual = [Float](repeating: 0, count: z.rows)
        for i in 0..<z.rows {
            let v = Double(z.storage[i]), y = Double(targets[i])
            total += max(v, 0) - y * v + log1p(exp(-abs(v)))
            residual[i] = Float(1 / (1 + exp(-v)) - y)
        }
        let n = Float(z.rows)
        return record(Matrix(rows: 1, cols: 1, repeating: Float(total / Double(z.rows))), needs: anyNeedsGradient([logits])) { g, grads in
            let s = g.storage[0] / n
            grads.add(to: logits, rows: z.rows, cols: 1) { acc in for i in acc.storage.indices { acc.storage[i] += s * residual[i] } }
        }
    }
}
