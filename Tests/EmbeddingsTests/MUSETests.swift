import Foundation
import Testing

@testable import Embeddings

/// MUSE's orthogonalisation and refinement steps against the numpy replay
/// (`Tests/reference/muse_reference.py`, committed fixture), and runs of the whole method on the
/// real fastText en vectors: seeds, interrupt, the shape of its history.
@Suite struct MUSETests {
    struct Fixture: Decodable {
        struct Refined: Decodable {
            let weights: [Double]
            let sourceRows: [Int]
            let targetRows: [Int]
        }
        let n: Int, d: Int, rank: Int, k: Int
        let beta: Double
        let source: [Double], target: [Double], w: [Double], orthogonalized: [Double]
        let s2t: Refined, mutual: Refined

        static func load() throws -> Fixture {
            let data = try Data(contentsOf: URL(fileURLWithPath: "Tests/reference/fixtures/muse_reference.json"))
            return try JSONDecoder().decode(Fixture.self, from: data)
        }

        func matrix(_ values: [Double], rows: Int) throws -> Matrix {
            try Matrix(rows: rows, cols: values.count / rows, values: values.map { Float($0) })
        }
    }

    static func maxDifference(_ a: Matrix, _ b: [Double]) -> Double {
        zip(a.storage, b).map { abs(Double($0) - $1) }.max() ?? .infinity
    }

    @Test func orthogonalizationMatchesNumpy() throws {
        let f = try Fixture.load()
        let w = try f.matrix(f.w, rows: f.d)
        let ours = try MUSE.orthogonalize(w, beta: Float(f.beta))
        #expect(Self.maxDifference(ours, f.orthogonalized) < 1e-5)
    }

    @Test(arguments: [MUSERefinement.Build.s2t, .mutual])
    func refinementStepMatchesNumpy(_ build: MUSERefinement.Build) throws {
        let f = try Fixture.load()
        let expected = build == .s2t ? f.s2t : f.mutual
        let step = try MUSERefinement.step(
            source: f.matrix(f.source, rows: f.n), target: f.matrix(f.target, rows: f.n), weights: f.matrix(f.w, rows: f.d),
            maxRank: f.rank, cslsK: f.k, build: build)
        #expect(step.pairs.sourceRows == expected.sourceRows)
        #expect(step.pairs.targetRows == expected.targetRows)
        #expect(Self.maxDifference(step.weights, expected.weights) < 1e-4)
    }

    /// Repeated steps keep an orthogonal W orthogonal and pull a perturbed one towards it.
    @Test func orthogonalizationPullsTowardsTheManifold() throws {
        var rng = SplitMix64(seed: 3)
        let q = try FailureDetector.randomOrthogonal(20, rng: &rng)
        var w = q
        for i in w.storage.indices { w.storage[i] += 0.02 * (rng.nextFloat() - 0.5) }
        func defect(_ m: Matrix) throws -> Float {
            let p = try Matrix.product(m, m, transposeB: true)
            var worst: Float = 0
            for i in 0..<20 { for j in 0..<20 { worst = max(worst, abs(p.storage[i * 20 + j] - (i == j ? 1 : 0))) } }
            return worst
        }
        let before = try defect(w)
        for _ in 0..<200 { w = try MUSE.orthogonalize(w, beta: 0.01) }
        #expect(try defect(w) < before / 5)
        #expect(try defect(MUSE.orthogonalize(q, beta: 0.001)) < 1e-5)
    }

    /// The 756 fastText en vectors (unit, center, unit) and a rotated copy.
    static func rotated() throws -> (Matrix, Matrix) {
        var space = try Word2VecText.load(path: "notebooks/data/fasttext-en-fr-756/en.vec.gz").0
        space.normalize([.unit, .center, .unit])
        var rng = SplitMix64(seed: 5)
        return (space.vectors, try Matrix.product(space.vectors, FailureDetector.randomOrthogonal(space.dimension, rng: &rng)))
    }

    static func small(seed: UInt64) -> MUSE.Options {
        var o = MUSE.Options()
        o.epochs = 2
        o.epochSize = 640
        o.hidden = 32
        o.refinementSteps = 2
        o.seed = seed
        return o
    }

    @Test func sameSeedSameMapAndTheHistoryHasEveryEpochAndStep() throws {
        let (x, z) = try Self.rotated()
        let a = try MUSE.run(source: x, target: z, options: Self.small(seed: 4))
        let b = try MUSE.run(source: x, target: z, options: Self.small(seed: 4))
        let c = try MUSE.run(source: x, target: z, options: Self.small(seed: 5))
        #expect(a.weights == b.weights)
        #expect(a.weights != c.weights)
        #expect(a.history.map(\.phase) == ["adversarial", "adversarial", "refinement", "refinement"])
        #expect(a.history.allSatisfy { $0.criterion.isFinite && $0.criterion > -1 && $0.criterion <= 1 })
        // MUSE's dis_accu after each epoch, a share of the 2 × 756 rows; none after refinement steps.
        #expect(a.history.prefix(2).allSatisfy { ($0.discriminatorAccuracy ?? -1) >= 0 && ($0.discriminatorAccuracy ?? 2) <= 1 })
        #expect(a.history.dropFirst(2).allSatisfy { $0.discriminatorAccuracy == nil })
        // The kept map is the best of the run by the criterion.
        #expect(a.kept?.criterion == a.history.map(\.criterion).max())
        #expect(abs((a.history[0].learningRate ?? 0) - 0.1) < 1e-6)
        #expect(abs((a.history[1].learningRate ?? 0) - 0.098) < 1e-6)
    }

    /// Adversarial steps move W and keep it close to orthogonal (the β step after each).
    @Test func adversarialStepsKeepTheMapNearlyOrthogonal() throws {
        let (x, z) = try Self.rotated()
        var o = Self.small(seed: 1)
        o.refinementSteps = 0
        o.epochs = 1
        let r = try MUSE.run(source: x, target: z, options: o)
        let map = try LinearMap(weights: r.weights, method: "muse")
        #expect(r.weights != Matrix.identity(300))
        #expect(map.isOrthogonal(tolerance: 0.05))
    }

    @Test func stopKeepsTheCurrentMap() throws {
        let (x, z) = try Self.rotated()
        var polls = 0
        let r = try MUSE.run(source: x, target: z, options: Self.small(seed: 2)) { progress in
            if progress.isPoll { polls += 1 }
            return polls >= 30 ? .stop : .continue
        }
        #expect(r.interrupted)
        #expect(r.history.isEmpty)
        #expect(r.kept == nil)
        #expect(r.weights != Matrix.identity(300))
    }

    struct AdversarialFixture: Decodable {
        struct Layer: Decodable {
            let weight: [Double]
            let bias: [Double]
        }
        struct Batch: Decodable {
            let source: [Double]
            let target: [Double]
        }
        let d: Int, hidden: Int, batch: Int, disSteps: Int, iterations: Int
        let lr: Double, smoothing: Double, beta: Double
        let initialW: [Double], initialLayers: [Layer], batches: [Batch], losses: [Double], w: [Double], layers: [Layer]
    }

    /// Two adversarial iterations (2 discriminator steps and 1 mapping step each, dropout 0)
    /// through `MUSEAdversary` against the numpy replay (`muse_adversarial_reference.py`): the
    /// losses, the discriminator after its SGD steps, and W after the flipped-label step and the
    /// orthogonalisation. A sign error in either player's labels or update fails this.
    @Test func adversarialIterationsMatchNumpy() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: "Tests/reference/fixtures/muse_adversarial.json"))
        let f = try JSONDecoder().decode(AdversarialFixture.self, from: data)
        func matrix(_ v: [Double], cols: Int) throws -> Matrix { try Matrix(rows: v.count / cols, cols: cols, values: v.map { Float($0) }) }
        var options = MUSE.Options()
        options.batchSize = f.batch
        options.discriminatorSteps = f.disSteps
        options.learningRate = Float(f.lr)
        options.smoothing = Float(f.smoothing)
        options.beta = Float(f.beta)
        let batches = try f.batches.map { (try matrix($0.source, cols: f.d), try matrix($0.target, cols: f.d)) }
        final class Queue: @unchecked Sendable { var next = 0 }
        let queue = Queue()
        let layers = try f.initialLayers.map {
            (weight: try matrix($0.weight, cols: $0.bias.count), bias: try matrix($0.bias, cols: $0.bias.count))
        }
        var adversary = try MUSEAdversary(
            mapping: matrix(f.initialW, cols: f.d), options: options, iterations: f.iterations,
            batches: { _ in
                defer { queue.next += 1 }
                return batches[queue.next]
            }
        ) { MUSEDiscriminator(&$0, layers: layers, inputDropout: 0, slope: 0.2) }
        var generator = SplitMix64(seed: 0)
        let result = try adversary.epoch(generator: &generator)
        // The first task's mean loss is the mean of the first discriminator step of each iteration.
        let firstSteps = stride(from: 0, to: f.losses.count, by: f.disSteps + 1).map { f.losses[$0] }
        #expect(abs(result.history[0].trainLoss - firstSteps.reduce(0, +) / Double(firstSteps.count)) < 1e-5)
        #expect(queue.next == batches.count)
        #expect(Self.maxDifference(adversary.weights, f.w) < 1e-5)
        for (layer, expected) in zip(adversary.discriminator.layers, f.layers) {
            #expect(Self.maxDifference(adversary.store[layer.weight], expected.weight) < 1e-5)
            #expect(Self.maxDifference(adversary.store[layer.bias], expected.bias) < 1e-5)
        }
    }
}
