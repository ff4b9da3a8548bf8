/// GloVe (Pennington et al. 2014) trained with glove.c's rules: AdaGrad over the non-zero
/// co-occurrences, shuffled once, visited in the same order every iteration; threads work,
/// like glove.c, on contiguous chunks of that order without locks (`.hogwild`, default) or on
/// conflict-free blocks of it (`.stratified`).
///
/// Loss (eq. 8, with glove.c's ½): J = Σ_ij ½ f(X_ij) (w_i·c_j + b_i + b̃_j − log X_ij)²;
/// the per-record update is `GloVeStep`. Initial parameters: every vector component and bias
/// uniform in [−0.5, 0.5)/d; AdaGrad sums 1. Reported loss per iteration = total cost / number
/// of records. Same seed and `threads = 1` ⇒ bit-identical models.
///
/// Randomness: `SplitMix64(seed)` yields two seeds, one for the parameters
/// (`ParameterTable.initializeUniform`) and one for the shuffle (`recordOrder(count:)`).
public struct GloVeTrainer: Sendable {
    /// The run's settings.
    public var options: GloVeOptions

    /// A trainer with `options`.
    public init(options: GloVeOptions = GloVeOptions()) { self.options = options }

    /// Trains on `matrix` (V × V, words × contexts over one vocabulary).
    ///
    /// `progress` hears of every iteration (`TrainingHistory.report`); `.stop` ends the run, and
    /// the model after that iteration is returned with `stopped == true`. `iterations = 0`
    /// returns the initial parameters.
    ///
    /// - Throws: `FactorizationError` for a bad option, an empty or non-square matrix, an entry
    ///   out of range or not > 0, and a non-finite loss (divergence: lower the learning rate).
    public func train(
        _ matrix: CooccurrenceMatrix,
        progress: ProgressHandler = ProgressAction.ignore
    ) throws(FactorizationError) -> GloVeModel {
        try validate(matrix)
        let v = matrix.rowCount, n = matrix.count
        var seeds = SplitMix64(seed: options.seed)
        var parameterGenerator = SplitMix64(seed: seeds.next())
        let table = ParameterTable(count: 2 * v, dimension: options.dimension)
        table.initializeUniform(using: &parameterGenerator)
        let shuffled = makeRecords(matrix, order: recordOrder(count: n))
        let schedule =
            options.schedule == .stratified && options.threads > 1
            ? StratifiedSchedule(
                words: shuffled.map(\.word), contexts: shuffled.map(\.context),
                wordCount: v, contextCount: v, threads: options.threads)
            : nil
        let records = schedule.map { s in s.order.map { shuffled[$0] } } ?? shuffled
        let step = GloVeStep(
            learningRate: Float(options.learningRate), gradientClip: Float(options.gradientClip),
            biasStep: options.biasUsesLearningRate ? Float(options.learningRate) : 1)
        var history = TrainingHistory(iterations: options.iterations)
        let start = MonotonicClock.seconds()
        for iteration in stride(from: 1, through: options.iterations, by: 1) {
            let t0 = MonotonicClock.seconds()
            var costs: [Double] = []
            if let schedule {
                for s in 0..<schedule.threads {
                    costs += WorkerThreads.run(ranges: schedule.ranges(subPass: s), initial: 0.0) { _, range in
                        Self.pass(records, range: range, table: table, words: v, step: step)
                    }
                }
            } else {
                costs = WorkerThreads.run(threads: options.threads, count: n, initial: 0.0) { _, range in
                    Self.pass(records, range: range, table: table, words: v, step: step)
                }
            }
            let seconds = MonotonicClock.seconds() - t0
            let loss = costs.reduce(0, +) / Double(n)
            guard loss.isFinite else {
                throw FactorizationError(
                    problem: "the GloVe loss became \(loss) in iteration \(iteration)",
                    fix: "lower the learning rate (now \(options.learningRate)) or x_max")
            }
            history.append(loss: loss, seconds: seconds)
            if progress(history.report(records: n, elapsedSeconds: MonotonicClock.since(start))) == .stop {
                if iteration < options.iterations { history.stopped = true }
                break
            }
        }
        return GloVeModel(
            words: table.vectors(0..<v), contexts: table.vectors(v..<(2 * v)),
            wordBiases: table.biases(0..<v), contextBiases: table.biases(v..<(2 * v)),
            options: options, history: history)
    }

    /// The order in which the `count` records (entries of the matrix in its sorted order) are
    /// visited: `SplitMix64.shuffle` drawn from the run's shuffle seed. Public so benchmarks
    /// and reference implementations can replay a run.
    public func recordOrder(count: Int) -> [Int] {
        var seeds = SplitMix64(seed: options.seed)
        _ = seeds.next()
        var generator = SplitMix64(seed: seeds.next())
        var order = Array(0..<count)
        generator.shuffle(&order)
        return order
    }

    /// One thread's pass over `range` of the shuffled records; returns the summed cost.
    static func pass(
        _ records: [GloVeRecord], range: Range<Int>, table: ParameterTable, words: Int,
        step: GloVeStep
    ) -> Double {
        records.withUnsafeBufferPointer { buffer in
            var cost = 0.0
            var touched: UInt32 = 0
            let lines = table.stride / 16, ahead = 2
            for i in range {
                // Touch one float of every cache line of the rows `ahead` records on, so they
                // are in cache when their turn comes (a software prefetch; the xor keeps the
                // loads alive and is folded into nothing observable).
                let next = i &+ ahead
                if next < range.upperBound {
                    let r = buffer[next]
                    let w = table.row(Int(r.word)), c = table.row(words &+ Int(r.context))
                    var line = 0
                    while line < lines {
                        touched ^= w[line &* 16].bitPattern ^ c[line &* 16].bitPattern
                        line &+= 1
                    }
                }
                let r = buffer[i]
                cost += step.apply(
                    r, word: table.row(Int(r.word)), context: table.row(words &+ Int(r.context)),
                    layout: table)
            }
            return touched == 0x7FC0_0001 ? cost + 0 : cost
        }
    }

    /// The records of `matrix` in `order`.
    func makeRecords(_ matrix: CooccurrenceMatrix, order: [Int]) -> [GloVeRecord] {
        order.map { e in
            GloVeRecord(
                word: matrix.rows[e], context: matrix.columns[e], value: matrix.values[e],
                xMax: options.xMax, alpha: options.alpha)
        }
    }

    /// Checks the options and the matrix; throws the first problem found.
    func validate(_ matrix: CooccurrenceMatrix) throws(FactorizationError) {
        try FactorizationChecks.positive(options.dimension, "dimension")
        try FactorizationChecks.positive(options.threads, "threads")
        try FactorizationChecks.nonNegative(options.iterations, "iterations")
        try FactorizationChecks.positive(options.xMax, "x_max")
        try FactorizationChecks.positive(options.learningRate, "learning rate")
        try FactorizationChecks.positive(options.gradientClip, "gradient clip")
        guard options.alpha.isFinite, options.alpha >= 0 else {
            throw FactorizationError(problem: "alpha is \(options.alpha)", fix: "use a finite alpha ≥ 0 (GloVe uses 0.75)")
        }
        guard matrix.rowCount == matrix.columnCount else {
            throw FactorizationError(
                problem: """
                    the co-occurrence matrix is \(matrix.rowCount)×\(matrix.columnCount), but GloVe's words and contexts share one vocabulary
                    """,
                fix: "count co-occurrences within one corpus so the matrix is square")
        }
        try FactorizationChecks.entries(matrix, name: "co-occurrence matrix")
    }
}
