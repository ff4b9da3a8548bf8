import XlingCore

/// A recurrent cell as a `BiRNN` drives it: the input projection of every step at once (one
/// GEMM over the stacked steps), then one step at a time from the projected input and the state.
public protocol RecurrentCell: Sendable {
    /// The input width.
    var inputSize: Int { get }
    /// The state width h.
    var hiddenSize: Int { get }
    /// The number of state matrices (GRU 1: h; LSTM 2: h and c); `state[0]` is the output h.
    var stateCount: Int { get }
    /// X·W_ih + b_ih for X N × inputSize (N = steps · batch): N × (gates · h).
    func projectInputs(_ x: Var, on tape: inout Tape) -> Var
    /// The next state from one step's projected input (B × gates·h) and the state (each B × h).
    func step(_ projected: Var, _ state: [Var], on tape: inout Tape) -> [Var]
    /// The whole direction as one fused primitive, when the cell has one: the outputs h_t of the
    /// packed real steps (N × h) from their projected inputs (N × gates·h, `packing`'s rows), as
    /// `step` would give them; nil: `BiRNN` drives `step` one step at a time.
    func sequence(_ projected: Var, packing: PackedSteps, reversed: Bool, on tape: inout Tape) -> Var?
    /// Both directions as one fused primitive, when the cell has one: `self` forward over
    /// `projected`, `backward` reversed over `backwardProjected`, on up to `threads` threads; the
    /// packed outputs [→h ; ←h] (N × 2h) as two `sequence` calls side by side would give them; nil:
    /// `BiRNN` runs the directions one after the other.
    func bidirectionalSequence(
        _ projected: Var, backward: Self, _ backwardProjected: Var, packing: PackedSteps, threads: Int, on tape: inout Tape
    ) -> Var?
}

extension RecurrentCell {
    /// No fused sequence: `BiRNN` steps the cell.
    public func sequence(_ projected: Var, packing: PackedSteps, reversed: Bool, on tape: inout Tape) -> Var? { nil }

    /// No fused pair: `BiRNN` runs the directions one after the other.
    public func bidirectionalSequence(
        _ projected: Var, backward: Self, _ backwardProjected: Var, packing: PackedSteps, threads: Int, on tape: inout Tape
    ) -> Var? { nil }
}

/// The four parameters every gated cell has, `<name>.wIH` (in × gates·h), `<name>.wHH`
/// (h × gates·h), `<name>.bIH`, `<name>.bHH` (1 × gates·h), in PyTorch's initialisation
/// U(−1/√h, 1/√h) and draw order: the one set-up of `GRUCell` (3 gates) and `LSTMCell` (4).
struct GatedCellParameters {
    let wIH: Parameter, wHH: Parameter, bIH: Parameter, bHH: Parameter

    init(_ store: inout ParameterStore, name: String, inputSize: Int, hiddenSize h: Int, gates: Int, generator: inout SplitMix64) {
        let a = 1 / Float(h).squareRoot()
        wIH = store.add(name + ".wIH", uniformMatrix(inputSize, gates * h, bound: a, &generator))
        wHH = store.add(name + ".wHH", uniformMatrix(h, gates * h, bound: a, &generator))
        bIH = store.add(name + ".bIH", uniformMatrix(1, gates * h, bound: a, &generator))
        bHH = store.add(name + ".bHH", uniformMatrix(1, gates * h, bound: a, &generator))
    }
}

/// Uniform initialisation U(−a, a), PyTorch's default for recurrent and convolutional layers
/// (a = 1/√fan), drawn row-major from `generator`.
func uniformMatrix(_ rows: Int, _ cols: Int, bound a: Float, _ generator: inout SplitMix64) -> Matrix {
    var m = Matrix(rows: rows, cols: cols)
    for i in m.storage.indices { m.storage[i] = (2 * generator.nextFloat() - 1) * a }
    return m
}
