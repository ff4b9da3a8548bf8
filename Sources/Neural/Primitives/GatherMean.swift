import XlingCore

extension Tape {
    /// Yᵢ = (1/|bagᵢ|) Σ_{r ∈ bagᵢ} E[r]: the mean embedding of each bag of ids (repeats count;
    /// an empty bag gives the zero row), an embedding bag in one pass without the padded batch.
    ///
    /// Shapes: E |V|×d (a parameter), Y n×d for n bags. Derivative (a scatter into the store's
    /// sparse rows): ∂L/∂E[r] += Σᵢ (count of r in bagᵢ / |bagᵢ|)·Gᵢ; only rows in the bags are
    /// touched, so a step costs O(tokens·d), not O(|V|·d).
    public mutating func gatherMean(_ table: Parameter, bags: [[Int]]) -> Var {
        let e = parameterValue(table)
        let d = e.cols
        var y = Matrix(rows: bags.count, cols: d)
        e.storage.withUnsafeBufferPointer { src in
            y.storage.withUnsafeMutableBufferPointer { out in
                for (i, bag) in bags.enumerated() where !bag.isEmpty {
                    let base = i * d
                    for id in bag {
                        precondition(id >= 0 && id < e.rows, "gatherMean: id \(id) is outside the \(e.rows)-row table")
                        let row = id * d
                        for j in 0..<d { out[base + j] += src[row + j] }
                    }
                    let scale = 1 / Float(bag.count)
                    for j in 0..<d { out[base + j] *= scale }
                }
            }
        }
        return record(y, needs: parameterNeedsGradient(table)) { g, grads in
            grads.store.withGradient(table, touching: Array(bags.joined())) { acc in
                acc.storage.withUnsafeMutableBufferPointer { out in
                    g.storage.withUnsafeBufferPointer { gg in
                        for (i, bag) in bags.enumerated() where !bag.isEmpty {
                            let scale = 1 / Float(bag.count), base = i * d
                            for id in bag {
                                let row = id * d
                                for j in 0..<d { out[row + j] += scale * gg[base + j] }
                            }
                        }
                    }
                }
            }
        }
    }
}
