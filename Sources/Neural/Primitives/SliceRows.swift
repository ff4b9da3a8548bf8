import XlingCore

extension Tape {
    /// Y = X[range, :]: consecutive rows (one time step of a stacked time-major matrix).
    ///
    /// Shapes: X n×m, Y |range|×m. Derivative: ∂L/∂X[range, :] += G.
    public mutating func rows(_ x: Var, _ range: Range<Int>) -> Var {
        let xv = self[x]
        precondition(range.lowerBound >= 0 && range.upperBound <= xv.rows, "rows \(range) of \(xv.shapeDescription)")
        let m = xv.cols, start = range.lowerBound * m
        let y = Matrix(rows: range.count, cols: m, values: Array(xv.storage[start..<start + range.count * m]), unchecked: ())
        return record(y, needs: anyNeedsGradient([x])) { g, grads in
            grads.add(to: x, rows: xv.rows, cols: m) { acc in
                for k in 0..<g.storage.count { acc.storage[start + k] += g.storage[k] }
            }
        }
    }
}
