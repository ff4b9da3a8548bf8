import XlingCore

extension Tape {
    /// cᵢ = aᵢ·bᵢ / (max(‖aᵢ‖, ε)·max(‖bᵢ‖, ε)), row by row (PyTorch's `cosine_similarity`,
    /// ε = 1e-8): the similarity of two sentence encodings (Sent-Ali).
    ///
    /// Shapes: A, B n×d, c n×1. Derivative (norms above ε): ∂cᵢ/∂aᵢ = bᵢ/(‖aᵢ‖‖bᵢ‖) − cᵢ·aᵢ/‖aᵢ‖²,
    /// symmetrically for bᵢ; each scaled by Gᵢ.
    public mutating func cosineSimilarity(_ a: Var, _ b: Var) -> Var {
        let av = self[a], bv = self[b]
        precondition(av.rows == bv.rows && av.cols == bv.cols, "cosineSimilarity: \(av.shapeDescription) and \(bv.shapeDescription)")
        let n = av.rows, d = av.cols, eps = 1e-8
        var c = Matrix(rows: n, cols: 1)
        var na = [Double](repeating: 0, count: n), nb = na, cos = na
        for i in 0..<n {
            var dot = 0.0, aa = 0.0, bb = 0.0
            for j in 0..<d {
                let x = Double(av.storage[i * d + j]), y = Double(bv.storage[i * d + j])
                dot += x * y
                aa += x * x
                bb += y * y
            }
            na[i] = max(aa.squareRoot(), eps)
            nb[i] = max(bb.squareRoot(), eps)
            cos[i] = dot / (na[i] * nb[i])
            c.storage[i] = Float(cos[i])
        }
        return record(c, needs: anyNeedsGradient([a, b])) { g, grads in
            for (x, y, nx, ny) in [(av, bv, na, nb), (bv, av, nb, na)] {
                let target = x == av ? a : b
                grads.add(to: target, rows: n, cols: d) { acc in
                    for i in 0..<n {
                        let gi = Double(g.storage[i])
                        for j in 0..<d {
                            let term =
                                Double(y.storage[i * d + j]) / (nx[i] * ny[i]) - cos[i] * Double(x.storage[i * d + j]) / (nx[i] * nx[i])
                            acc.storage[i * d + j] += Float(gi * term)
                        }
                    }
                }
            }
        }
    }
}
