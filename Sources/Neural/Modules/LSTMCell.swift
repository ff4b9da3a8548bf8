import XlingCore

/// An LSTM cell in PyTorch's form (Hochreiter & Schmidhuber 1997; `nn.LSTM`), gates i, f, g, o:
/// [i f g o] = x·W_ih + b_ih + h·W_hh + b_hh, c' = σ(f)⊙c + σ(i)⊙tanh(g), h' = σ(o)⊙tanh(c').
///
/// Parameters `<name>.wIH` (in × 4h), `<name>.wHH` (h × 4h), `<name>.bIH`, `<name>.bHH`
/// (1 × 4h): PyTorch's `weight_ih_l0` transposed, columns in gate order i, f, g, o.
public struct LSTMCell: RecurrentCell {
    public let wIH: Parameter, wHH: Parameter, bIH: Parameter, bHH: Parameter
    public let inputSize: Int, hiddenSize: Int
    public var stateCount: Int { 2 }

    /// A cell with PyTorch's initialisation U(−1/√h, 1/√h) for every parameter.
    public init(_ store: inout ParameterStore, name: String, inputSize: Int, hiddenSize h: Int, generator: inout SplitMix64) {
        let p = GatedCellParameters(&store, name: name, inputSize: inputSize, hiddenSize: h, gates: 4, generator: &generator)
        (wIH, wHH, bIH, bHH) = (p.wIH, p.wHH, p.bIH, p.bHH)
        self.inputSize = inputSize
        hiddenSize = h
    }

    public func projectInputs(_ x: Var, on tape: inout Tape) -> Var {
        tape.linear(x, tape.parameter(wIH), bias: tape.parameter(bIH))
    }

    /// The whole direction as one `lstmSequence` (packed steps, the recurrent weight's gradient as
    /// one GEMM).
    public func sequence(_ projected: Var, packing: PackedSteps, reversed: Bool, on tape: inout Tape) -> Var? {
        tape.lstmSequence(input: projected, weight: tape.parameter(wHH), bias: tape.parameter(bHH), packing: packing, reversed: reversed)
    }

    public func step(_ projected: Var, _ state: [Var], on tape: inout Tape) -> [Var] {
        // The gate block as one fused primitive (same arithmetic as the composed form; see `Tape.lstmGates`).
        let gh = tape.linear(state[0], tape.parameter(wHH), bias: tape.parameter(bHH))
        let next = tape.lstmGates(input: projected, hidden: gh, cell: state[1])
        return [next.h, next.c]
    }
}
