import XlingCore

extension Tape {
    /// Yᵢ = X_{ids[i]}, or a zero row where ids[i] = −1: rows of a computed matrix picked (and
    /// repeated or left out) by index, how a hierarchical network regroups the vectors of its
    /// sentences into a padded, time-major batch of documents.
    ///
    /// Shapes: X n×m, `ids` k values in −1…n−1, Y k×m. Derivative: ∂L/∂X_{ids[i]} += Gᵢ for
    /// every i with ids[i] ≥ 0 (a row picked twice receives both gradients).
    public mutating func pickRows(_ x: Var, ids: [Int]) -> Var {
        let xv = self[x]
        let n = xv.rows, m = xv.cols
        precondition(ids.allSatisfy { $0 >= -1 && $0 < n }, "pickRows: ids must be in -1..<\(n)")
        var y = Matrix(rows: ids.count, cols: m)
        for (i, id) in ids.enumerated() where id >= 0 {
            for j in 0..<m { y.storage[i * m + j] = xv.storage[id * m + j] }
        }
        return record(y, needs: anyNeedsGradient([x])) { g, grads in
            grads.add(to: x, rows: n, cols: m) { acc in
                for (i, id) in ids.enumerated() where id >= 0 {
                    for j in 0..<m { acc.storage[id * m + j] += g.storage[i * m + j] }
                }
            }
        }
    }
}
