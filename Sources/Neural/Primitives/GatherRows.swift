import XlingCore

extension Tape {
    /// Y[k] = X[indices[k]]: rows of a value picked (and possibly repeated), e.g. a padded stack
    /// packed to its real steps (`PackedSteps.rows`).
    ///
    /// Shapes: X n×m, Y |indices|×m. Derivative: ∂L/∂X[indices[k]] += G[k].
    public mutating func rows(_ x: Var, at indices: [Int]) -> Var {
        let xv = self[x]
        let m = xv.cols
        precondition(indices.allSatisfy { $0 >= 0 && $0 < xv.rows }, "rows(at:): an index outside the \(xv.rows) rows")
        var y = Matrix(rows: indices.count, cols: m)
        y.storage.withUnsafeMutableBufferPointer { out in
            xv.storage.withUnsafeBufferPointer { src in
                for (k, i) in indices.enumerated() { (out.baseAddress! + k * m).update(from: src.baseAddress! + i * m, count: m) }
            }
        }
        return record(y, needs: anyNeedsGradient([x])) { g, grads in
            grads.add(to: x, rows: xv.rows, cols: m) { acc in
                acc.storage.withUnsafeMutableBufferPointer { out in
                    g.storage.withUnsafeBufferPointer { src in
                        for (k, i) in indices.enumerated() {
                            let from = src.baseAddress! + k * m, to = out.baseAddress! + i * m
                            for j in 0..<m { to[j] += from[j] }
                        }
                    }
                }
            }
        }
    }

    /// Z (`count` × m) with Z[indices[k]] = Y[k] and zero rows elsewhere: packed rows put back
    /// in their padded stack (the inverse of `rows(_:at:)` for distinct indices).
    ///
    /// Shapes: Y |indices|×m with distinct `indices` in 0..<count. Derivative: ∂L/∂Y[k] += G[indices[k]].
    public mutating func scatterRows(_ y: Var, to indices: [Int], count: Int) -> Var {
        let yv = self[y]
        let m = yv.cols
        precondition(yv.rows == indices.count && indices.allSatisfy { $0 >= 0 && $0 < count }, "scatterRows: \(yv.rows) rows, indices")
        var z = Matrix(rows: count, cols: m)
        z.storage.withUnsafeMutableBufferPointer { out in
            yv.storage.withUnsafeBufferPointer { src in
                for (k, i) in indices.enumerated() { (out.baseAddress! + i * m).update(from: src.baseAddress! + k * m, count: m) }
            }
        }
        return record(z, needs: anyNeedsGradient([y])) { g, grads in
            grads.add(to: y, rows: yv.rows, cols: m) { acc in
                acc.storage.withUnsafeMutableBufferPointer { out in
                    g.storage.withUnsafeBufferPointer { src in
                        for (k, i) in indices.enumerated() {
                            let from = src.baseAddress! + i * m, to = out.baseAddress! + k * m
                            for j in 0..<m { to[j] += from[j] }
                        }
                    }
                }
            }
        }
    }
}
