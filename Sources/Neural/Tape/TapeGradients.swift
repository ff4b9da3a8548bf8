import XlingCore

/// The gradients during one `Tape.backward`: ∂L/∂v for every recorded value (a 0×0 matrix means
/// zero so far) and the parameter store that scattering primitives add into.
public struct TapeGradients {
    /// ∂L/∂v by `Var.id`; empty storage stands for zero.
    public var gradients: [Matrix]
    /// The store being trained (moved in for the pass).
    public var store = ParameterStore()
    private let needs: [Bool]

    init(count: Int, needs: [Bool]) {
        gradients = [Matrix](repeating: Matrix(rows: 0, cols: 0), count: count)
        self.needs = needs
    }

    /// ∂L/∂v (0×0 when nothing reached it).
    public subscript(_ v: Var) -> Matrix { gradients[v.id] }

    /// Whether v wants a gradient.
    public func needs(_ v: Var) -> Bool { needs[v.id] }

    /// Adds into ∂L/∂v through `body`, given a buffer of v's shape (zero-filled the first time).
    /// Does nothing when v needs no gradient.
    public mutating func add(to v: Var, rows: Int, cols: Int, _ body: (inout Matrix) -> Void) {
        guard needs[v.id] else { return }
        if gradients[v.id].storage.isEmpty { gradients[v.id] = Matrix(rows: rows, cols: cols) }
        body(&gradients[v.id])
    }

    /// ∂L/∂v += g (same shape).
    public mutating func add(to v: Var, _ g: Matrix) {
        guard needs[v.id] else { return }
        if gradients[v.id].storage.isEmpty {
            gradients[v.id] = g
            return
        }
        precondition(gradients[v.id].rows == g.rows && gradients[v.id].cols == g.cols, "gradient shapes differ")
        gradients[v.id].storage.withUnsafeMutableBufferPointer { out in
            g.storage.withUnsafeBufferPointer { src in for k in src.indices { out[k] += src[k] } }
        }
    }

    /// ∂L/∂v[k] += f(k) for every element k, with f given the index.
    public mutating func addElementwise(to v: Var, rows: Int, cols: Int, _ f: (Int) -> Float) {
        add(to: v, rows: rows, cols: cols) { g in
            g.storage.withUnsafeMutableBufferPointer { out in for k in out.indices { out[k] += f(k) } }
        }
    }
}
