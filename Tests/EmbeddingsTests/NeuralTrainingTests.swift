import Testing

@testable import Embeddings

/// The bag-of-embeddings network on the tape against finite differences on real data (fastText
/// English vectors, SIB-200 English sentences): every parameter, the touched embedding rows, a
/// frozen table; the regression gate of the port onto the neural engine.
@Suite struct NeuralTrainingTests {
    static let sib200 = "/work/shared/data/classification/sib200"
    static let fastText = "notebooks/data/fasttext-en-fr-756/en.vec.gz"

    /// A small network over the real fastText English vectors and the first SIB-200 English
    /// training sentences (as bags of vocabulary rows).
    static func realBatch(trainable: Bool, dropout: Float, hidden: [Int]) throws -> (BagOfEmbeddingsNetwork, [[Int]], [Int]) {
        let (space, _) = try Word2VecText.load(path: fastText, language: "en")
        let documents = try LabeledDocuments.read(path: sib200 + "/eng_Latn/train.tsv", language: "en")
        // The five first documents with at least two in-vocabulary words; 20-d slice of the vectors.
        var bags: [[Int]] = [], labels: [Int] = []
        for (tokens, label) in zip(documents.documents, documents.labels) where bags.count < 5 {
            let ids = tokens.compactMap { space.vocabulary.id($0) }
            if ids.count >= 2 {
                bags.append(ids)
                labels.append(label)
            }
        }
        let table = try space.vectors.selectingColumns(Array(0..<20))
        var g = SplitMix64(seed: 21)
        let network = BagOfEmbeddingsNetwork(
            table: table, trainableEmbeddings: trainable, hiddenSizes: hidden, classes: documents.labelNames.count,
            activation: .tanh, dropout: dropout, classWeights: [1, 2, 0.5, 1, 1, 1.5, 1], generator: &g)
        return (network, bags, labels)
    }

    /// The batch loss of `store` (the same dropout mask for every evaluation).
    static func loss(_ network: BagOfEmbeddingsNetwork, _ store: ParameterStore, _ bags: [[Int]], _ labels: [Int]) -> Double {
        var tape = Tape(store)
        var g = SplitMix64(seed: 99)
        let loss = network.loss(bags, labels: labels, on: &tape, generator: &g)
        return Double(tape[loss].storage[0])
    }

    @Test(arguments: [(Float(0), [6]), (Float(0.3), [6, 5])])
    func wholeNetworkGradientsMatchFiniteDifferences(_ dropout: Float, _ hidden: [Int]) throws {
        let (network, bags, labels) = try Self.realBatch(trainable: true, dropout: dropout, hidden: hidden)
        var store = network.store
        var tape = Tape(store)
        var g = SplitMix64(seed: 99)
        let loss = network.loss(bags, labels: labels, on: &tape, generator: &g)
        tape.backward(from: loss, into: &store)
        let touched = Set(bags.joined())
        #expect(Set(store.touchedRows[network.embedding.table.index]) == touched)
        let h: Float = 1e-2
        for p in store.parameters {
            let d = store[p].cols
            // Dense parameters: every element; the table: the first touched rows (others are zero by construction).
            let indices =
                p == network.embedding.table
                ? touched.sorted().prefix(6).flatMap { r in (0..<d).map { r * d + $0 } } : Array(store[p].storage.indices)
            for k in indices {
                var plus = network.store, minus = network.store
                plus.values[p.index].storage[k] += h
                minus.values[p.index].storage[k] -= h
                let numeric = (Self.loss(network, plus, bags, labels) - Self.loss(network, minus, bags, labels)) / Double(2 * h)
                let analytic = Double(store.gradient(p).storage[k])
                #expect(abs(numeric - analytic) <= 2e-3 + 2e-2 * abs(analytic), "\(store.name(p))[\(k)]")
            }
        }
        if p(network.embedding.table, in: store) {
            #expect(store.gradient(network.embedding.table).storage.count == network.table.storage.count)
        }
        // A frozen table keeps no gradient and its rows are constants on the tape.
        let (frozen, _, _) = try Self.realBatch(trainable: false, dropout: dropout, hidden: hidden)
        var frozenStore = frozen.store
        var frozenTape = Tape(frozenStore)
        var g2 = SplitMix64(seed: 99)
        let frozenLoss = frozen.loss(bags, labels: labels, on: &frozenTape, generator: &g2)
        frozenTape.backward(from: frozenLoss, into: &frozenStore)
        #expect(
            frozenStore.gradient(frozen.embedding.table).storage.isEmpty && frozenStore.touchedRows[frozen.embedding.table.index].isEmpty)
    }

    func p(_ parameter: Parameter, in store: ParameterStore) -> Bool { store.isTrainable(parameter) }
}
