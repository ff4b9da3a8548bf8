import COpenBLAS

// Elementwise, row/column statistics and general products for `Matrix`.
//
// Conventions: matrices are row-major fp32; data matrices have one *row per word*
// (X: n×d, n words, d dimensions). Products go through `cblas_sgemm` (fp32 accumulation);
// sums behind means, variances and norms are accumulated in Double and rounded once.

extension Matrix {
    // MARK: Construction

    /// The n×n identity matrix.
    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, cols: n)
        for i in 0..<n { m.storage[i * n + i] = 1 }
        return m
    }

    /// A 1×n matrix holding `values` (a row vector).
    public static func rowVector(_ values: [Float]) -> Matrix {
        var m = Matrix(rows: 1, cols: values.count)
        m.storage = values
        return m
    }

    /// The square matrix with `values` on its diagonal (n×n, n = `values.count`).
    public static func diagonal(_ values: [Float]) -> Matrix {
        let n = values.count
        var m = Matrix(rows: n, cols: n)
        for i in 0..<n { m.storage[i * n + i] = values[i] }
        return m
    }

    /// Whether both dimensions are equal.
    public var isSquare: Bool { rows == cols }

    /// The shape as text, `m×n` (used in error messages).
    public var shapeDescription: String { "\(rows)×\(cols)" }

    /// Whether every element is finite (no NaN, no ±infinity).
    public var isFinite: Bool { storage.allSatisfy { $0.isFinite } }

    // MARK: Rows and columns

    /// Row i as an array (length `cols`); `i` must be in `0..<rows`.
    public func row(_ i: Int) -> [Float] {
        Array(storage[(i * cols)..<((i + 1) * cols)])
    }

    /// Column j as an array (length `rows`); `j` must be in `0..<cols`.
    public func column(_ j: Int) -> [Float] {
        (0..<rows).map { storage[$0 * cols + j] }
    }

    /// The rows at `indices`, in that order (repeats allowed): a `indices.count × cols` matrix.
    ///
    /// Throws `ShapeError` naming the index and this matrix's shape when an index is outside
    /// `0..<rows`.
    public func selectingRows(_ indices: [Int]) throws(ShapeError) -> Matrix {
        for i in indices where i < 0 || i >= rows {
            throw ShapeError("row index \(i) is out of range for a \(shapeDescription) matrix")
        }
        var out = Matrix(rows: indices.count, cols: cols)
        let width = cols
        guard width > 0, !indices.isEmpty else { return out }
        storage.withUnsafeBufferPointer { source in
            out.storage.withUnsafeMutableBufferPointer { target in
                let from = source.baseAddress!, to = target.baseAddress!
                for (k, i) in indices.enumerated() { (to + k * width).update(from: from + i * width, count: width) }
            }
        }
        return out
    }

    /// The columns at `indices`, in that order (repeats allowed): a `rows × indices.count` matrix.
    ///
    /// Throws `ShapeError` when an index is outside `0..<cols`.
    public func selectingColumns(_ indices: [Int]) throws(ShapeError) -> Matrix {
        for j in indices where j < 0 || j >= cols {
            throw ShapeError("column index \(j) is out of range for a \(shapeDescription) matrix")
        }
        var out = Matrix(rows: rows, cols: indices.count)
        for i in 0..<rows {
            for (k, j) in indices.enumerated() { out.storage[i * indices.count + k] = storage[i * cols + j] }
        }
        return out
    }

    // MARK: Elementwise

    /// Aᵀ (n×m for an m×n matrix).
    public func transposed() -> Matrix {
        var out = Matrix(rows: cols, cols: rows)
        for i in 0..<rows {
            for j in 0..<cols { out.storage[j * rows + i] = storage[i * cols + j] }
        }
        return out
    }

    /// A + B; both must have the same shape (else `ShapeError` with both shapes).
    public func adding(_ other: Matrix) throws(ShapeError) -> Matrix {
        try requireSameShape(other, "add")
        var out = self
        for k in 0..<storage.count { out.storage[k] += other.storage[k] }
        return out
    }

    /// A − B; both must have the same shape (else `ShapeError` with both shapes).
    public func subtracting(_ other: Matrix) throws(ShapeError) -> Matrix {
        try requireSameShape(other, "subtract")
        var out = self
        for k in 0..<storage.count { out.storage[k] -= other.storage[k] }
        return out
    }

    /// α·A (same shape).
    public func scaled(by alpha: Float) -> Matrix {
        var out = self
        for k in 0..<storage.count { out.storage[k] *= alpha }
        return out
    }

    /// The largest |A(i,j) − B(i,j)| (0 for empty matrices); same shape required.
    public func maxAbsoluteDifference(_ other: Matrix) throws(ShapeError) -> Float {
        try requireSameShape(other, "compare")
        var best: Float = 0
        for k in 0..<storage.count { best = Swift.max(best, abs(storage[k] - other.storage[k])) }
        return best
    }

    /// A − 1·vᵀ: `vector` (length `cols`) subtracted from every row (e.g. a mean row).
    public func subtractingFromRows(_ vector: [Float]) throws(ShapeError) -> Matrix {
        guard vector.count == cols else {
            throw ShapeError("cannot subtract a vector of length \(vector.count) from the rows of a \(shapeDescription) matrix")
        }
        var out = self
        for i in 0..<rows {
            let base = i * cols
            for j in 0..<cols { out.storage[base + j] -= vector[j] }
        }
        return out
    }

    /// A · diag(s): column j multiplied by `scales[j]` (length `cols`).
    public func scalingColumns(by scales: [Float]) throws(ShapeError) -> Matrix {
        guard scales.count == cols else {
            throw ShapeError("cannot scale the columns of a \(shapeDescription) matrix by \(scales.count) factors")
        }
        var out = self
        for i in 0..<rows {
            let base = i * cols
            for j in 0..<cols { out.storage[base + j] *= scales[j] }
        }
        return out
    }

    /// diag(s) · A: row i multiplied by `scales[i]` (length `rows`).
    public func scalingRows(by scales: [Float]) throws(ShapeError) -> Matrix {
        guard scales.count == rows else {
            throw ShapeError("cannot scale the rows of a \(shapeDescription) matrix by \(scales.count) factors")
        }
        var out = self
        for i in 0..<rows {
            let base = i * cols
            for j in 0..<cols { out.storage[base + j] *= scales[i] }
        }
        return out
    }

    // MARK: Norms and statistics (Double accumulation)

    /// ‖A‖_F = sqrt(Σ A(i,j)²), summed in Double.
    public func frobeniusNorm() -> Float {
        var sum = 0.0
        for x in storage { sum += Double(x) * Double(x) }
        return Float(sum.squareRoot())
    }

    /// The Euclidean length of each row (length `rows`), summed in Double.
    public func rowNorms() -> [Float] {
        (0..<rows).map { i in
            var sum = 0.0
            let base = i * cols
            for j in 0..<cols {
                let x = Double(storage[base + j])
                sum += x * x
            }
            return Float(sum.squareRoot())
        }
    }

    /// The Euclidean length of each column (length `cols`), summed in Double.
    public func columnNorms() -> [Float] {
        columnSums { $0 * $0 }.map { Float($0.squareRoot()) }
    }

    /// Each row scaled to unit Euclidean length (VecMap's `unit`). Rows of length 0 stay zero.
    public func normalizedRows() -> Matrix {
        let norms = rowNorms()
        var out = self
        for i in 0..<rows where norms[i] > 0 {
            let inv = 1 / norms[i], base = i * cols
            for j in 0..<cols { out.storage[base + j] *= inv }
        }
        return out
    }

    /// The mean row, i.e. the mean of each column as fp32 (length `cols`), summed in Double;
    /// zeros when `rows == 0`. (`columnMeans()` in `Spaces/Normalization.swift` returns the
    /// Double values.)
    public func meanRow() -> [Float] {
        guard rows > 0 else { return [Float](repeating: 0, count: cols) }
        let n = Double(rows)
        return columnSums { $0 }.map { Float($0 / n) }
    }

    /// Each column minus its mean (VecMap's `center`): the column means become 0.
    public func centeredColumns() -> Matrix {
        let means = meanRow()
        var out = self
        for i in 0..<rows {
            let base = i * cols
            for j in 0..<cols { out.storage[base + j] -= means[j] }
        }
        return out
    }

    /// The population standard deviation of each column, sqrt(Σ(x − mean)² / n) (ddof = 0, as
    /// numpy's default), computed in Double with the mean subtracted first (two passes).
    public func columnStandardDeviations() -> [Float] {
        guard rows > 0 else { return [Float](repeating: 0, count: cols) }
        var means = [Double](repeating: 0, count: cols)
        for i in 0..<rows { for j in 0..<cols { means[j] += Double(storage[i * cols + j]) } }
        for j in 0..<cols { means[j] /= Double(rows) }
        var sums = [Double](repeating: 0, count: cols)
        for i in 0..<rows {
            for j in 0..<cols {
                let d = Double(storage[i * cols + j]) - means[j]
                sums[j] += d * d
            }
        }
        return sums.map { Float(($0 / Double(rows)).squareRoot()) }
    }

    /// Each column divided by its population standard deviation (`unitdim` in the sense of
    /// `EmbeddingSpace.Normalization`: unit variance per dimension). The mean is *not*
    /// subtracted (combine with `centeredColumns()`); columns with standard deviation 0 are left
    /// unchanged.
    public func unitVarianceColumns() -> Matrix {
        let stds = columnStandardDeviations()
        var out = self
        for i in 0..<rows {
            let base = i * cols
            for j in 0..<cols where stds[j] > 0 { out.storage[base + j] /= stds[j] }
        }
        return out
    }

    /// Each column scaled to unit Euclidean length (VecMap's `length_normalize_dimensionwise`;
    /// for centred data this is unit variance up to the factor sqrt(n)). Zero columns stay zero.
    public func normalizedColumns() -> Matrix {
        let norms = columnNorms()
        var out = self
        for i in 0..<rows {
            let base = i * cols
            for j in 0..<cols where norms[j] > 0 { out.storage[base + j] /= norms[j] }
        }
        return out
    }

    // MARK: Products

    /// C = α·op(A)·op(B) through `cblas_sgemm` (fp32 accumulation), where op(M) is Mᵀ when the
    /// corresponding `transpose` flag is set.
    ///
    /// Shapes: op(A) is m×k, op(B) is k×n, C is m×n; e.g. `product(x, y, transposeA: true)` is
    /// XᵀY (d×d for X, Y: n×d). Throws `ShapeError` naming both shapes when the inner
    /// dimensions differ.
    public static func product(
        _ a: Matrix, _ b: Matrix, transposeA: Bool = false, transposeB: Bool = false,
        alpha: Float = 1
    ) throws(ShapeError) -> Matrix {
        let m = transposeA ? a.cols : a.rows
        let innerA = transposeA ? a.rows : a.cols
        let innerB = transposeB ? b.cols : b.rows
        let n = transposeB ? b.rows : b.cols
        guard innerA == innerB else {
            throw ShapeError(
                """
                cannot multiply \(a.shapeDescription)\(transposeA ? "ᵀ" : "") by \(b.shapeDescription)\(transposeB ? "ᵀ" : "")
                """)
        }
        var c = Matrix(rows: m, cols: n)
        accumulateProduct(a, b, into: &c, transposeA: transposeA, transposeB: transposeB, alpha: alpha, beta: 0)
        return c
    }

    /// Whether AᵀA ≈ I within `tolerance` (max absolute entry difference): the columns are
    /// orthonormal. For a square matrix this means A is orthogonal.
    public func hasOrthonormalColumns(tolerance: Float = 1e-4) -> Bool {
        guard let gram = try? Matrix.product(self, self, transposeA: true),
            let diff = try? gram.maxAbsoluteDifference(.identity(cols))
        else { return false }
        return diff <= tolerance
    }

    // MARK: Helpers

    package func requireSameShape(_ other: Matrix, _ verb: String) throws(ShapeError) {
        guard rows == other.rows, cols == other.cols else {
            throw ShapeError("cannot \(verb) \(shapeDescription) and \(other.shapeDescription) matrices")
        }
    }

    /// Σ_i f(A(i,j)) per column, in Double.
    package func columnSums(_ f: (Double) -> Double) -> [Double] {
        var sums = [Double](repeating: 0, count: cols)
        for i in 0..<rows {
            let base = i * cols
            for j in 0..<cols { sums[j] += f(Double(storage[base + j])) }
        }
        return sums
    }
}
