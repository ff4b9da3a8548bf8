import XlingCore

/// The record of one batch's forward pass: every primitive stores its output and appends a
/// pullback that reads ∂L/∂output and **adds** into the gradients of its inputs (llm.c's `+=`
/// convention), so a weight used at every time step, in both directions or for several languages
/// needs nothing special. `backward(from:into:)` runs the pullbacks in reverse recording order,
/// which is already topological (micrograd's `backward()` at matrix granularity).
///
/// Parameters enter through `parameter(_:)` (one leaf per parameter and tape, its gradient added
/// into the store at the end) or `gather`/`gatherMean` (embedding rows, scattered into the
/// store's sparse rows). Values that need no gradient (data, frozen parameters, everything when
/// not training) record no pullback. A tape made with `training: false` is an inference pass:
/// nothing is recorded and dropout is the identity.
///
/// Invariant: `values`, `needsGradient` have one entry per `Var`; a pullback only touches
/// `Var`s recorded before its output.
public struct Tape {
    /// The pullback of one recorded operation: given ∂L/∂output, adds into its inputs' gradients.
    public typealias Pullback = (_ outputGradient: Matrix, _ gradients: inout TapeGradients) -> Void

    /// The forward values, by `Var.id`.
    public private(set) var values: [Matrix] = []
    /// Whether a gradient must flow to each value.
    public private(set) var needsGradient: [Bool] = []
    /// Training mode: pullbacks are recorded and dropout drops.
    public let isTraining: Bool
    private var records: [(output: Int, pullback: Pullback)] = []
    private var parameterValues: [Matrix]
    private let trainable: [Bool]
    private var leafOf: [Int: Var] = [:]
    private var leaves: [(leaf: Var, parameter: Parameter)] = []

    /// A tape over the current values of `store` (shared, not copied: do not step an optimizer on
    /// the store while the tape still holds them; `backward` releases them).
    public init(_ store: ParameterStore, training: Bool = true) {
        _ = HeapTuning.applied
        isTraining = training
        parameterValues = store.values
        trainable = store.parameters.map { store.isTrainable($0) }
    }

    /// The value of `v`.
    public subscript(_ v: Var) -> Matrix { values[v.id] }

    /// Records `value` with no gradient (data, masks, targets).
    public mutating func constant(_ value: Matrix) -> Var { append(value, needs: false) }

    /// The leaf of parameter `p` (the same `Var` on every call, so all uses accumulate into one
    /// gradient); it needs a gradient when training and `p` is not frozen.
    public mutating func parameter(_ p: Parameter) -> Var {
        if let v = leafOf[p.index] { return v }
        let v = append(parameterValues[p.index], needs: isTraining && trainable[p.index])
        leafOf[p.index] = v
        if needsGradient[v.id] { leaves.append((v, p)) }
        return v
    }

    /// The current value of parameter `p` without making a leaf (for primitives that scatter
    /// into the store themselves).
    public func parameterValue(_ p: Parameter) -> Matrix { parameterValues[p.index] }

    /// Whether parameter `p` takes gradients on this tape.
    public func parameterNeedsGradient(_ p: Parameter) -> Bool { isTraining && trainable[p.index] }

    /// Whether any of `inputs` needs a gradient (then an operation on them records a pullback).
    public func anyNeedsGradient(_ inputs: [Var]) -> Bool { isTraining && inputs.contains { needsGradient[$0.id] } }

    /// Appends an operation's output; `pullback` is kept when `needs` (it runs only if the
    /// output received a gradient).
    public mutating func record(_ value: Matrix, needs: Bool, pullback: @escaping Pullback) -> Var {
        let v = append(value, needs: needs)
        if needs { records.append((v.id, pullback)) }
        return v
    }

    private mutating func append(_ value: Matrix, needs: Bool) -> Var {
        values.append(value)
        needsGradient.append(needs)
        return Var(id: values.count - 1)
    }

    /// Back-propagates from the scalar (1×1) `loss` with seed ∂L/∂loss = `seed`, adding every
    /// parameter gradient into `store` (which must be the store the tape was made from). The
    /// tape is spent afterwards: its values are released so the optimizer can update the store
    /// in place.
    public mutating func backward(from loss: Var, seed: Float = 1, into store: inout ParameterStore) {
        precondition(values[loss.id].rows == 1 && values[loss.id].cols == 1, "backward starts from a 1×1 loss")
        backward(from: loss, seed: Matrix(rows: 1, cols: 1, repeating: seed), into: &store)
    }

    /// Back-propagates the vector-Jacobian product with `seed` = ∂L/∂output (the shape of
    /// `output`), e.g. a linear probe Σ C ⊙ Y in the finite-difference tests; spends the tape.
    public mutating func backward(from output: Var, seed: Matrix, into store: inout ParameterStore) {
        precondition(seed.rows == values[output.id].rows && seed.cols == values[output.id].cols, "the seed has the output's shape")
        var grads = TapeGradients(count: values.count, needs: needsGradient)
        swap(&grads.store, &store)
        grads.gradients[output.id] = seed
        for record in records.reversed() where !grads.gradients[record.output].storage.isEmpty {
            let g = grads.gradients[record.output]
            record.pullback(g, &grads)
        }
        for (leaf, p) in leaves where !grads.gradients[leaf.id].storage.isEmpty {
            grads.store.accumulate(p, grads.gradients[leaf.id])
        }
        swap(&grads.store, &store)
        release()
    }

    /// Drops every value and pullback (the store's values are no longer shared).
    public mutating func release() {
        values = []
        needsGradient = []
        records = []
        parameterValues = []
        leafOf = [:]
        leaves = []
    }
}
