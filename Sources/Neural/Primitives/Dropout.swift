import XlingCore

extension Tape {
    /// Inverted dropout (Srivastava et al. 2014): when training, each element is kept with
    /// probability 1 − `rate` and scaled by 1/(1 − `rate`); otherwise (or with rate 0) the identity.
    ///
    /// The mask takes one `generator.nextFloat()` per element, row-major (dropped when < rate),
    /// so the run's seed fixes it. Shapes: X, Y n×m. Derivative: ∂L/∂X += G ⊙ mask.
    public mutating func dropout(_ x: Var, rate: Float, generator: inout SplitMix64) -> Var {
        precondition(rate >= 0 && rate < 1, "dropout rate must be in [0, 1)")
        guard isTraining, rate > 0 else { return x }
        let xv = self[x]
        let keep = 1 / (1 - rate)
        var mask = [Float](repeating: 0, count: xv.storage.count)
        var y = xv
        for k in mask.indices {
            mask[k] = generator.nextFloat() < rate ? 0 : keep
            y.storage[k] *= mask[k]
        }
        return record(y, needs: anyNeedsGradient([x])) { g, grads in
            grads.add(to: x, rows: xv.rows, cols: xv.cols) { acc in
                for k in acc.storage.indices { acc.storage[k] += g.storage[k] * mask[k] }
            }
        }
    }
}
