import Neural
import Testing
import XlingCore

@testable import Embeddings

/// `MLMTrainer` on a small slice of real Europarl text (en, de): the loss per token falls, the
/// criterion is computed each epoch and its best epoch is kept, a stop request keeps the last
/// update, and the same seed gives identical numbers.
struct MLMTrainerTests {
    static func corpora() throws -> [LMCorpus] {
        try ["en", "de"].map { l in
            let c = try Corpus.read(path: "notebooks/data/europarl-en-de/\(l).txt.gz", language: l, maxLines: 240)
            return try LMCorpus(c, minCount: 3, maxLength: 30)
        }
    }

    static func options(epochs: Int) -> MLMTrainer.Options {
        var o = MLMTrainer.Options()
        o.epochs = epochs
        o.batchSize = 32
        o.seed = 4
        return o
    }

    static func model(_ corpora: [LMCorpus]) throws -> MultilingualLM {
        try MultilingualLM(.init(vocabularySizes: corpora.map(\.words.count), embedding: 12, hidden: 12, layers: 1, dropout: 0.1), seed: 4)
    }

    @Test func lossFallsAndBestEpochIsKept() throws {
        let corpora = try Self.corpora()
        var lm = try Self.model(corpora)
        var updates = 0
        var paper = Self.options(epochs: 3)
        paper.keep = .criterion
        let result = try MLMTrainer.train(
            &lm, corpora: corpora, options: paper,
            progress: { p in
                updates += 1
                #expect(p.tokensPerSecond > 0)
            })
        #expect(result.epochs.count == 3 && result.stoppedAt == nil)
        let buckets = try LMBuckets(corpora.map(\.sentences), batchSize: 32, seed: 4).bucketCount
        #expect(updates == 3 * buckets * 2 * 2, "one progress report per update")
        let first = result.epochs[0].lossPerToken, last = result.epochs[2].lossPerToken
        for l in 0..<2 {
            for d in 0..<2 {
                let before: Double = first[l][d], after: Double = last[l][d]
                #expect(after < before - 0.1, "language \(l) direction \(d): \(before) → \(after)")
            }
        }
        let scores = result.epochs.map { $0.criterion! }
        #expect(scores.allSatisfy { $0.isFinite })
        let kept = try #require(result.keptEpoch)
        #expect(scores[kept] == scores.max())
        // The model holds the kept epoch: recomputing the criterion gives its score.
        let again = try MLMSelection.meanCSLS(
            source: MLMTrainer.withoutUnknown(lm.embeddings(language: 0)), target: MLMTrainer.withoutUnknown(lm.embeddings(language: 1)))
        #expect(abs(again - scores[kept]) < 1e-9)

        var twin = try Self.model(corpora)
        _ = try MLMTrainer.train(&twin, corpora: corpora, options: paper)
        // Same seed, same numbers: exact when nothing else runs (a kernel runs one cell at a time);
        // in this test process other suites switch OpenBLAS's process-wide thread count
        // (`withSingleThreadedBLAS`), which changes the last bits of some products.
        let drift = try twin.embeddings(language: 1).maxAbsoluteDifference(lm.embeddings(language: 1))
        #expect(drift < 1e-4, "same seed, same numbers up to BLAS rounding: \(drift)")
    }

    /// keep=last (the default): the same training and criteria as keep=criterion, and the last
    /// epoch's parameters (as `epochEnd` saw them) are what the model holds at the end.
    @Test func keepLastHoldsTheLastEpoch() throws {
        let corpora = try Self.corpora()
        let options = Self.options(epochs: 3)
        #expect(options.keep == .last)
        var lm = try Self.model(corpora)
        var atEnd: Matrix?
        let result = try MLMTrainer.train(
            &lm, corpora: corpora, options: options,
            epochEnd: { report, model, best in
                #expect(best?.epoch == report.epoch && best?.snapshot == nil, "keep=last: the best so far is the epoch just done")
                atEnd = model.embeddings(language: 1)
            })
        #expect(result.keptEpoch == 2 && result.epochs.allSatisfy { $0.criterion?.isFinite == true })
        #expect(try lm.embeddings(language: 1).maxAbsoluteDifference(#require(atEnd)) == 0)
        var paper = try Self.model(corpora)
        var criterion = options
        criterion.keep = .criterion
        let byCriterion = try MLMTrainer.train(&paper, corpora: corpora, options: criterion)
        for (a, b) in zip(result.epochs, byCriterion.epochs) {
            #expect(abs(a.criterion! - b.criterion!) < 1e-4, "the same training either way: \(a.criterion!) vs \(b.criterion!)")
        }
    }

    @Test func stopKeepsLastUpdate() throws {
        let corpora = try Self.corpora()
        var lm = try Self.model(corpora)
        var calls = 0
        let result = try MLMTrainer.train(
            &lm, corpora: corpora, options: Self.options(epochs: 2),
            shouldStop: {
                calls += 1
                return calls > 5
            })
        #expect(result.stoppedAt?.epoch == 0 && result.stoppedAt?.step == 5 && result.keptEpoch == nil)
        #expect(result.epochs.isEmpty)
    }

    @Test func errorsAndSpaces() throws {
        let corpora = try Self.corpora()
        var lm = try Self.model(corpora)
        let twice = [corpora[0], corpora[0]]
        var same = try Self.model(twice)
        #expect(throws: LanguageModelError.self) { try MLMTrainer.train(&same, corpora: twice, options: Self.options(epochs: 1)) }
        var one = try MultilingualLM(.init(vocabularySizes: [corpora[0].words.count], embedding: 4, hidden: 4), seed: 1)
        #expect(throws: LanguageModelError.self) { try MLMTrainer.train(&one, corpora: [corpora[0]], options: Self.options(epochs: 1)) }
        #expect(throws: LanguageModelError.self) {
            try MLMTrainer.train(&lm, corpora: corpora.reversed(), options: Self.options(epochs: 1))
        }
        var zeroEpochs = Self.options(epochs: 1)
        zeroEpochs.epochs = 0
        #expect(throws: LanguageModelError.self) { try MLMTrainer.train(&lm, corpora: corpora, options: zeroEpochs) }
        let de = try lm.space(language: 1, corpus: corpora[1])
        #expect(de.count == corpora[1].words.count - 1 && de.dimension == 12 && de.language == "de")
        #expect(Array(de.vector(corpora[1].words[1])!) == Array(lm.embeddings(language: 1).storage[12..<24]))
        #expect(throws: LanguageModelError.self) { try lm.space(language: 1, corpus: corpora[0]) }
    }

    /// Dropout acts only on a training tape: an inference tape gives the same loss twice, a
    /// training tape with different generators gives different losses.
    @Test func dropoutOnlyWhenTraining() throws {
        let corpora = try Self.corpora()
        let lm = try Self.model(corpora)
        let batch = Array(corpora[0].sentences.prefix(8))
        func loss(training: Bool, seed: UInt64) -> Float {
            var tape = Tape(lm.store, training: training)
            var g = SplitMix64(seed: seed)
            let (v, _) = lm.loss(language: 0, direction: .forward, sentences: batch, on: &tape, generator: &g)
            return tape[v].storage[0]
        }
        #expect(loss(training: false, seed: 1) == loss(training: false, seed: 2))
        #expect(loss(training: true, seed: 1) != loss(training: true, seed: 2))
        #expect(loss(training: true, seed: 1) == loss(training: true, seed: 1))
    }

    /// The criterion on known geometry: identical spaces translate every word to itself.
    @Test func criterionClosedForm() throws {
        var g = SplitMix64(seed: 8)
        var m = Matrix(rows: 50, cols: 6)
        for i in m.storage.indices { m.storage[i] = 2 * g.nextFloat() - 1 }
        // y* = x, cos = 1, r_S(x) = mean of x's 10 best cosines (itself included).
        let u = NeighborSearch.unitNormalized(m)
        let rS = try CSLSStatistics.meanTopKSimilarity(queries: u, targets: u, k: 10)
        let score = try MLMSelection.meanCSLS(source: m, target: m, sourceWords: 50)
        var expected = 0.0
        for x in 0..<50 {
            var best = -Double.infinity
            for y in 0..<50 {
                var c = 0.0
                for j in 0..<6 { c += Double(u.storage[x * 6 + j]) * Double(u.storage[y * 6 + j]) }
                best = max(best, 2 * c - Double(rS[y]))
            }
            expected += best
        }
        #expect(abs(score - expected / 50) < 1e-5)
        #expect(score > 0.5)
    }

    /// A checkpoint after epoch 1 of 3, encoded, decoded and resumed, gives the uninterrupted
    /// run's epochs 2 and 3 (losses, criteria, kept epoch, parameters), also when the best epoch
    /// so far is not the last one (its parameters travel in the file).
    @Test func checkpointRoundTripResumesTheSameRun() throws {
        let corpora = try Self.corpora()
        var whole = try Self.model(corpora)
        let full = try MLMTrainer.train(&whole, corpora: corpora, options: Self.options(epochs: 3))
        var part = try Self.model(corpora)
        var saved: [UInt8] = []
        _ = try MLMTrainer.train(
            &part, corpora: corpora, options: Self.options(epochs: 1),
            epochEnd: { report, model, best in
                // Pretend an earlier epoch was best, so the best parameters are written too.
                let fake = MLMTrainer.Best(epoch: 0, score: best?.score ?? 0, snapshot: model.store.snapshot())
                saved = MLMCheckpoint(
                    model: model, corpora: corpora, epochsDone: report.epoch + 1, options: Self.options(epochs: 1),
                    lastCriterion: report.criterion, best: fake
                ).encoded()
            })
        let checkpoint = try MLMCheckpoint.decode(saved, source: "memory")
        #expect(checkpoint.languages == ["en", "de"] && checkpoint.words == corpora.map(\.words) && checkpoint.epochsDone == 1)
        #expect(checkpoint.seed == 4 && checkpoint.batchSize == 32 && checkpoint.model.configuration == part.configuration)
        #expect(checkpoint.model.store.snapshot() == part.store.snapshot() && checkpoint.best?.snapshot == part.store.snapshot())
        var resumed = checkpoint.model
        let rest = try MLMTrainer.train(&resumed, corpora: corpora, options: Self.options(epochs: 3), resume: checkpoint.resume)
        #expect(rest.epochs.map(\.epoch) == [1, 2])
        for (a, b) in zip(full.epochs.dropFirst(), rest.epochs) {
            for l in 0..<2 {
                for d in 0..<2 { #expect(abs(a.lossPerToken[l][d] - b.lossPerToken[l][d]) < 1e-5, "epoch \(a.epoch) \(l) \(d)") }
            }
            #expect(abs((a.criterion ?? 0) - (b.criterion ?? 1)) < 1e-5)
        }
        #expect(rest.keptEpoch == full.keptEpoch)
        #expect(try resumed.embeddings(language: 1).maxAbsoluteDifference(whole.embeddings(language: 1)) < 1e-4)
        // Nothing left to train; a broken or foreign file is named.
        var again = checkpoint.model
        #expect(throws: LanguageModelError.self) {
            try MLMTrainer.train(&again, corpora: corpora, options: Self.options(epochs: 1), resume: checkpoint.resume)
        }
        #expect(throws: LanguageModelError.self) { try MLMCheckpoint.decode(Array(saved.prefix(saved.count / 2)), source: "half") }
        var other = saved
        other[8] = 9
        #expect(
            throws: LanguageModelError(
                problem: "v9 is an MLM checkpoint of format version 9; this xling reads version 1",
                fix: "resume it with the xling that wrote it, or train again"
            )
        ) { try MLMCheckpoint.decode(other, source: "v9") }
        #expect(throws: LanguageModelError.self) { try MLMCheckpoint.decode(Array("hello world".utf8), source: "text") }
    }
}
