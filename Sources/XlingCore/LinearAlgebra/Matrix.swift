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
        storage = LargeArray.floats(repeating: value, count: rows * cols)
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
}

/// Matrix shapes that do not fit together; the problem names both shapes.
public struct ShapeError: EngineError, Equatable, Sendable {
    /// What does not fit, e.g. `cannot multiply 2×3 by 4×5`.
    public let problem: String
    /// How to fix it, when the thrower knows (e.g. which inputs must agree); nil otherwise.
    public let fix: String?
    /// Creates an error with the given problem (and fix).
    public init(_ problem: String, fix: String? = nil) {
        self.problem = problem
        self.fix = fix
    }
}
