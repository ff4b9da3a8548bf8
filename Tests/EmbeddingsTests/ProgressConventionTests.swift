import Synchronization
import Testing

@testable import Embeddings

/// The one progress and stop convention (`Progress` → `ProgressAction`) on the long engine calls
/// not covered in their own suites (GloVe/co-factorization: FactorizationTests; IBM Model 1:
/// AlignmentTests; co-occurrence: CooccurrenceTests; NetworkTrainer: NeuralTrainingTests; t-SNE:
/// TSNETests; GEMM benchmark: BLASTests): a stop ends the call and keeps what its contract keeps.
@Suite struct ProgressConventionTests {
    /// n random rows of dimension d.
    static func space(_ n: Int, _ d: Int, seed: UInt64) throws -> EmbeddingSpace {
        var generator = SplitMix64(seed: seed)
        let values = (0..<(n * d)).map { _ in generator.nextFloat() - 0.5 }
        return try EmbeddingSpace(vocabulary: Vocabulary((0..<n).map { "w\($0)" }), vectors: Matrix(rows: n, cols: d, values: values))
    }

    /// Three separable clusters in 2-D.
    static func clusters() -> (features: [[Double]], labels: [Int]) {
        var generator = SplitMix64(seed: 7)
        let centres: [[Double]] = [[4, 0], [-2, 3.5], [-2, -3.5]]
        var features: [[Double]] = [], labels: [Int] = []
        for i in 0..<90 {
            let c = i % 3
            features.append([centres[c][0] + Double(generator.nextFloat()) * 3, centres[c][1] + Double(generator.nextFloat()) * 3])
            labels.append(c)
        }
        return (features, labels)
    }

    /// 40 two-word documents over `w0…w29`, labels `a`/`b` alternating.
    static func documents() -> LabeledDocuments? {
        LabeledDocuments(
            language: "en",
            examples: (0..<40).map { i in
                (label: i % 2 == 0 ? "a" : "b", tokens: ["w\(i % 30)", "w\((i * 7) % 30)"])
            })
    }

    @Test func refinementStopKeepsTheLastCompletedStep() throws {
        let source = try Self.space(60, 6, seed: 1), target = try Self.space(60, 6, seed: 1)
        let initial = try LinearMap(weights: .identity(6), method: "identity")
        var seen: [Progress] = []
        let stopped = try ProcrustesRefinement.run(initial: initial, source: source, target: target, steps: 5, maxRank: 60) {
            seen.append($0)
            return .stopping(if: $0.step >= 2)
        }
        #expect(stopped.steps.count == 2 && stopped.map.parameters["refinement_steps"] == "2")
        #expect(seen.map(\.step) == [0, 1, 2] && seen.allSatisfy { $0.phase == "refining" && $0.total == 5 && !$0.isPoll })
        #expect(seen.last?.extra("pairs") == Double(stopped.steps[1].pairs))
        let two = try ProcrustesRefinement.run(initial: initial, source: source, target: target, steps: 2, maxRank: 60)
        #expect(two.map.weights == stopped.map.weights)
        let never = try ProcrustesRefinement.run(initial: initial, source: source, target: target, steps: 5, maxRank: 60) { _ in .stop }
        #expect(never.steps.isEmpty && never.map.weights == initial.weights)
    }

    @Test func perceptronStopAveragesTheEpochsDone() throws {
        let (features, labels) = Self.clusters()
        var seen: [Progress] = []
        let stopped = try AveragedPerceptron.train(features: features, labels: labels, classes: 3, epochs: 10, seed: 1) {
            seen.append($0)
            return .stopping(if: !$0.isPoll && $0.step >= 2)
        }
        let two = try AveragedPerceptron.train(features: features, labels: labels, classes: 3, epochs: 2, seed: 1)
        #expect(stopped.mistakesPerEpoch.count == 2 && stopped.weights == two.weights && stopped.bias == two.bias)
        #expect(seen.map(\.isPoll) == [true, false, false] && seen.last?.unit == "epochs" && seen.last?.total == 10)
        #expect(seen.last?.extra("mistakes") == Double(stopped.mistakesPerEpoch[1]))
        let never = try AveragedPerceptron.train(features: features, labels: labels, classes: 3, epochs: 10, seed: 1) { _ in .stop }
        #expect(never.mistakesPerEpoch.isEmpty && never.bias == [0, 0, 0])
    }

    @Test func cldcStopKeepsThePartialPerceptron() throws {
        let space = try Self.space(30, 4, seed: 3)
        let set = try #require(Self.documents())
        let full = try CLDCEvaluation.evaluate(train: set, trainSpace: space, test: set, testSpace: space, epochs: 5, seed: 2)
        let stopped = try CLDCEvaluation.evaluate(
            train: set, trainSpace: space, test: set, testSpace: space, epochs: 5, seed: 2,
            progress: { .stopping(if: !$0.isPoll && $0.step >= 1) })
        #expect(full.model.mistakesPerEpoch.count == 5 && stopped.model.mistakesPerEpoch.count == 1)
        #expect(stopped.predictions.count == 40)
    }

    @Test func textClassifierStopKeepsTheModelSoFar() throws {
        let space = try Self.space(30, 4, seed: 5)
        let set = try #require(Self.documents())
        for model in [TextClassifierModel.boe, .perceptron] {
            var options = TextClassifierOptions()
            options.model = model
            options.epochs = 6
            options.hidden = 8
            let stopped = try TextClassifier.train(
                set, space: space, options: options,
                progress: { .stopping(if: !$0.isPoll && $0.step >= 2) })
            #expect(stopped.training?.interrupted == true && stopped.training?.history.count == 2, "\(model)")
            #expect(stopped.predict(set).count == 40)
            let polled = try TextClassifier.train(set, space: space, options: options, progress: { _ in .stop })
            #expect(polled.training?.interrupted == true && polled.training?.history.isEmpty == true, "\(model)")
        }
    }

    @Test func aPollIsSerialisedAndItsStopSticks() {
        let calls = Mutex(0)
        let poll = ProgressPoll(
            { report in
                #expect(report.isPoll && report.phase == "counting")
                return .stopping(
                    if: calls.withLock {
                        $0 += 1
                        return $0
                    } >= 3)
            }, report: Progress(phase: "counting", step: 0, total: 1, unit: "passes"))
        #expect(poll.poll() == .continue && poll.poll() == .continue && !poll.wasStopped)
        #expect(poll.poll() == .stop && poll.poll() == .stop && poll.wasStopped)
        #expect(calls.withLock { $0 } == 3)
    }

    @Test func theOneShuffleDrawsAsTheThreeCopiesDid() {
        // The loop GloVeTrainer, CofactorTrainer and AveragedPerceptron each had before.
        func old(_ count: Int, seed: UInt64) -> [Int] {
            var generator = SplitMix64(seed: seed), order = Array(0..<count), i = count - 1
            while i > 0 {
                order.swapAt(i, Int(generator.next() % UInt64(i + 1)))
                i -= 1
            }
            return order
        }
        for count in [0, 1, 2, 3, 17, 1000] {
            var generator = SplitMix64(seed: 9), order = Array(0..<count)
            generator.shuffle(&order)
            #expect(order == old(count, seed: 9), "\(count)")
        }
    }

    @Test func engineErrorsNameTheProblemAndTheFix() {
        let errors: [any EngineError] = [
            TSNEError.noDimensions, CooccurrenceError.invalidWindow(0), TransferError.nonPositiveK(0),
            MappingError.notInvertible("rank 2 of 3"), LinearAlgebraError.singular(routine: "sgesv", detail: "U(2,2) = 0"),
            FactorizationError(problem: "the loss became nan", fix: "lower the learning rate"),
        ]
        for error in errors {
            #expect(!error.problem.isEmpty && error.fix != nil, "\(error)")
            #expect(error.description == error.problem + "; " + (error.fix ?? ""))
        }
        #expect(ShapeError("cannot multiply 2×3 by 4×5").description == "cannot multiply 2×3 by 4×5")
        #expect(TransferError.nonPositiveK(0).description == "k = 0 neighbours is not possible; use k ≥ 1 (e.g. k=3)")
    }

    @Test func theClockIsMonotonic() {
        let a = MonotonicClock.seconds(), b = MonotonicClock.seconds()
        #expect(b >= a && MonotonicClock.since(a) >= 0)
    }
}
