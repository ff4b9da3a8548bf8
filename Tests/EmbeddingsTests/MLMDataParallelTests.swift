import Neural
import Testing
import XlingCore

@testable import Embeddings

/// `MultilingualLM.step` at `threads` = 2 (data-parallel, two shards balanced by tokens) against the
/// serial update on real Europarl batches: without dropout the update is the whole batch's to
/// float32 rounding (loss, gradient norm, every parameter after the step); with dropout the same
/// seed gives the same numbers; `MLMTrainer` at threads 2 is reproducible.
struct MLMDataParallelTests {
    static func batches() throws -> (corpora: [LMCorpus], buckets: LMBuckets) {
        let corpora = try MLMTrainerTests.corpora()
        return (corpora, try LMBuckets(corpora.map(\.sentences), batchSize: 32, seed: 4))
    }

    static func model(_ corpora: [LMCorpus], layers: Int, dropout: Float, threads: Int) throws -> MultilingualLM {
        var lm = try MultilingualLM(
            .init(vocabularySizes: corpora.map(\.words.count), embedding: 12, hidden: 10, layers: layers, dropout: dropout), seed: 7)
        lm.threads = threads
        return lm
    }

    @Test(arguments: [1, 2])
    func twoWorkersGiveTheWholeBatchUpdate(layers: Int) throws {
        let (corpora, buckets) = try Self.batches()
        var serial = try Self.model(corpora, layers: layers, dropout: 0, threads: 1)
        var parallel = try Self.model(corpora, layers: layers, dropout: 0, threads: 2)
        var g1 = SplitMix64(seed: 3), g2 = SplitMix64(seed: 3)
        // Four updates: both languages and directions, a clipped one (clip 0.5) among them.
        for (l, d, clip) in [(0, MultilingualLM.Direction.forward, 5.0), (1, .backward, 5.0), (0, .backward, 0.5), (1, .forward, 5.0)] {
            let sentences = buckets.buckets[l][1]
            #expect(sentences.count >= 2)
            let a = serial.step(language: l, direction: d, sentences: sentences, learningRate: 1, clip: clip, generator: &g1)
            let b = parallel.step(language: l, direction: d, sentences: sentences, learningRate: 1, clip: clip, generator: &g2)
            #expect(a.tokens == b.tokens)
            #expect(abs(a.loss - b.loss) <= 1e-5 * a.loss, "loss \(a.loss) vs \(b.loss)")
            #expect(abs(a.gradientNorm - b.gradientNorm) <= 1e-5 * a.gradientNorm, "norm \(a.gradientNorm) vs \(b.gradientNorm)")
        }
        for p in serial.store.parameters {
            let x = serial.store[p].storage, y = parallel.store[p].storage
            let worst = zip(x, y).map { abs($0 - $1) }.max() ?? 0
            #expect(worst <= 2e-6, "\(serial.store.name(p)): max |Δ| \(worst)")
        }
    }

    @Test func shardsAreBalancedByTokens() {
        // Sentence costs len + 1: 1,1,1,1,8 → the first shard takes the four short ones.
        let lengths = [0, 0, 0, 0, 7]
        let shards = WorkerStores.shards(Array(0..<5), workers: 2, cost: { lengths[$0] + 1 })
        #expect(shards == [[0, 1, 2, 3], [4]])
    }

    @Test func sameSeedSameNumbersWithDropout() throws {
        let (corpora, buckets) = try Self.batches()
        func run() throws -> (losses: [Double], store: ParameterStore) {
            var lm = try Self.model(corpora, layers: 2, dropout: 0.3, threads: 2)
            var generator = SplitMix64(seed: 11)
            var losses: [Double] = []
            for k in 0..<3 {
                for l in 0..<2 {
                    losses.append(
                        lm.step(
                            language: l, direction: .forward, sentences: buckets.buckets[l][k], learningRate: 1, clip: 5,
                            generator: &generator
                        )
                        .loss)
                }
            }
            return (losses, lm.store)
        }
        let a = try run(), b = try run()
        #expect(a.losses == b.losses)
        for p in a.store.parameters { #expect(a.store[p].storage == b.store[p].storage, "\(a.store.name(p))") }
        // Dropout is drawn (the masks differ from the serial run's, the loss stays close).
        var serial = try Self.model(corpora, layers: 2, dropout: 0.3, threads: 1)
        var generator = SplitMix64(seed: 11)
        let first = serial.step(
            language: 0, direction: .forward, sentences: buckets.buckets[0][0], learningRate: 1, clip: 5, generator: &generator)
        #expect(first.loss != a.losses[0])
        #expect(abs(first.loss - a.losses[0]) < 0.05 * first.loss)
    }

    @Test func trainerAtTwoThreadsIsReproducible() throws {
        let corpora = try MLMTrainerTests.corpora()
        // OpenBLAS's thread count is process-wide and other suites run at once: this test leaves it as
        // the test run set it (1), so it cannot make another suite's GEMMs multi-threaded mid-run.
        let before = BLAS.threads
        func run() throws -> (MLMTrainer.Result, ParameterStore) {
            var lm = try MLMTrainerTests.model(corpora)
            lm.threads = 2
            let result = try MLMTrainer.train(&lm, corpora: corpora, options: MLMTrainerTests.options(epochs: 2))
            return (result, lm.store)
        }
        let (a, sa) = try run()
        #expect(BLAS.threads == before, "the run restores OpenBLAS's threads")
        let (b, sb) = try run()
        #expect(a.epochs.map(\.lossPerToken) == b.epochs.map(\.lossPerToken))
        #expect(a.epochs.map(\.criterion) == b.epochs.map(\.criterion))
        #expect(a.keptEpoch == b.keptEpoch)
        for p in sa.parameters { #expect(sa[p].storage == sb[p].storage) }
        let first = a.epochs[0].lossPerToken, last = a.epochs[1].lossPerToken
        for l in 0..<2 { for d in 0..<2 { #expect(last[l][d] < first[l][d]) } }
    }
}
