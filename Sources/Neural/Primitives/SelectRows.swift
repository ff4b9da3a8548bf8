import XlingCore

extension Tape {
    /// Yᵢ = Aᵢ where `take[i]`, else Bᵢ: row-wise selection, how a padded batch keeps the state
    /// of examples whose sequence has ended (the carried state of a length-masked RNN).
    ///
    /// Shapes: A, B n×m, `take` n flags, Y n×m. Derivative: ∂L/∂Aᵢ += Gᵢ where take[i],
    /// ∂L/∂Bᵢ += Gᵢ elsewhere.
    public mutating func selectRows(_ take: [Bool], _ a: Var, _ b: Var) -> Var {
        let av = self[a], bv = self[b]
        precondition(
            av.rows == bv.rows && av.cols == bv.cols && take.count == av.rows,
            "selectRows: \(av.shapeDescription) and \(bv.shapeDescription)")
        if take.allSatisfy({ $0 }) { return a }
        if !take.contains(true) { return b }
        let m = av.cols
        var y = bv
        for (i, t) in take.enumerated() where t {
            for j in 0..<m { y.storage[i * m + j] = av.storage[i * m + j] }
        }
        return record(y, needs: anyNeedsGradient([a, b])) { g, grads in
            for (v, want) in [(a, true), (b, false)] {
                grads.add(to: v, rows: g.rows, cols: m) { acc in
                    for (i, t) in take.enumerated() where t == want {
                        for j in 0..<m { acc.storage[i * m + j] += g.storage[i * m + j] }
                    }
                }
            }
        }
    }
}
