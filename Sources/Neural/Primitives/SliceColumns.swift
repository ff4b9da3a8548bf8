import XlingCore

extension Tape {
    /// Y = X[:, range]: consecutive columns (one gate block of a fused gate matrix).
    ///
    /// Shapes: X n×m, Y n×|range|. Derivative: ∂L/∂X[:, range] += G.
    public mutating func columns(_ x: Var, _ range: Range<Int>) -> Var {
        let xv = self[x]
        precondition(range.lowerBound >= 0 && range.upperBound <= xv.cols, "columns \(range) of \(xv.shapeDescription)")
        let n = xv.rows, m = xv.cols, w = range.count, start = range.lowerBound
        var y = Matrix(rows: n, cols: w)
        for i in 0..<n {
            for j in 0..<w { y.storage[i * w + j] = xv.storage[i * m + start + j] }
        }
        return record(y, needs: anyNeedsGradient([x])) { g, grads in
            grads.add(to: x, rows: n, cols: m) { acc in
                for i in 0..<n {
                    for j in 0..<w { acc.storage[i * m + start + j] += g.storage[i * w + j] }
                }
            }
        }
    }
}
