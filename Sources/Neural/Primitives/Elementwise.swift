import XlingCore

extension Tape {
    /// An element-wise map y = f(x) whose derivative is a function of the output and input:
    /// ∂L/∂x += G ⊙ f′, f′ given by `derivative(y, x)`. The shared body of the activations.
    mutating func elementwise(_ x: Var, _ f: (Float) -> Float, derivative: @escaping (Float, Float) -> Float) -> Var {
        let xv = self[x]
        var y = xv
        y.storage.withUnsafeMutableBufferPointer { out in for k in out.indices { out[k] = f(out[k]) } }
        let yv = y
        return record(y, needs: anyNeedsGradient([x])) { g, grads in
            grads.add(to: x, rows: xv.rows, cols: xv.cols) { acc in
                acc.storage.withUnsafeMutableBufferPointer { out in
                    g.storage.withUnsafeBufferPointer { gg in
                        yv.storage.withUnsafeBufferPointer { yy in
                            xv.storage.withUnsafeBufferPointer { xx in
                                for k in out.indices { out[k] += gg[k] * derivative(yy[k], xx[k]) }
                            }
                        }
                    }
                }
            }
        }
    }
}
