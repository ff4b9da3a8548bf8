import XlingCore

/// Every trainable matrix of a model, under a name derived from its module path
/// (`encoder.fw.wIH`, minGPT's `named_parameters`), with its gradient and flags.
///
/// Gradients have the shape of their values and *accumulate*: the tape's pullbacks add into them
/// (`accumulate`, `accumulateRows`), `zeroGrad` clears them. A frozen parameter keeps no gradient
/// (a 0×0 matrix). A `sparseRows` parameter (an embedding table) keeps a dense gradient buffer,
/// but only the rows a batch touched are non-zero; they are listed in `touchedRows`, so clearing
/// and updating cost O(touched rows · d), not O(|V| · d).
///
/// Invariant: `names`, `values`, `gradients`, `flags` have one entry per parameter; names are
/// distinct; `gradients[i]` has the shape of `values[i]` unless the parameter is frozen;
/// `touchedRows[i]` is empty for dense parameters and lists distinct rows otherwise.
public struct ParameterStore: Sendable {
    /// The names, in registration order.
    public private(set) var names: [String] = []
    /// The values.
    public var values: [Matrix] = []
    /// ∂L/∂value, accumulated since the last `zeroGrad`.
    public private(set) var gradients: [Matrix] = []
    /// Each parameter's flags.
    public private(set) var flags: [ParameterFlags] = []
    /// For `sparseRows` parameters: the rows with a gradient since the last `zeroGrad`, in the
    /// order first touched.
    public private(set) var touchedRows: [[Int]] = []
    private var rowMarks: [[Bool]] = []
    private var indexByName: [String: Int] = [:]

    /// An empty store.
    public init() {}

    /// The number of parameters.
    public var count: Int { names.count }

    /// Every handle, in registration order.
    public var parameters: [Parameter] { names.indices.map { Parameter(index: $0) } }

    /// The total number of scalars.
    public var scalarCount: Int { values.reduce(0) { $0 + $1.storage.count } }

    /// Registers `value` as `name`; a second parameter of the same name is a programmer error.
    public mutating func add(_ name: String, _ value: Matrix, flags: ParameterFlags = ParameterFlags()) -> Parameter {
        precondition(indexByName[name] == nil, "parameter \(name) is registered twice")
        let p = Parameter(index: names.count)
        indexByName[name] = p.index
        names.append(name)
        values.append(value)
        gradients.append(flags.frozen ? Matrix(rows: 0, cols: 0) : Matrix(rows: value.rows, cols: value.cols))
        self.flags.append(flags)
        touchedRows.append([])
        rowMarks.append(flags.sparseRows && !flags.frozen ? [Bool](repeating: false, count: value.rows) : [])
        return p
    }

    /// The handle named `name`, or nil.
    public func parameter(named name: String) -> Parameter? { indexByName[name].map { Parameter(index: $0) } }

    /// The value of `p`.
    public subscript(p: Parameter) -> Matrix {
        get { values[p.index] }
        set {
            precondition(newValue.rows == values[p.index].rows && newValue.cols == values[p.index].cols, "a parameter keeps its shape")
            values[p.index] = newValue
        }
    }

    /// Replaces the value of `p` by one of any shape (another language's embedding table),
    /// with a fresh zero gradient.
    public mutating func replace(_ p: Parameter, with value: Matrix) {
        let i = p.index
        values[i] = value
        gradients[i] = flags[i].frozen ? Matrix(rows: 0, cols: 0) : Matrix(rows: value.rows, cols: value.cols)
        touchedRows[i] = []
        rowMarks[i] = flags[i].sparseRows && !flags[i].frozen ? [Bool](repeating: false, count: value.rows) : []
    }

    /// The name of `p`.
    public func name(_ p: Parameter) -> String { names[p.index] }

    /// The gradient of `p` (0×0 when frozen).
    public func gradient(_ p: Parameter) -> Matrix { gradients[p.index] }

    /// Whether `p` takes gradients.
    public func isTrainable(_ p: Parameter) -> Bool { !flags[p.index].frozen }

    /// Sets whether `p` is frozen (dropping or creating its gradient buffer).
    public mutating func setFrozen(_ p: Parameter, _ frozen: Bool) {
        let i = p.index
        guard flags[i].frozen != frozen else { return }
        flags[i].frozen = frozen
        let v = values[i]
        gradients[i] = frozen ? Matrix(rows: 0, cols: 0) : Matrix(rows: v.rows, cols: v.cols)
        touchedRows[i] = []
        rowMarks[i] = flags[i].sparseRows && !frozen ? [Bool](repeating: false, count: v.rows) : []
    }

    /// Sets the learning-rate multiplier of `p`.
    public mutating func setLearningRateScale(_ p: Parameter, _ scale: Float) { flags[p.index].learningRateScale = scale }

    /// gradient(p) += g (same shape as the value); ignored for a frozen parameter. For a
    /// `sparseRows` parameter every row counts as touched.
    public mutating func accumulate(_ p: Parameter, _ g: Matrix) {
        let i = p.index
        guard !flags[i].frozen else { return }
        precondition(g.rows == values[i].rows && g.cols == values[i].cols, "gradient \(g.shapeDescription) for \(names[i])")
        gradients[i].storage.withUnsafeMutableBufferPointer { out in
            g.storage.withUnsafeBufferPointer { src in
                for k in src.indices { out[k] += src[k] }
            }
        }
        if flags[i].sparseRows { for r in 0..<g.rows { markRow(i, r) } }
    }

    /// gradient(p)[rows[k]] += scale[k] · g[k] for each k (rows may repeat; `scales` nil means 1):
    /// the scatter of an embedding gather. Marks the rows as touched.
    public mutating func accumulateRows(_ p: Parameter, rows: [Int], _ g: Matrix, scales: [Float]? = nil) {
        let i = p.index
        guard !flags[i].frozen else { return }
        let d = values[i].cols
        precondition(g.cols == d && g.rows == rows.count, "row gradient \(g.shapeDescription) for \(rows.count) rows of \(names[i])")
        gradients[i].storage.withUnsafeMutableBufferPointer { out in
            g.storage.withUnsafeBufferPointer { src in
                for (k, r) in rows.enumerated() {
                    let s = scales?[k] ?? 1
                    let o = r * d, b = k * d
                    for j in 0..<d { out[o + j] += s * src[b + j] }
                }
            }
        }
        if flags[i].sparseRows { for r in rows { markRow(i, r) } }
    }

    /// Adds into gradient(p) through `body` (direct access for pullbacks that scatter), marking
    /// `rows` as touched for a `sparseRows` parameter.
    public mutating func withGradient(_ p: Parameter, touching rows: [Int] = [], _ body: (inout Matrix) -> Void) {
        let i = p.index
        guard !flags[i].frozen else { return }
        body(&gradients[i])
        if flags[i].sparseRows { for r in rows { markRow(i, r) } }
    }

    private mutating func markRow(_ i: Int, _ r: Int) {
        if !rowMarks[i][r] {
            rowMarks[i][r] = true
            touchedRows[i].append(r)
        }
    }

    /// Clears every gradient (only the touched rows of sparse parameters).
    public mutating func zeroGrad() {
        for i in gradients.indices { zeroGradient(i) }
    }

    /// Clears the gradients of `subset` only (a step that touches no other parameter, e.g. one
    /// language and direction of a multilingual model, need not clear the rest).
    public mutating func zeroGrad(_ subset: [Parameter]) {
        for p in subset { zeroGradient(p.index) }
    }

    private mutating func zeroGradient(_ i: Int) {
        guard !flags[i].frozen else { return }
        if flags[i].sparseRows {
            let d = values[i].cols
            gradients[i].storage.withUnsafeMutableBufferPointer { g in
                for r in touchedRows[i] { (g.baseAddress! + r * d).update(repeating: 0, count: d) }
            }
            for r in touchedRows[i] { rowMarks[i][r] = false }
            touchedRows[i].removeAll(keepingCapacity: true)
        } else {
            gradients[i].storage.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        }
    }
}
