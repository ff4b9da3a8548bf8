import XlingCore

extension Tape {
    /// Y = E[ids]: rows of an embedding table, one per id (ids may repeat); the id −1 is padding
    /// and gives a zero row (the zero pad vectors of a padded batch).
    ///
    /// Shapes: E |V|×d (a parameter), Y n×d for n ids. Derivative (a scatter into the store's
    /// sparse rows): ∂L/∂E[ids[k]] += G_k for ids[k] ≥ 0; only those rows are touched.
    public mutating func gather(_ table: Parameter, ids: [Int]) -> Var {
        let e = parameterValue(table)
        let d = e.cols
        var y = Matrix(rows: ids.count, cols: d)
        y.storage.withUnsafeMutableBufferPointer { out in
            e.storage.withUnsafeBufferPointer { src in
                for (k, id) in ids.enumerated() where id != -1 {
                    precondition(id >= 0 && id < e.rows, "gather: id \(id) is outside the \(e.rows)-row table")
                    (out.baseAddress! + k * d).update(from: src.baseAddress! + id * d, count: d)
                }
            }
        }
        return record(y, needs: parameterNeedsGradient(table)) { g, grads in
            if !ids.contains(-1) { return grads.store.accumulateRows(table, rows: ids, g) }
            let real = ids.indices.filter { ids[$0] >= 0 }
            var rows = Matrix(rows: real.count, cols: d)
            for (r, k) in real.enumerated() { for j in 0..<d { rows.storage[r * d + j] = g.storage[k * d + j] } }
            grads.store.accumulateRows(table, rows: real.map { ids[$0] }, rows)
        }
    }
}
