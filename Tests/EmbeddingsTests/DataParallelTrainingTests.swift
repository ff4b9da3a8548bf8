import Testing

@testable import Embeddings
@testable import Neural

/// Data-parallel training (`Trainer.Options.threads` ≥ 2, `WorkerStores`): a batch split over
/// workers, each with its own tape and gradient buffers, gives the whole batch's loss and gradients
/// (class-weighted, so the shares must use the whole batch's normaliser); training at two threads is
/// deterministic, ends with OpenBLAS's thread count as it found it, and an interrupt keeps the model.
@Suite struct DataParallelTrainingTests {
    enum Kind: String, CaseIterable { case cnn, bigruAtt, han }

    static let weights: [Float] = [1, 2.5, 0.5, 1.25]

    /// A network of `kind` over a random 40×6 table, 4 classes, class weights, no dropout.
    static func network(_ kind: Kind) -> any ClassifierNetwork {
        var g = SplitMix64(seed: 11)
        var table = Matrix(rows: 40, cols: 6)
        for i in table.storage.indices { table.storage[i] = 2 * g.nextFloat() - 1 }
        switch kind {
        case .cnn:
            return SequenceClassifierNetwork(
                cnnOver: table, trainableEmbeddings: true, widths: [2, 3], filters: 5, classes: 4, dropout: 0, classWeights: weights,
                generator: &g)
        case .bigruAtt:
            return SequenceClassifierNetwork(
                biGRUOver: table, trainableEmbeddings: true, units: 5, classes: 4, dropout: 0, classWeights: weights, generator: &g)
        case .han:
            return HierarchicalClassifierNetwork(
                over: table, trainableEmbeddings: true, units: 4, classes: 4, dropout: 0, classWeights: weights, generator: &g)
        }
    }

    /// 11 documents of 1–9 tokens (han: 1–3 sentences of them) and their labels (every class).
    static func batch() -> (flat: [[Int]], sentences: [[[Int]]], labels: [Int]) {
        var g = SplitMix64(seed: 7)
        var flat: [[Int]] = [], sentences: [[[Int]]] = [], labels: [Int] = []
        for i in 0..<11 {
            let parts = (0..<(1 + i % 3)).map { _ in (0..<(1 + Int(g.next() % 4))).map { _ in Int(g.next() % 40) } }
            sentences.append(parts)
            flat.append(Array(parts.joined()))
            labels.append(i % 4 == 3 ? 3 : Int(g.next() % 4))
        }
        return (flat, sentences, labels)
    }

    /// The whole batch's loss and gradients on one tape, and the same batch split over `workers`.
    func compare<Network: ClassifierNetwork>(_ network: Network, _ documents: [Network.Document], _ labels: [Int], workers: Int) {
        var whole = network.store
        whole.zeroGrad()
        var tape = Tape(whole)
        var g = SplitMix64(seed: 1)
        let loss = network.loss(documents, labels: labels, on: &tape, generator: &g)
        let expected = Double(tape[loss].storage[0])
        tape.backward(from: loss, into: &whole)

        var split = network.store
        split.zeroGrad()
        let stores = WorkerStores(split, count: workers)
        var generator = SplitMix64(seed: 1)
        let total = ClassWeights.total(labels: labels, classWeights: network.classWeights)
        let value = try! stores.step(
            Array(labels.indices),
            { tape, shard, batch, generator in
                #expect(batch.count == labels.count)
                return network.shardLoss(
                    shard.map { documents[$0] }, labels: shard.map { labels[$0] }, batchWeight: total, on: &tape, generator: &generator)
            }, &split, &generator, cost: { labels[$0] + 1 }) // uneven shards
        #expect(abs(value - expected) <= 1e-6 * abs(expected), "\(network.name) loss at \(workers) workers: \(value) vs \(expected)")
        for p in whole.parameters {
            let a = whole.gradient(p).storage, b = split.gradient(p).storage
            let scale = a.reduce(Float(0)) { max($0, abs($1)) }
            #expect(scale > 0, "\(network.name): \(whole.name(p)) has a gradient")
            let worst = zip(a, b).reduce(Float(0)) { max($0, abs($1.0 - $1.1)) }
            #expect(
                worst <= 1e-5 * max(1, scale), "\(network.name) \(whole.name(p)) at \(workers) workers: off by \(worst) (max |g| \(scale))")
            #expect(Set(whole.touchedRows[p.index]) == Set(split.touchedRows[p.index]), "\(whole.name(p)) touched rows")
        }
        // The values were shared with the workers and released again: the store updates in place.
        #expect(split.values.count == whole.values.count)
    }

    @Test(arguments: Kind.allCases)
    func splitGradientsEqualTheWholeBatch(_ kind: Kind) {
        let (flat, sentences, labels) = Self.batch()
        for workers in [2, 3] {
            switch Self.network(kind) {
            case let network as SequenceClassifierNetwork: compare(network, flat, labels, workers: workers)
            case let network as HierarchicalClassifierNetwork: compare(network, sentences, labels, workers: workers)
            default: Issue.record("unexpected network")
            }
        }
    }

    @Test func shardsAreConsecutiveNonEmptyAndBalancedByCost() {
        let batch = [5, 3, 8, 0, 1, 9, 2, 7, 4, 6]
        let cost = [1, 1, 1, 1, 1, 1, 30, 1, 1, 1] // example 6 (last in the batch) is heavy
        #expect(WorkerStores.shards(batch, workers: 2, cost: nil) == [[5, 3, 8, 0, 1], [9, 2, 7, 4, 6]])
        #expect(WorkerStores.shards(batch, workers: 2, cost: { cost[$0] }) == [[5, 3, 8, 0, 1, 9, 2, 7, 4], [6]])
        let heavyFirst = [6, 5, 3, 8, 0, 1, 9, 2, 7, 4]
        #expect(WorkerStores.shards(heavyFirst, workers: 3, cost: { cost[$0] }) == [[6], [5], [3, 8, 0, 1, 9, 2, 7, 4]])
        let even = WorkerStores.shards(batch, workers: 3, cost: { _ in 2 })
        #expect(even == [[5, 3, 8, 0], [1, 9, 2], [7, 4, 6]] && even.joined().elementsEqual(batch))
        #expect(WorkerStores.shards([4, 2], workers: 2, cost: { _ in 5 }) == [[4], [2]])
    }

    /// The same check for Sent-Ali (align=): its shares encode one extra target for the in-batch
    /// negative that crosses a shard boundary.
    func compareAlignment<Network: ClassifierNetwork>(_ network: Network, workers: Int, negatives: Bool) {
        let (flat, _, _) = Self.batch()
        let pairs = flat.indices.map { (source: flat[$0], target: flat[(3 * $0 + 1) % flat.count]) }
        let batch = [4, 9, 0, 7, 2, 10, 1]
        var whole = network.store
        whole.zeroGrad()
        var tape = Tape(whole)
        let loss = TextClassifier.alignmentLoss(network, pairs: pairs, batch: batch, negatives: negatives, on: &tape)
        let expected = Double(tape[loss].storage[0])
        tape.backward(from: loss, into: &whole)
        var split = network.store
        split.zeroGrad()
        var generator = SplitMix64(seed: 1)
        let value = try! WorkerStores(split, count: workers).step(
            batch,
            { tape, shard, batch, _ in
                TextClassifier.alignmentShareLoss(network, pairs: pairs, shard: shard, batch: batch, negatives: negatives, on: &tape)
            }, &split, &generator)
        #expect(abs(value - expected) <= 1e-5 * max(1, abs(expected)), "\(network.name) align loss at \(workers): \(value) vs \(expected)")
        var compared = 0
        for p in whole.parameters where !whole.name(p).hasPrefix("output.") {
            let a = whole.gradient(p).storage, b = split.gradient(p).storage
            let scale = a.reduce(Float(0)) { max($0, abs($1)) }
            let worst = zip(a, b).reduce(Float(0)) { max($0, abs($1.0 - $1.1)) }
            #expect(
                worst <= 1e-5 * max(1, scale), "\(network.name) align \(whole.name(p)) at \(workers): off by \(worst) (max |g| \(scale))")
            if scale > 0 { compared += 1 }
        }
        #expect(compared >= 5, "the encoder's parameters have gradients")
    }

    @Test(arguments: [Kind.bigruAtt, .han])
    func splitAlignmentGradientsEqualTheWholeBatch(_ kind: Kind) {
        for workers in [2, 3] {
            for negatives in [true, false] {
                switch Self.network(kind) {
                case let network as SequenceClassifierNetwork: compareAlignment(network, workers: workers, negatives: negatives)
                case let network as HierarchicalClassifierNetwork: compareAlignment(network, workers: workers, negatives: negatives)
                default: Issue.record("unexpected network")
                }
            }
        }
    }

    /// 66 documents (6 shifted copies of `batch()`), each sentence ending in ".", labels a…d.
    static func documents() throws -> LabeledDocuments {
        let (_, sentences, labels) = batch()
        var examples: [(label: String, tokens: [String])] = []
        for copy in 0..<6 {
            for (doc, label) in zip(sentences, labels) {
                examples.append((["a", "b", "c", "d"][label], doc.flatMap { $0.map { "w\(($0 + copy) % 40)" } + ["."] }))
            }
        }
        return try #require(LabeledDocuments(language: "en", examples: examples))
    }

    static func space() throws -> EmbeddingSpace {
        var g = SplitMix64(seed: 3)
        var table = Matrix(rows: 41, cols: 6)
        for i in table.storage.indices { table.storage[i] = 2 * g.nextFloat() - 1 }
        return try EmbeddingSpace(vocabulary: Vocabulary((0..<40).map { "w\($0)" } + ["."]), vectors: table, language: "en")
    }

    @Test(arguments: [TextClassifierModel.cnn, .bigruAtt, .han])
    func twoThreadsAreDeterministicAndMatchOneThreadWithoutDropout(_ model: TextClassifierModel) throws {
        let set = try Self.documents(), space = try Self.space()
        var options = TextClassifierOptions()
        options.model = model
        options.epochs = 2
        options.hidden = 4
        options.filters = 4
        options.batchSize = 16
        options.classWeighting = .log
        options.threads = 2
        let blas = BLAS.threads
        let a = try TextClassifier.train(set, space: space, options: options)
        let b = try TextClassifier.train(set, space: space, options: options)
        #expect(BLAS.threads == blas, "the run restores OpenBLAS's thread count")
        #expect(a.training?.history.map(\.trainLoss) == b.training?.history.map(\.trainLoss), "\(model): same seed, same threads")
        #expect(a.predict(set) == b.predict(set))
        // Without dropout the first epoch (same batches) is the serial one up to float32 rounding.
        options.dropout = 0
        options.threads = 2
        let two = try TextClassifier.train(set, space: space, options: options)
        options.threads = 1
        let one = try TextClassifier.train(set, space: space, options: options)
        let l2 = try #require(two.training?.history.first?.trainLoss), l1 = try #require(one.training?.history.first?.trainLoss)
        #expect(abs(l2 - l1) <= 1e-5 * abs(l1), "\(model): epoch 1 loss \(l2) at 2 threads vs \(l1) at 1")
    }

    @Test func anInterruptAtTwoThreadsKeepsTheModelSoFar() throws {
        let set = try Self.documents(), space = try Self.space()
        var options = TextClassifierOptions()
        options.model = .bigruAtt
        options.epochs = 5
        options.hidden = 4
        options.batchSize = 8
        options.threads = 2
        var polls = 0
        let stopped = try TextClassifier.train(
            set, space: space, options: options,
            progress: { report in
                if report.isPoll { polls += 1 }
                return .stopping(if: report.isPoll && polls > 12) // mid-way through epoch 2 (9 batches per epoch)
            })
        #expect(stopped.training?.interrupted == true && stopped.training?.history.count == 1)
        #expect(stopped.predict(set).count == set.count)
        let one = try TextClassifier.train(
            set, space: space,
            options: {
                var o = options
                o.epochs = 1
                return o
            }())
        #expect(stopped.predict(set) != one.predict(set) || stopped.training?.keptEpoch == 1, "the partial epoch's steps are kept")
    }
}
