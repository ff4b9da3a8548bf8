import XlingCore

extension Tape {
    /// Y = α·A + β·B, element-wise (α = β = 1: a sum; β = −1: a difference).
    ///
    /// Shapes: A, B, Y n×m. Derivative: ∂L/∂A += α·G, ∂L/∂B += β·G.
    public mutating func add(_ a: Var, _ b: Var, alpha: Float = 1, beta: Float = 1) -> Var {
        let av = self[a], bv = self[b]
        precondition(av.rows == bv.rows && av.cols == bv.cols, "add: \(av.shapeDescription) and \(bv.shapeDescription)")
        var y = av
        y.storage.withUnsafeMutableBufferPointer { out in
            bv.storage.withUnsafeBufferPointer { src in
                for k in out.indices { out[k] = alpha * out[k] + beta * src[k] }
            }
        }
        return record(y, needs: anyNeedsGradient([a, b])) { g, grads in
            for (v, scale) in [(a, alpha), (b, beta)] {
                grads.add(to: v, rows: g.rows, cols: g.cols) { acc in
                    acc.storage.withUnsafeMutableBufferPointer { out in
                        g.storage.withUnsafeBufferPointer { src in for k in out.indices { out[k] += scale * src[k] } }
                    }
                }
            }
        }
    }
}
