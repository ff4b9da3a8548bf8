import COpenBLAS

/// A dense fp32 matrix in row-major order: element (i, j) is `storage[i * cols + j]`.
///
/// Invariant: `storage.count == rows * cols`.
public struct Matrix: Sendable, Equatable {
    /// The number of rows (m).
    public let rows: Int
    /// The number of columns (n); the stride between rows of `storage`.
    public let cols: Int
    /// The elements in row-major order; `count` must stay `rows * cols`.
    public var storage: [Float]

    /// A `rows × cols` matrix filled with `value`.
    public init(rows: Int, cols: Int, repeating value: Float = 0) {
        precondition(rows >= 0 && cols >= 0, "matrix dimensions must be non-negative")
        self.rows = rows
        self.cols = cols
        storage = [Float](repeating: value, count: rows * cols)
    }

    /// A matrix over existing row-major values; `values.count` must be `rows * cols`.
    public init(rows: Int, cols: Int, values: [Float]) throws(ShapeError) {
        guard rows >= 0, cols >= 0, values.count == rows * cols else {
            throw ShapeError("\(values.count) values do not fill a \(rows)×\(cols) matrix")
        }
        self.rows = rows
        self.cols = cols
        storage = values
    }

    /// Element (i, j).
    public subscript(i: Int, j: Int) -> Float {
        get { storage[i * cols + j] }
        set { storage[i * cols + j] = newValue }
    }

    /// C = α·A·Bᵀ when `transposeB`, else α·A·B, through `cblas_sgemm`.
    ///
    /// Shapes: A is m×k; B is k×n (or n×k transposed); C is m×n.
    public static func multiply(_ a: Matrix, _ b: Matrix, transposeB: Bool = false, alpha: Float = 1) throws(ShapeError) -> Matrix {
        let n = transposeB ? b.rows : b.cols
        let inner = transposeB ? b.cols : b.rows
        guard a.cols == inner else {
            throw ShapeError("cannot multiply \(a.rows)×\(a.cols) by \(b.rows)×\(b.cols)\(transposeB ? "ᵀ" : "")")
        }
        var c = Matrix(rows: a.rows, cols: n)
        guard a.rows > 0, n > 0, inner > 0 else { return c }
        a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                c.storage.withUnsafeMutableBufferPointer { pc in
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                                Int32(a.rows), Int32(n), Int32(inner), alpha,
                                pa.baseAddress, Int32(a.cols), pb.baseAddress, Int32(b.cols),
                                0, pc.baseAddress, Int32(n))
                }
            }
        }
        return c
    }
}

/// Matrix shapes that do not fit together; the message names both shapes.
public struct ShapeError: Error, Equatable, CustomStringConvertible {
    /// What does not fit, e.g. `cannot multiply 2×3 by 4×5`.
    public let description: String
    /// Creates an error with the given message.
    public init(_ description: String) { self.description = description }
}
