import Testing
import XlingCore

@testable import Neural

/// The modules against PyTorch CPU with identical weights: committed golden fixtures written by
/// `Tests/reference/neural_torch_reference.py` (float64 reference on the float32 weights; `make
/// neural-fixtures` regenerates them). Per tensor: max|xling − torch| ≤ atol + rtol·max|torch|,
/// with the tolerances of the CLTC spec's differential-test plan (forward 1e-5 + 1e-6, GRU and
/// attention gradients 2e-4, after ≥ 2 Adam steps 1e-3).
@Suite struct ModuleDifferentialTests {
    /// Loads every fixture tensor named like a store parameter into the store.
    func load(_ fixture: Fixture, into store: inout ParameterStore) {
        for p in store.parameters where fixture.tensors[store.name(p)] != nil { store[p] = fixture.matrix(store.name(p)) }
    }

    /// The time-major steps of the stacked input parameter `x` ((T·B) × d).
    func steps(_ x: Parameter, batch b: Int, on tape: inout Tape) -> [Var] {
        let stacked = tape.parameter(x)
        return (0..<tape[stacked].rows / b).map { t in tape.rows(stacked, t * b..<(t + 1) * b) }
    }

    /// `gruStepped`, `lstmStepped`: the cell driven step by step (`gruGates`, `lstmGates`) instead
    /// of its fused `gruSequence`/`lstmSequence`, against the same fixture.
    enum Kind: String, CaseIterable { case lstm, lstmStepped, gru, gruStepped, gruResetBefore }

    /// A cell that hides its fused `sequence`, so `BiRNN` steps it.
    struct Stepped<Cell: RecurrentCell>: RecurrentCell {
        let cell: Cell
        var inputSize: Int { cell.inputSize }
        var hiddenSize: Int { cell.hiddenSize }
        var stateCount: Int { cell.stateCount }
        func projectInputs(_ x: Var, on tape: inout Tape) -> Var { cell.projectInputs(x, on: &tape) }
        func step(_ projected: Var, _ state: [Var], on tape: inout Tape) -> [Var] { cell.step(projected, state, on: &tape) }
    }

    @Test(arguments: Kind.allCases)
    func biRNNMatchesPyTorchWithPadding(_ kind: Kind) throws {
        let fixture = try Fixture(
            kind == .gruResetBefore ? "gru_reset_before" : kind == .gruStepped ? "gru" : kind == .lstmStepped ? "lstm" : kind.rawValue)
        let x = fixture.matrix("x"), lengths = fixture.lengths, b = lengths.count
        var store = ParameterStore()
        var g = SplitMix64(seed: 1)
        let input = store.add("x", x)
        let h = fixture.matrix("rnn.fw.wHH").rows
        var tape: Tape
        var out: [Var]
        switch kind {
        case .lstm:
            let rnn = BiRNN(
                forward: LSTMCell(&store, name: "rnn.fw", inputSize: x.cols, hiddenSize: h, generator: &g),
                backward: LSTMCell(&store, name: "rnn.bw", inputSize: x.cols, hiddenSize: h, generator: &g))
            load(fixture, into: &store)
            tape = Tape(store)
            out = rnn(steps(input, batch: b, on: &tape), lengths: lengths, on: &tape)
        case .lstmStepped:
            let rnn = BiRNN(
                forward: Stepped(cell: LSTMCell(&store, name: "rnn.fw", inputSize: x.cols, hiddenSize: h, generator: &g)),
                backward: Stepped(cell: LSTMCell(&store, name: "rnn.bw", inputSize: x.cols, hiddenSize: h, generator: &g)))
            load(fixture, into: &store)
            tape = Tape(store)
            out = rnn(steps(input, batch: b, on: &tape), lengths: lengths, on: &tape)
        case .gruStepped:
            let rnn = BiRNN(
                forward: Stepped(cell: GRUCell(&store, name: "rnn.fw", inputSize: x.cols, hiddenSize: h, generator: &g)),
                backward: Stepped(cell: GRUCell(&store, name: "rnn.bw", inputSize: x.cols, hiddenSize: h, generator: &g)))
            load(fixture, into: &store)
            tape = Tape(store)
            out = rnn(steps(input, batch: b, on: &tape), lengths: lengths, on: &tape)
        case .gru, .gruResetBefore:
            let form: GRUCell.Form = kind == .gru ? .resetAfterProduct : .resetBeforeProduct
            let gate: GRUCell.GateActivation = kind == .gru ? .sigmoid : .hardSigmoid
            let rnn = BiRNN(
                forward: GRUCell(&store, name: "rnn.fw", inputSize: x.cols, hiddenSize: h, form: form, gateActivation: gate, generator: &g),
                backward: GRUCell(&store, name: "rnn.bw", inputSize: x.cols, hiddenSize: h, form: form, gateActivation: gate, generator: &g)
            )
            load(fixture, into: &store)
            tape = Tape(store)
            out = rnn(steps(input, batch: b, on: &tape), lengths: lengths, on: &tape)
        }
        let stacked = tape.concatRows(out)
        fixture.expectClose(tape[stacked], "output", rtol: 1e-5, atol: 1e-6)
        tape.backward(from: stacked, seed: fixture.matrix("probe"), into: &store)
        for p in store.parameters { fixture.expectClose(store.gradient(p), "grad." + store.name(p), rtol: 2e-4) }
    }

    @Test func attentionMatchesPyTorch() throws {
        let fixture = try Fixture("attention")
        let lengths = fixture.lengths
        var store = ParameterStore()
        var g = SplitMix64(seed: 1)
        let h = store.add("h", fixture.matrix("h"))
        let attention = Attention(&store, name: "att", inputSize: fixture.matrix("h").cols, attentionSize: 3, generator: &g)
        load(fixture, into: &store)
        var tape = Tape(store)
        let (output, alpha) = attention(steps(h, batch: lengths.count, on: &tape), lengths: lengths, on: &tape)
        fixture.expectClose(tape[output], "output", rtol: 1e-5, atol: 1e-6)
        fixture.expectClose(tape[alpha], "alpha", rtol: 1e-5, atol: 1e-6)
        tape.backward(from: output, seed: fixture.matrix("probe"), into: &store)
        for p in store.parameters { fixture.expectClose(store.gradient(p), "grad." + store.name(p), rtol: 2e-4) }
    }

    @Test func textCNNMatchesPyTorch() throws {
        let fixture = try Fixture("textcnn")
        let lengths = fixture.lengths
        var store = ParameterStore()
        var g = SplitMix64(seed: 1)
        let x = store.add("x", fixture.matrix("x"))
        let cnn = TextCNN(&store, name: "cnn", inputSize: fixture.matrix("x").cols, widths: [2, 3], filters: 4, generator: &g)
        load(fixture, into: &store)
        var tape = Tape(store)
        let out = cnn(steps(x, batch: lengths.count, on: &tape), lengths: lengths, on: &tape)
        fixture.expectClose(tape[out], "output", rtol: 1e-5, atol: 1e-6)
        tape.backward(from: out, seed: fixture.matrix("probe"), into: &store)
        for p in store.parameters { fixture.expectClose(store.gradient(p), "grad." + store.name(p), rtol: 1e-4, atol: 1e-6) }
    }

    @Test func weightedLossGradientsAndClippedAdamStepsMatchPyTorch() throws {
        let fixture = try Fixture("adam")
        let x = fixture.matrix("x")
        let labels = fixture.matrix("labels").storage.map { Int($0) }
        let weights = fixture.matrix("classWeights").storage
        var store = ParameterStore()
        var g = SplitMix64(seed: 1)
        let hidden = Dense(&store, name: "hidden", inputs: x.cols, outputs: 6, generator: &g)
        let output = Dense(&store, name: "output", inputs: 6, outputs: weights.count, generator: &g)
        load(fixture, into: &store)
        var adam = try Optimizer(.adam, learningRate: 0.05)
        for step in 0..<3 {
            store.zeroGrad()
            var tape = Tape(store)
            let logits = output(tape.relu(hidden(tape.constant(x), on: &tape)), on: &tape)
            let loss = tape.softmaxCrossEntropy(logits, labels: labels, classWeights: weights)
            if step == 0 { fixture.expectClose(tape[loss], "loss", rtol: 1e-5, atol: 1e-6) }
            tape.backward(from: loss, into: &store)
            if step == 0 {
                for p in store.parameters { fixture.expectClose(store.gradient(p), "grad." + store.name(p), rtol: 1e-4, atol: 1e-6) }
            }
            store.clipGlobalNorm(0.5)
            adam.step(&store)
        }
        for p in store.parameters { fixture.expectClose(store[p], "after." + store.name(p), rtol: 1e-3) }
    }
}
