import Testing
import XlingCore

@testable import Neural

/// The trainer's loop: early stopping with the best epoch restored, interrupts, alternating
/// tasks, optimizer sets, the post-step hook; a real descent on a small least-squares problem.
@Suite struct TrainerTests {
    /// A store with one 1×1 parameter `w`; the "loss" of a batch is w itself (gradient 1), so SGD
    /// at rate 1 decrements w by one per step: w counts the steps, negated.
    func counter() -> (ParameterStore, Parameter) {
        var store = ParameterStore()
        let w = store.add("w", Matrix(rows: 1, cols: 1))
        return (store, w)
    }

    func countingTask(_ w: Parameter, examples: Int = 10, batch: Int = 4, name: String = "main") throws -> TrainingTask {
        TrainingTask(name: name, examples: examples, batchSize: batch, optimizers: [try Optimizer(.sgd, learningRate: 1, parameters: [w])])
        {
            (tape: inout Tape, _: [Int], _: inout SplitMix64) throws(NeuralError) -> Var in tape.mean(tape.parameter(w))
        }
    }

    @Test func earlyStoppingRestoresTheBestEpoch() throws {
        var (store, w) = counter()
        let scores = [0.3, 0.7, 0.6, 0.65, 0.5, 0.9]
        var trainer = try Trainer(options: .init(epochs: 6, patience: 2), tasks: [try countingTask(w)])
        var g = SplitMix64(seed: 1)
        let result = try trainer.train(&store, generator: &g) { (s: ParameterStore) throws(NeuralError) -> Double in
            scores[Int(-s[w].storage[0]) / 3 - 1] // 3 batches per epoch
        }
        #expect(result.history.count == 4 && result.stoppedEarly && !result.interrupted && result.steps == 12)
        #expect(result.keptEpoch == 2 && store[w].storage[0] == -6) // epoch 2's model restored
        #expect(zip(result.history, result.history.dropFirst()).allSatisfy { $1.trainLoss < $0.trainLoss })
    }

    @Test func aStopBetweenBatchesKeepsThePartialModel() throws {
        var (store, w) = counter()
        var trainer = try Trainer(options: .init(epochs: 6), tasks: [try countingTask(w)])
        var checks = 0
        var g = SplitMix64(seed: 1)
        let result = try trainer.train(
            &store, generator: &g,
            progress: { report in
                guard report.isPoll else { return .continue }
                checks += 1
                return .stopping(if: checks > 5)
            })
        #expect(result.interrupted && result.history.count == 1 && store[w].storage[0] == -5)
        // Epoch reports carry the loss; a stop after an epoch keeps that epoch's model.
        var (again, w2) = counter()
        var second = try Trainer(options: .init(epochs: 6), tasks: [try countingTask(w2)])
        var reports: [Progress] = []
        let stopped = try second.train(
            &again, generator: &g,
            progress: { report in
                if !report.isPoll { reports.append(report) }
                return .stopping(if: !report.isPoll && report.step >= 2)
            })
        #expect(stopped.interrupted && stopped.history.count == 2 && again[w2].storage[0] == -6)
        #expect(reports.map(\.step) == [1, 2] && reports.allSatisfy { $0.unit == "epochs" && $0.loss != nil })
    }

    @Test func tasksAlternateWithTheirOwnOptimizersAndTheHookRuns() throws {
        var store = ParameterStore()
        let a = store.add("a", Matrix(rows: 1, cols: 1)), b = store.add("b", Matrix(rows: 1, cols: 1))
        let first = try countingTask(a, examples: 8, batch: 2, name: "first")
        let second = try countingTask(b, examples: 3, batch: 1, name: "second")
        var hooks: [Int] = []
        var trainer = try Trainer(options: .init(epochs: 2, alternation: .inTurn), tasks: [first, second]) { _, k in hooks.append(k) }
        var g = SplitMix64(seed: 3)
        let result = try trainer.train(&store, generator: &g)
        // 4 steps per epoch, in turn: a and b each get 4 steps over the run.
        #expect(store[a].storage[0] == -4 && store[b].storage[0] == -4 && hooks == [0, 1, 0, 1, 0, 1, 0, 1])
        #expect(result.history[0].taskLosses.map(\.name) == ["second loss"])
        // Random alternation draws the task from the run's generator: reproducible.
        func randomRun() throws -> [Float] {
            var s = ParameterStore()
            let x = s.add("a", Matrix(rows: 1, cols: 1)), y = s.add("b", Matrix(rows: 1, cols: 1))
            var t = try Trainer(options: .init(epochs: 5), tasks: [try countingTask(x, name: "x"), try countingTask(y, name: "y")])
            var gen = SplitMix64(seed: 9)
            _ = try t.train(&s, generator: &gen)
            return [s[x].storage[0], s[y].storage[0]]
        }
        let r = try randomRun()
        #expect(r == (try randomRun()) && r[0] + r[1] == -15 && r[0] < 0 && r[1] < 0)
        // Two optimizers of one task may not share a parameter.
        let clash = TrainingTask(
            name: "clash", examples: 1, batchSize: 1,
            optimizers: [try Optimizer(.sgd, learningRate: 1, parameters: [a]), try Optimizer(.adam, learningRate: 1, parameters: [a])]
        ) { (tape: inout Tape, _: [Int], _: inout SplitMix64) throws(NeuralError) -> Var in tape.mean(tape.parameter(a)) }
        #expect(throws: NeuralError("task clash: two optimizers update the same parameter", fix: "give each optimizer its own parameters"))
        {
            try Trainer(options: .init(epochs: 1), tasks: [clash])
        }
        #expect(throws: NeuralError("epochs must be at least 1, got 0")) { try Trainer(options: .init(epochs: 0), tasks: [first]) }
    }

    @Test func adamFitsALinearRegressionWithClipping() throws {
        // y = X·[2, −1] + 0.5 with 64 seeded points: a dense layer trained by the loop recovers it.
        var g = SplitMix64(seed: 4)
        let x = GradientCheck.random(64, 2, &g)
        var y = Matrix(rows: 64, cols: 1)
        for i in 0..<64 { y.storage[i] = 2 * x[i, 0] - x[i, 1] + 0.5 }
        var store = ParameterStore()
        let layer = Dense(&store, name: "fit", inputs: 2, outputs: 1, generator: &g)
        let task = TrainingTask(name: "fit", examples: 64, batchSize: 16, optimizers: [try Optimizer(.adam, learningRate: 0.05)]) {
            (tape: inout Tape, batch: [Int], _: inout SplitMix64) throws(NeuralError) -> Var in
            var xm = Matrix(rows: batch.count, cols: 2), ym = Matrix(rows: batch.count, cols: 1)
            for (r, i) in batch.enumerated() {
                xm[r, 0] = x[i, 0]
                xm[r, 1] = x[i, 1]
                ym.storage[r] = y.storage[i]
            }
            let xb = tape.constant(xm), yb = tape.constant(ym)
            let r = tape.add(layer(xb, on: &tape), yb, beta: -1)
            return tape.mean(tape.hadamard(r, r))
        }
        var trainer = try Trainer(options: .init(epochs: 150, clipNorm: 1), tasks: [task])
        let result = try trainer.train(&store, generator: &g)
        #expect(result.history.last!.trainLoss < 1e-4)
        #expect(abs(store[layer.weight].storage[0] - 2) < 1e-2 && abs(store[layer.weight].storage[1] + 1) < 1e-2)
        #expect(abs(store[layer.bias].storage[0] - 0.5) < 1e-2)
    }

    @Test func earlyStoppingAndMiniBatches() throws {
        var stopper = try EarlyStopping(patience: 2)
        #expect(stopper.record(score: 0.5, epoch: 1) == .improved)
        #expect(stopper.record(score: 0.6, epoch: 2) == .improved)
        #expect(stopper.record(score: 0.6, epoch: 3) == .keepGoing) // a tie is no improvement
        #expect(stopper.record(score: 0.55, epoch: 4) == .stop)
        #expect(stopper.bestEpoch == 2 && stopper.bestScore == 0.6)
        #expect(throws: NeuralError("patience must be at least 1 epoch, got 0")) { try EarlyStopping(patience: 0) }
        var g = SplitMix64(seed: 3)
        let batches = MiniBatches.shuffled(count: 23, size: 5, generator: &g)
        #expect(batches.map(\.count) == [5, 5, 5, 5, 3])
        #expect(batches.joined().sorted() == Array(0..<23))
    }
}
