import XlingCore

extension Tape {
    /// Y = A ⊙ B, element-wise; B may also be a column n×1, broadcast across A's columns
    /// (a per-row scale such as a step mask).
    ///
    /// Shapes: A n×m, B n×m or n×1, Y n×m. Derivative: ∂L/∂A += G ⊙ B; ∂L/∂B += G ⊙ A
    /// (for a column B: the row sums of G ⊙ A).
    public mutating func hadamard(_ a: Var, _ b: Var) -> Var {
        let av = self[a], bv = self[b]
        let n = av.rows, m = av.cols
        let column = bv.cols == 1 && m != 1
        precondition(bv.rows == n && (bv.cols == m || column), "hadamard: \(av.shapeDescription) and \(bv.shapeDescription)")
        var y = av
        y.storage.withUnsafeMutableBufferPointer { out in
            bv.storage.withUnsafeBufferPointer { s in
                for i in 0..<n {
                    for j in 0..<m { out[i * m + j] *= s[column ? i : i * m + j] }
                }
            }
        }
        return record(y, needs: anyNeedsGradient([a, b])) { g, grads in
            grads.add(to: a, rows: n, cols: m) { acc in
                acc.storage.withUnsafeMutableBufferPointer { out in
                    g.storage.withUnsafeBufferPointer { gg in
                        bv.storage.withUnsafeBufferPointer { s in
                            for i in 0..<n {
                                for j in 0..<m { out[i * m + j] += gg[i * m + j] * s[column ? i : i * m + j] }
                            }
                        }
                    }
                }
            }
            grads.add(to: b, rows: bv.rows, cols: bv.cols) { acc in
                acc.storage.withUnsafeMutableBufferPointer { out in
                    g.storage.withUnsafeBufferPointer { gg in
                        av.storage.withUnsafeBufferPointer { s in
                            for i in 0..<n {
                                for j in 0..<m { out[column ? i : i * m + j] += gg[i * m + j] * s[i * m + j] }
                            }
                        }
                    }
                }
            }
        }
    }
}
