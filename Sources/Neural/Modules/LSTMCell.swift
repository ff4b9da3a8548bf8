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
        let a = 1 / Float(h).squareRoot()
        wIH = store.add(name + ".wIH", uniformMatrix(inputSize, 4 * h, bound: a, &generator))
        wHH = store.add(name + ".wHH", uniformMatrix(h, 4 * h, bound: a, &generator))
        bIH = store.add(name + ".bIH", uniformMatrix(1, 4 * h, bound: a, &generator))
        bHH = store.add(name + ".bHH", uniformMatrix(1, 4 * h, bound: a, &generator))
        self.inputSize = inputSize
        hiddenSize = h
    }

    public func projectInputs(_ x: Var, on tape: inout Tape) -> Var {
        tape.linear(x, tape.parameter(wIH), bias: tape.parameter(bIH))
    }

    public func step(_ projected: Var, _ state: [Var], on tape: inout Tape) -> [Var] {
        let h = hiddenSize
        let gates = tape.add(projected, tape.linear(state[0], tape.parameter(wHH), bias: tape.parameter(bHH)))
        let i = tape.sigmoid(tape.columns(gates, 0..<h))
        let f = tape.sigmoid(tape.columns(gates, h..<2 * h))
        let g = tape.tanh(tape.columns(gates, 2 * h..<3 * h))
        let o = tape.sigmoid(tape.columns(gates, 3 * h..<4 * h))
        let c = tape.add(tape.hadamard(f, state[1]), tape.hadamard(i, g))
        return [tape.hadamard(o, tape.tanh(c)), c]
    }
}
