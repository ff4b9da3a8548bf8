import XlingCore

/// A GRU cell (Cho et al. 2014), gates r, z, n, h' = (1 − z)⊙n + z⊙h, in two forms:
/// - `.resetAfterProduct` (PyTorch's `nn.GRU`, CuDNN, Keras `reset_after`):
///   n = tanh(x·W_in + b_in + r⊙(h·W_hn + b_hn));
/// - `.resetBeforeProduct` (Keras 2.0 / TF 1.x, what the CLTC paper's code ran):
///   n = tanh(x·W_in + b_in + (r⊙h)·W_hn + b_hn).
/// The two cannot be converted into each other by rearranging weights. With r = g(x·W_ir + b_ir +
/// h·W_hr + b_hr), z likewise, g the gate activation: σ (PyTorch, TF) or hard sigmoid (Keras 2.0's
/// default).
///
/// Parameters `<name>.wIH` (in × 3h), `<name>.wHH` (h × 3h), `<name>.bIH`, `<name>.bHH`
/// (1 × 3h): PyTorch's `weight_ih_l0` transposed, columns in gate order r, z, n.
public struct GRUCell: RecurrentCell {
    /// Where the reset gate applies.
    public enum Form: String, Sendable { case resetAfterProduct, resetBeforeProduct }
    /// The gates' non-linearity.
    public enum GateActivation: String, Sendable { case sigmoid, hardSigmoid }

    public let wIH: Parameter, wHH: Parameter, bIH: Parameter, bHH: Parameter
    public let inputSize: Int, hiddenSize: Int
    public let form: Form
    public let gateActivation: GateActivation
    public var stateCount: Int { 1 }

    /// A cell with PyTorch's initialisation U(−1/√h, 1/√h) for every parameter.
    public init(
        _ store: inout ParameterStore, name: String, inputSize: Int, hiddenSize h: Int, form: Form = .resetAfterProduct,
        gateActivation: GateActivation = .sigmoid, generator: inout SplitMix64
    ) {
        let p = GatedCellParameters(&store, name: name, inputSize: inputSize, hiddenSize: h, gates: 3, generator: &generator)
        (wIH, wHH, bIH, bHH) = (p.wIH, p.wHH, p.bIH, p.bHH)
        self.inputSize = inputSize
        hiddenSize = h
        self.form = form
        self.gateActivation = gateActivation
    }

    public func projectInputs(_ x: Var, on tape: inout Tape) -> Var {
        tape.linear(x, tape.parameter(wIH), bias: tape.parameter(bIH))
    }

    /// The PyTorch form with σ gates runs as one `gruSequence` (its backward batches the
    /// recurrent weight's gradient over all steps); the other forms step.
    public func sequence(_ projected: Var, packing: PackedSteps, reversed: Bool, on tape: inout Tape) -> Var? {
        guard form == .resetAfterProduct && gateActivation == .sigmoid else { return nil }
        return tape.gruSequence(
            input: projected, weight: tape.parameter(wHH), bias: tape.parameter(bHH), packing: packing, reversed: reversed)
    }

    /// The PyTorch form with σ gates runs both directions as one `gruBidirectional` (on two threads
    /// when `threads` ≥ 2).
    public func bidirectionalSequence(
        _ projected: Var, backward: GRUCell, _ backwardProjected: Var, packing: PackedSteps, threads: Int, on tape: inout Tape
    ) -> Var? {
        guard form == .resetAfterProduct && gateActivation == .sigmoid, backward.form == form, backward.gateActivation == gateActivation
        else { return nil }
        return tape.gruBidirectional(
            forward: (projected, tape.parameter(wHH), tape.parameter(bHH)),
            backward: (backwardProjected, tape.parameter(backward.wHH), tape.parameter(backward.bHH)), packing: packing, threads: threads)
    }

    private func gate(_ x: Var, _ tape: inout Tape) -> Var {
        gateActivation == .sigmoid ? tape.sigmoid(x) : tape.hardSigmoid(x)
    }

    public func step(_ projected: Var, _ state: [Var], on tape: inout Tape) -> [Var] {
        let h = hiddenSize, prev = state[0]
        let r: Var, z: Var, n: Var
        if form == .resetAfterProduct && gateActivation == .sigmoid {
            // The common case as one fused primitive (same arithmetic; see `Tape.gruGates`).
            let gh = tape.linear(prev, tape.parameter(wHH), bias: tape.parameter(bHH))
            return [tape.gruGates(input: projected, hidden: gh, state: prev)]
        }
        switch form {
        case .resetAfterProduct:
            let gh = tape.linear(prev, tape.parameter(wHH), bias: tape.parameter(bHH))
            let rz = gate(tape.add(tape.columns(projected, 0..<2 * h), tape.columns(gh, 0..<2 * h)), &tape)
            r = tape.columns(rz, 0..<h)
            z = tape.columns(rz, h..<2 * h)
            n = tape.tanh(tape.add(tape.columns(projected, 2 * h..<3 * h), tape.hadamard(r, tape.columns(gh, 2 * h..<3 * h))))
        case .resetBeforeProduct:
            let w = tape.parameter(wHH), b = tape.parameter(bHH)
            let ghRZ = tape.linear(prev, tape.columns(w, 0..<2 * h), bias: tape.columns(b, 0..<2 * h))
            let rz = gate(tape.add(tape.columns(projected, 0..<2 * h), ghRZ), &tape)
            r = tape.columns(rz, 0..<h)
            z = tape.columns(rz, h..<2 * h)
            let ghN = tape.linear(tape.hadamard(r, prev), tape.columns(w, 2 * h..<3 * h), bias: tape.columns(b, 2 * h..<3 * h))
            n = tape.tanh(tape.add(tape.columns(projected, 2 * h..<3 * h), ghN))
        }
        // h' = n + z⊙(h − n)
        return [tape.add(n, tape.hadamard(z, tape.add(prev, n, beta: -1)))]
    }
}
