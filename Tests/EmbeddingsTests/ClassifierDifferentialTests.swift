import Testing

@testable import Embeddings

#if canImport(Glibc)
import Glibc
#endif

/// The whole CLTC classifiers against PyTorch CPU: forward logits, the class-weighted loss and the
/// gradient of every parameter (the embedding table included), with the weights of the golden
/// fixtures `Tests/NeuralTests/Fixtures/classifier_{cnn,bigru_att,han}.txt` written by
/// `Tests/reference/neural_torch_reference.py` (`make neural-fixtures`; float64 reference on float32
/// weights; tolerances of the spec's plan: forward 1e-5, gradients 2e-4 relative to the largest value).
@Suite struct ClassifierDifferentialTests {
    /// The named tensors of one fixture file.
    struct Reference {
        var tensors: [String: (rows: Int, cols: Int, values: [Double])] = [:]

        init(_ name: String, filePath: String = #filePath) throws {
            let directory = String(filePath[..<filePath.lastIndex(of: "/")!])
            let path = directory + "/../NeuralTests/Fixtures/\(name).txt"
            guard let file = fopen(path, "r") else { throw ClassificationError("cannot open \(path)") }
            defer { fclose(file) }
            var bytes: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let n = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
                if n <= 0 { break }
                bytes.append(contentsOf: buffer[0..<n])
            }
            for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
                let fields = line.split(separator: " ")
                guard fields.count >= 3, let rows = Int(fields[1]), let cols = Int(fields[2]) else { continue }
                tensors[String(fields[0])] = (rows, cols, fields.dropFirst(3).map { Double($0)! })
            }
        }

        func matrix(_ name: String) -> Matrix {
            guard let t = tensors[name] else { preconditionFailure("fixture has no \(name)") }
            var m = Matrix(rows: t.rows, cols: t.cols)
            for k in t.values.indices { m.storage[k] = Float(t.values[k]) }
            return m
        }

        /// Rows of ids, −1 padding removed.
        func idRows(_ name: String) -> [[Int]] {
            let m = matrix(name)
            return (0..<m.rows).map { r in (0..<m.cols).map { Int(m[r, $0]) }.filter { $0 >= 0 } }
        }

        func ints(_ name: String) -> [Int] { matrix(name).storage.map { Int($0) } }

        func expectClose(_ actual: Matrix, _ name: String, rtol: Double, sourceLocation: SourceLocation = #_sourceLocation) {
            guard let t = tensors[name] else {
                Issue.record("fixture has no \(name)", sourceLocation: sourceLocation)
                return
            }
            guard actual.rows == t.rows, actual.cols == t.cols else {
                Issue.record("\(name): \(actual.shapeDescription) vs \(t.rows)×\(t.cols)", sourceLocation: sourceLocation)
                return
            }
            let scale = t.values.map { abs($0) }.max() ?? 0
            let worst = zip(actual.storage, t.values).map { abs(Double($0) - $1) }.max() ?? 0
            #expect(worst <= 1e-6 + rtol * scale, "\(name): max difference \(worst), scale \(scale)", sourceLocation: sourceLocation)
        }
    }

    /// Loads every fixture weight into `store`, runs `loss` on a training tape and compares the
    /// logits, the loss and every parameter's gradient.
    static func compare(
        _ reference: Reference, store: inout ParameterStore,
        _ forward: (inout Tape, inout SplitMix64) -> (logits: Var, loss: Var)
    ) {
        for p in store.parameters {
            let name = store.name(p)
            guard reference.tensors[name] != nil else {
                Issue.record("the fixture has no weights for \(name)")
                continue
            }
            store.replace(p, with: reference.matrix(name))
        }
        var tape = Tape(store)
        var g = SplitMix64(seed: 1)
        let (logits, loss) = forward(&tape, &g)
        reference.expectClose(tape[logits], "logits", rtol: 1e-5)
        reference.expectClose(tape[loss], "loss", rtol: 1e-5)
        store.zeroGrad()
        tape.backward(from: loss, into: &store)
        for p in store.parameters {
            reference.expectClose(store.gradient(p), "grad." + store.name(p), rtol: 2e-4)
        }
    }

    @Test func mfCNNMatchesPyTorch() throws {
        let reference = try Reference("classifier_cnn")
        var g = SplitMix64(seed: 0)
        let weights = reference.matrix("classWeights").storage
        var network = SequenceClassifierNetwork(
            cnnOver: reference.matrix("embedding"), trainableEmbeddings: true, widths: [2, 3], filters: 4, classes: 3, dropout: 0,
            classWeights: weights, generator: &g)
        let docs = reference.idRows("docs"), labels = reference.ints("labels")
        Self.compare(reference, store: &network.store) { [network] tape, g in
            let logits = network.logits(docs, on: &tape, generator: &g)
            return (logits, tape.softmaxCrossEntropy(logits, labels: labels, classWeights: weights))
        }
    }

    @Test func biGRUAttentionMatchesPyTorch() throws {
        let reference = try Reference("classifier_bigru_att")
        var g = SplitMix64(seed: 0)
        let weights = reference.matrix("classWeights").storage
        var network = SequenceClassifierNetwork(
            biGRUOver: reference.matrix("embedding"), trainableEmbeddings: true, units: 4, classes: 3, dropout: 0, classWeights: weights,
            generator: &g)
        let docs = reference.idRows("docs"), labels = reference.ints("labels")
        Self.compare(reference, store: &network.store) { [network] tape, g in
            let logits = network.logits(docs, on: &tape, generator: &g)
            return (logits, tape.softmaxCrossEntropy(logits, labels: labels, classWeights: weights))
        }
    }

    @Test func hierarchicalAttentionNetworkMatchesPyTorch() throws {
        let reference = try Reference("classifier_han")
        var g = SplitMix64(seed: 0)
        let weights = reference.matrix("classWeights").storage
        var network = HierarchicalClassifierNetwork(
            over: reference.matrix("embedding"), trainableEmbeddings: true, units: 4, classes: 3, dropout: 0, classWeights: weights,
            generator: &g)
        let sentences = reference.idRows("sentences"), counts = reference.ints("sentenceCounts"), labels = reference.ints("labels")
        var documents: [[[Int]]] = []
        var next = 0
        for count in counts {
            documents.append(Array(sentences[next..<(next + count)]))
            next += count
        }
        Self.compare(reference, store: &network.store) { [network] tape, g in
            let logits = network.logits(documents, on: &tape, generator: &g)
            return (logits, tape.softmaxCrossEntropy(logits, labels: labels, classWeights: weights))
        }
    }
}
