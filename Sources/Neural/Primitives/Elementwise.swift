import XlingCore

extension Tape {
    /// An element-wise map Y = f(X): `forward` overwrites a copy of X with f(X) in place, and the
    /// pullback's `backward(g, y, x, acc)` adds G ⊙ f′ into ∂L/∂X. Both take whole buffers (count
    /// elements each), so their loops vectorise. The shared body of the activations.
    mutating func elementwise(
        _ x: Var, forward: (_ values: UnsafeMutablePointer<Float>, _ count: Int) -> Void,
        backward:
            @escaping (
                _ g: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ acc: UnsafeMutablePointer<Float>,
                _ count: Int
            ) -> Void
    ) -> Var {
        let xv = self[x]
        var y = xv
        y.storage.withUnsafeMutableBufferPointer { forward($0.baseAddress!, $0.count) }
        let yv = y
        return record(y, needs: anyNeedsGradient([x])) { g, grads in
            grads.add(to: x, rows: xv.rows, cols: xv.cols) { acc in
                acc.storage.withUnsafeMutableBufferPointer { out in
                    g.storage.withUnsafeBufferPointer { gg in
                        yv.storage.withUnsafeBufferPointer { yy in
                            xv.storage.withUnsafeBufferPointer { xx in
                                backward(gg.baseAddress!, yy.baseAddress!, xx.baseAddress!, out.baseAddress!, out.count)
                            }
                        }
                    }
                }
            }
        }
    }
}
