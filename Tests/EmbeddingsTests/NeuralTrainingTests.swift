import Testing

@testable import Embeddings

#if canImport(Glibc)
import Glibc
#endif

/// Optimizers against closed-form steps, the whole bag-of-embeddings network against finite
/// differences on real data (fastText English vectors, SIB-200 English sentences), early
/// stopping, interruption and determinism of the training loop.
@Suite struct NeuralTrainingTests {
    static let sib200 = "/work/shared/data/classification/sib200"
    static let fastText = "notebooks/data/fasttext-en-fr-756/en.vec.gz"

    func close(_ a: [Float], _ b: [Double], _ tolerance: Double = 1e-6) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs(Double($0) - $1) <= tolerance }
    }

    @Test func sgdAdaGradAdamStepsMatchTheirFormulas() throws {
        let theta: [Float] = [1, -2, 0.5], g1: [Float] = [0.5, 1, -0.25], g2: [Float] = [-0.3, 0.2, 0.1]
        // SGD: θ − η·g, twice.
        var sgd = try Optimizer(.sgd, learningRate: 0.1), p = theta
        sgd.beginStep()
        try sgd.update(&p, gradient: g1, group: "w")
        sgd.beginStep()
        try sgd.update(&p, gradient: g2, group: "w")
        #expect(close(p, (0..<3).map { Double(theta[$0]) - 0.1 * Double(g1[$0]) - 0.1 * Double(g2[$0]) }))
        // AdaGrad: G accumulates g²; θ −= η·g/(√G + ε).
        var adagrad = try Optimizer(.adagrad, learningRate: 0.05)
        p = theta
        adagrad.beginStep()
        try adagrad.update(&p, gradient: g1, group: "w")
        adagrad.beginStep()
        try adagrad.update(&p, gradient: g2, group: "w")
        let expectedAdaGrad = (0..<3).map { i -> Double in
            let a = Double(g1[i]), b = Double(g2[i])
            return Double(theta[i]) - 0.05 * a / abs(a) - 0.05 * b / (a * a + b * b).squareRoot()
        }
        #expect(close(p, expectedAdaGrad))
        // Adam (Kingma & Ba, Algorithm 1) with bias correction, two steps.
        var adam = try Optimizer(.adam, learningRate: 0.01)
        p = theta
        adam.beginStep()
        try adam.update(&p, gradient: g1, group: "w")
        adam.beginStep()
        try adam.update(&p, gradient: g2, group: "w")
        let expectedAdam = (0..<3).map { i -> Double in
            var x = Double(theta[i]), m = 0.0, v = 0.0
            for (t, g) in [(1.0, Double(g1[i])), (2.0, Double(g2[i]))] {
                m = 0.9 * m + 0.1 * g
                v = 0.999 * v + 0.001 * g * g
                x -= 0.01 * (m / (1 - pow(0.9, t))) / ((v / (1 - pow(0.999, t))).squareRoot() + 1e-8)
            }
            return x
        }
        #expect(close(p, expectedAdam, 1e-5))
        // Groups keep their own state, and a multiplier scales one group's rate.
        var grouped = try Optimizer(.sgd, learningRate: 0.1)
        grouped.setLearningRateMultiplier(0, for: "frozen")
        var frozen = theta
        grouped.beginStep()
        try grouped.update(&frozen, gradient: g1, group: "frozen")
        #expect(frozen == theta)
        #expect(throws: NeuralError("learning rate must be positive, got 0.0")) { try Optimizer(.adam, learningRate: 0) }
    }

    @Test(arguments: Optimizer.Kind.allCases)
    func lazyRowUpdatesTouchOnlyTheirRows(_ kind: Optimizer.Kind) throws {
        var g = SplitMix64(seed: 11)
        var table = (0..<12).map { _ in g.nextFloat() } // 4 rows × 3
        let original = table
        let gradient = try RowGradient(rows: [1, 3], values: Matrix(rows: 2, cols: 3, values: [0.5, -1, 0.25, 2, 0, -0.5]))
        var sparse = try Optimizer(kind, learningRate: 0.1), dense = sparse
        sparse.beginStep()
        try sparse.updateRows(&table, width: 3, gradient: gradient, group: "e")
        // The dense update with the same gradient (zeros elsewhere) gives the same first step.
        var denseTable = original
        dense.beginStep()
        try dense.update(&denseTable, gradient: gradient.dense(tableRows: 4).storage, group: "e")
        #expect(Array(table[0..<3]) == Array(original[0..<3]) && Array(table[6..<9]) == Array(original[6..<9]))
        for i in [3, 4, 5, 9, 10, 11] { #expect(abs(table[i] - denseTable[i]) < 1e-6) }
        #expect(throws: NeuralError("group `e`: row 4 is outside the 4-row table")) {
            try sparse.updateRows(&table, width: 3, gradient: RowGradient(rows: [4], values: Matrix(rows: 1, cols: 3)), group: "e")
        }
    }

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
            table: table, trainableEmbeddings: trainable, hiddenSizes: hidden,
            classes: documents.labelNames.count, activation: .tanh, dropout: try Dropout(rate: dropout),
            loss: SoftmaxCrossEntropy(classWeights: [1, 2, 0.5, 1, 1, 1.5, 1]), generator: &g)
        return (network, bags, labels)
    }

    @Test(arguments: [(Float(0), [6]), (Float(0.3), [6, 5])])
    func wholeNetworkGradientsMatchFiniteDifferences(_ dropout: Float, _ hidden: [Int]) throws {
        let (network, bags, labels) = try Self.realBatch(trainable: true, dropout: dropout, hidden: hidden)
        func loss(_ n: BagOfEmbeddingsNetwork) -> Double {
            var g = SplitMix64(seed: 99) // the same dropout mask for every evaluation
            return (try? n.gradients(bags, labels: labels, generator: &g).loss) ?? .nan
        }
        var g = SplitMix64(seed: 99)
        let (_, grads) = try network.gradients(bags, labels: labels, generator: &g)
        let check = NeuralLayerTests.checkGradientAt
        check(network.output.weight.storage, grads.output.weight.storage, 1e-2, #_sourceLocation) { v in
            var n = network
            n.output.weight.storage = v
            return loss(n)
        }
        check(network.output.bias, grads.output.bias, 1e-2, #_sourceLocation) { v in
            var n = network
            n.output.bias = v
            return loss(n)
        }
        for l in hidden.indices {
            check(network.hidden[l].weight.storage, grads.hidden[l].weight.storage, 1e-2, #_sourceLocation) { v in
                var n = network
                n.hidden[l].weight.storage = v
                return loss(n)
            }
            check(network.hidden[l].bias, grads.hidden[l].bias, 1e-2, #_sourceLocation) { v in
                var n = network
                n.hidden[l].bias = v
                return loss(n)
            }
        }
        // The embedding rows the batch touched (the others have zero gradient by construction).
        let rows = try #require(grads.embedding)
        let d = network.embedding.dimension
        let touched = rows.rows.prefix(6).flatMap { r in (0..<d).map { r * d + $0 } }
        let dense = rows.dense(tableRows: network.embedding.table.rows).storage
        check(touched.map { network.embedding.table.storage[$0] }, touched.map { dense[$0] }, 1e-2, #_sourceLocation) { v in
            var n = network
            for (k, index) in touched.enumerated() { n.embedding.table.storage[index] = v[k] }
            return loss(n)
        }
        // A frozen table has no gradient.
        var frozen = network
        frozen.embedding.trainable = false
        var g2 = SplitMix64(seed: 99)
        #expect(try frozen.gradients(bags, labels: labels, generator: &g2).gradients.embedding == nil)
    }

    @Test func earlyStoppingKeepsTheBestEpoch() throws {
        var stopper = try EarlyStopping(patience: 2)
        #expect(stopper.record(score: 0.5, epoch: 1) == .improved)
        #expect(stopper.record(score: 0.6, epoch: 2) == .improved)
        #expect(stopper.record(score: 0.6, epoch: 3) == .keepGoing) // a tie is no improvement
        #expect(stopper.record(score: 0.55, epoch: 4) == .stop)
        #expect(stopper.bestEpoch == 2 && stopper.bestScore == 0.6)
        #expect(throws: NeuralError("patience must be at least 1 epoch, got 0")) { try EarlyStopping(patience: 0) }
    }

    @Test func trainerStopsEarlyKeepsBestAndStopsOnRequest() throws {
        // A "network" that is just a counter of steps; the dev score peaks after epoch 2.
        let scores = [0.3, 0.7, 0.6, 0.65, 0.5, 0.9]
        let optimizer = try Optimizer(.sgd, learningRate: 1)
        let result = try NetworkTrainer.train(
            0, examples: 10, options: .init(epochs: 6, batchSize: 4, patience: 2), optimizer: optimizer, generator: SplitMix64(seed: 1),
            step: { (n: inout Int, batch: [Int], _: inout Optimizer, _: inout SplitMix64) throws(NeuralError) -> Double in
                n += 1
                return Double(batch.count)
            },
            devScore: { (n: Int) throws(NeuralError) -> Double in scores[n / 3 - 1] })
        #expect(result.history.count == 4 && result.stoppedEarly && !result.interrupted)
        #expect(result.keptEpoch == 2 && result.network == 6) // 3 batches per epoch
        #expect(result.history.allSatisfy { abs($0.trainLoss - 3.6) < 1e-12 }) // (4·4 + 4·4 + 2·2) / 10
        // The callback stops the run: the model so far is kept.
        let stopped = try NetworkTrainer.train(
            0, examples: 10, options: .init(epochs: 6, batchSize: 4), optimizer: optimizer, generator: SplitMix64(seed: 1),
            step: { (n: inout Int, _: [Int], _: inout Optimizer, _: inout SplitMix64) throws(NeuralError) -> Double in
                n += 1
                return 1
            },
            progress: { .stopping(if: !$0.isPoll && $0.step >= 2) })
        #expect(stopped.interrupted && stopped.history.count == 2 && stopped.network == 6 && stopped.keptEpoch == 2)
        // A stop answered to the poll before each batch ends the run mid-epoch: the steps so far are kept, the
        // unfinished epoch gets no report.
        var checks = 0
        let midway = try NetworkTrainer.train(
            0, examples: 10, options: .init(epochs: 6, batchSize: 4), optimizer: optimizer, generator: SplitMix64(seed: 1),
            step: { (n: inout Int, _: [Int], _: inout Optimizer, _: inout SplitMix64) throws(NeuralError) -> Double in
                n += 1
                return 1
            },
            progress: { report in
                guard report.isPoll else { return .continue }
                checks += 1
                return .stopping(if: checks > 5)
            })
        #expect(midway.interrupted && midway.history.count == 1 && midway.network == 5)
        #expect(throws: NeuralError("no training examples")) {
            try NetworkTrainer.train(
                0, examples: 0, options: .init(epochs: 1, batchSize: 1), optimizer: optimizer, generator: SplitMix64(seed: 1),
                step: { (_: inout Int, _: [Int], _: inout Optimizer, _: inout SplitMix64) throws(NeuralError) -> Double in 0 })
        }
    }

    @Test func miniBatchesCoverEveryExampleOnce() {
        var g = SplitMix64(seed: 3)
        let batches = MiniBatches.shuffled(count: 23, size: 5, generator: &g)
        #expect(batches.map(\.count) == [5, 5, 5, 5, 3])
        #expect(batches.joined().sorted() == Array(0..<23))
        var again = SplitMix64(seed: 3)
        #expect(MiniBatches.shuffled(count: 23, size: 5, generator: &again) == batches)
    }
}
