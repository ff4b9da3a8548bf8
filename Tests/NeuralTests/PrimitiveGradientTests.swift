import Testing
import XlingCore

@testable import Neural

/// One table row per tape primitive: random inputs registered as parameters, the primitive
/// recorded on a tape, its pullback against central finite differences (`GradientCheck`).
@Suite struct PrimitiveGradientTests {
    /// A primitive under test: its inputs (name, shape, flags, scale) and how to record it.
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let inputs: [(rows: Int, cols: Int)]
        var sparse = false
        var scale: Float = 1
        var h: Float = 1e-2
        /// Moves inputs away from kinks (ReLU at 0, hard sigmoid at ±2.5, max ties).
        var awayFromKinks = false
        let build: @Sendable (inout Tape, [Parameter], inout SplitMix64) -> Var
        var testDescription: String { name }
    }

    static let steps = [(4, 3), (4, 3), (4, 3)]

    static let cases: [Case] = [
        Case(name: "linear", inputs: [(3, 5), (5, 4), (1, 4)]) { t, p, _ in
            t.linear(t.parameter(p[0]), t.parameter(p[1]), bias: t.parameter(p[2]))
        },
        Case(name: "matmul", inputs: [(3, 5), (5, 4)]) { t, p, _ in t.linear(t.parameter(p[0]), t.parameter(p[1])) },
        Case(name: "add", inputs: [(3, 4), (3, 4)]) { t, p, _ in t.add(t.parameter(p[0]), t.parameter(p[1]), alpha: 0.5, beta: -2) },
        Case(name: "hadamard", inputs: [(3, 4), (3, 4)]) { t, p, _ in t.hadamard(t.parameter(p[0]), t.parameter(p[1])) },
        Case(name: "hadamard column", inputs: [(3, 4), (3, 1)]) { t, p, _ in t.hadamard(t.parameter(p[0]), t.parameter(p[1])) },
        Case(name: "sigmoid", inputs: [(3, 4)], scale: 3) { t, p, _ in t.sigmoid(t.parameter(p[0])) },
        Case(name: "tanh", inputs: [(3, 4)], scale: 2) { t, p, _ in t.tanh(t.parameter(p[0])) },
        Case(name: "relu", inputs: [(3, 4)], h: 1e-3, awayFromKinks: true) { t, p, _ in t.relu(t.parameter(p[0])) },
        Case(name: "leaky relu", inputs: [(3, 4)], h: 1e-3, awayFromKinks: true) { t, p, _ in t.leakyReLU(t.parameter(p[0]), slope: 0.2) },
        Case(name: "sigmoid binary cross-entropy", inputs: [(6, 1)], scale: 3) { t, p, _ in
            t.sigmoidBinaryCrossEntropy(t.parameter(p[0]), targets: [0.9, 0.9, 0.1, 0.1, 1, 0])
        },
        Case(name: "hard sigmoid", inputs: [(3, 4)], scale: 4, h: 1e-3, awayFromKinks: true) { t, p, _ in
            t.hardSigmoid(t.parameter(p[0]))
        },
        Case(name: "dropout", inputs: [(5, 4)]) { t, p, g in t.dropout(t.parameter(p[0]), rate: 0.4, generator: &g) },
        Case(name: "concat columns", inputs: [(3, 2), (3, 4), (3, 1)]) { t, p, _ in t.concatColumns(p.map { t.parameter($0) }) },
        Case(name: "slice columns", inputs: [(3, 6)]) { t, p, _ in t.columns(t.parameter(p[0]), 2..<5) },
        Case(name: "concat rows", inputs: [(2, 3), (4, 3)]) { t, p, _ in t.concatRows(p.map { t.parameter($0) }) },
        Case(name: "slice rows", inputs: [(6, 3)]) { t, p, _ in t.rows(t.parameter(p[0]), 1..<4) },
        Case(name: "gather", inputs: [(7, 3)], sparse: true) { t, p, _ in t.gather(p[0], ids: [2, 5, 2, 0]) },
        Case(name: "gather mean", inputs: [(7, 3)], sparse: true) { t, p, _ in
            t.gatherMean(p[0], bags: [[1, 4, 4], [], [6], [0, 1, 2, 3]])
        },
        Case(name: "masked mean", inputs: steps) { t, p, _ in t.maskedMean(p.map { t.parameter($0) }, lengths: [3, 1, 0, 2]) },
        Case(name: "max over time", inputs: [(12, 3)], h: 1e-3) { t, p, _ in
            t.maxOverTime(t.parameter(p[0]), batch: 4, valid: [3, 1, 2, 3])
        },
        Case(name: "masked softmax", inputs: [(12, 1)], scale: 2) { t, p, _ in
            t.maskedSoftmaxOverSteps(t.parameter(p[0]), lengths: [3, 1, 0, 2])
        },
        Case(name: "attention sum", inputs: [(12, 1), (12, 5)]) { t, p, _ in t.attentionSum(t.parameter(p[0]), t.parameter(p[1]), batch: 4)
        },
        Case(name: "conv1d", inputs: [(2, 3), (2, 3), (2, 3), (2, 3), (6, 4), (1, 4)]) { t, p, _ in
            t.conv1d(p[0..<4].map { t.parameter($0) }, weight: t.parameter(p[4]), bias: t.parameter(p[5]), width: 2)
        },
        Case(name: "conv max over time", inputs: [(3, 2), (3, 2), (3, 2), (3, 2), (4, 5), (1, 5)], h: 1e-3) { t, p, _ in
            t.convMaxOverTime(
                p[0..<4].map { t.parameter($0) }, weight: t.parameter(p[4]), bias: t.parameter(p[5]), width: 2, valid: [3, 1, 2])
        },
        Case(name: "softmax cross-entropy", inputs: [(5, 4)], scale: 3) { t, p, _ in
            t.softmaxCrossEntropy(t.parameter(p[0]), labels: [0, 3, 3, 1, 2], classWeights: [0.5, 2, 1, 1.5])
        },
        Case(name: "cosine similarity", inputs: [(4, 5), (4, 5)]) { t, p, _ in t.cosineSimilarity(t.parameter(p[0]), t.parameter(p[1])) },
        Case(name: "mean", inputs: [(3, 4)]) { t, p, _ in t.mean(t.parameter(p[0])) },
        Case(name: "GRU gates", inputs: [(3, 6), (3, 6), (3, 2)], scale: 1.5) { t, p, _ in
            t.gruGates(input: t.parameter(p[0]), hidden: t.parameter(p[1]), state: t.parameter(p[2]))
        },
        Case(name: "GRU sequence", inputs: [(6, 6), (2, 6), (1, 6)], scale: 1.5) { t, p, _ in
            t.gruSequence(
                input: t.parameter(p[0]), weight: t.parameter(p[1]), bias: t.parameter(p[2]),
                packing: PackedSteps(lengths: [3, 1, 0, 2], steps: 3),
                reversed: false)
        },
        Case(name: "GRU sequence reversed", inputs: [(6, 6), (2, 6), (1, 6)], scale: 1.5) { t, p, _ in
            t.gruSequence(
                input: t.parameter(p[0]), weight: t.parameter(p[1]), bias: t.parameter(p[2]),
                packing: PackedSteps(lengths: [3, 1, 0, 2], steps: 3),
                reversed: true)
        },
        Case(name: "GRU bidirectional, 2 threads", inputs: [(6, 6), (2, 6), (1, 6), (6, 6), (2, 6), (1, 6)], scale: 1.5) { t, p, _ in
            t.gruBidirectional(
                forward: (t.parameter(p[0]), t.parameter(p[1]), t.parameter(p[2])),
                backward: (t.parameter(p[3]), t.parameter(p[4]), t.parameter(p[5])),
                packing: PackedSteps(lengths: [3, 1, 0, 2], steps: 3), threads: 2)
        },
        Case(name: "LSTM sequence", inputs: [(6, 8), (2, 8), (1, 8)], scale: 1.5) { t, p, _ in
            t.lstmSequence(
                input: t.parameter(p[0]), weight: t.parameter(p[1]), bias: t.parameter(p[2]),
                packing: PackedSteps(lengths: [3, 1, 0, 2], steps: 3),
                reversed: false)
        },
        Case(name: "LSTM sequence reversed", inputs: [(6, 8), (2, 8), (1, 8)], scale: 1.5) { t, p, _ in
            t.lstmSequence(
                input: t.parameter(p[0]), weight: t.parameter(p[1]), bias: t.parameter(p[2]),
                packing: PackedSteps(lengths: [3, 1, 0, 2], steps: 3),
                reversed: true)
        },
        Case(name: "LSTM gates (h and c)", inputs: [(3, 8), (3, 8), (3, 2)], scale: 1.5) { t, p, _ in
            let next = t.lstmGates(input: t.parameter(p[0]), hidden: t.parameter(p[1]), cell: t.parameter(p[2]))
            return t.concatColumns([next.h, next.c])
        },
        Case(name: "LSTM gates (h only)", inputs: [(3, 8), (3, 8), (3, 2)], scale: 1.5) { t, p, _ in
            t.lstmGates(input: t.parameter(p[0]), hidden: t.parameter(p[1]), cell: t.parameter(p[2])).h
        },
        Case(name: "rows at indices", inputs: [(5, 3)]) { t, p, _ in t.rows(t.parameter(p[0]), at: [4, 0, 4, 2]) },
        Case(name: "scatter rows", inputs: [(3, 2)]) { t, p, _ in t.scatterRows(t.parameter(p[0]), to: [5, 0, 2], count: 6) },
        Case(name: "select rows", inputs: [(4, 3), (4, 3)]) { t, p, _ in
            t.selectRows([true, false, false, true], t.parameter(p[0]), t.parameter(p[1]))
        },
    ]

    /// The two directions on two threads give the very numbers of one thread, and of two
    /// `gruSequence`s side by side: values and every gradient, bit for bit.
    @Test func bidirectionalGRUIsTheSameAtAnyThreadCount() {
        var g = SplitMix64(seed: 7)
        var store = ParameterStore()
        let shapes = [(9, 12), (4, 12), (1, 12), (9, 12), (4, 12), (1, 12)]
        let p = shapes.enumerated().map { store.add("x\($0.offset)", GradientCheck.random($0.element.0, $0.element.1, &g, scale: 1.5)) }
        let packing = PackedSteps(lengths: [4, 1, 0, 3, 1], steps: 4)
        let mix = GradientCheck.random(9, 8, &g, scale: 1)
        func run(_ threads: Int?) -> (Matrix, [Matrix]) {
            var s = store
            s.zeroGrad()
            var tape = Tape(s)
            let y: Var
            if let threads {
                y = tape.gruBidirectional(
                    forward: (tape.parameter(p[0]), tape.parameter(p[1]), tape.parameter(p[2])),
                    backward: (tape.parameter(p[3]), tape.parameter(p[4]), tape.parameter(p[5])), packing: packing, threads: threads)
            } else {
                let fw = tape.gruSequence(
                    input: tape.parameter(p[0]), weight: tape.parameter(p[1]), bias: tape.parameter(p[2]), packing: packing, reversed: false
                )
                let bw = tape.gruSequence(
                    input: tape.parameter(p[3]), weight: tape.parameter(p[4]), bias: tape.parameter(p[5]), packing: packing, reversed: true)
                y = tape.concatColumns([fw, bw])
            }
            let loss = tape.mean(tape.hadamard(y, tape.constant(mix)))
            let value = tape[y]
            tape.backward(from: loss, into: &s)
            return (value, p.map { s.gradient($0) })
        }
        let serial = run(nil), one = run(1), two = run(2)
        #expect(one.0 == serial.0 && two.0 == serial.0)
        #expect(one.1 == serial.1 && two.1 == serial.1)
        #expect(serial.1.allSatisfy { $0.storage.contains { $0 != 0 } })
    }

    @Test(arguments: cases)
    func pullbackMatchesFiniteDifferences(_ c: Case) {
        var g = SplitMix64(seed: 42)
        var store = ParameterStore()
        var handles: [Parameter] = []
        for (k, shape) in c.inputs.enumerated() {
            var value = GradientCheck.random(shape.rows, shape.cols, &g, scale: c.scale)
            if c.awayFromKinks {
                for i in value.storage.indices {
                    let v = value.storage[i]
                    if abs(v) < 0.1 { value.storage[i] += 0.3 }
                    if abs(abs(v) - 2.5) < 0.1 { value.storage[i] += 0.3 }
                }
            }
            handles.append(store.add("x\(k)", value, flags: ParameterFlags(sparseRows: c.sparse)))
        }
        GradientCheck.check(store, h: c.h) { tape, generator in c.build(&tape, handles, &generator) }
    }
}
