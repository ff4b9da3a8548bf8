#if canImport(Glibc)
import Glibc
#endif

/// Cross-lingual word embeddings by matrix co-factorization (Shi et al. 2015, eq. 1):
/// ω1·L_mono(W^l1, C^l1) + ω2·L_mono(W^l2, C^l2) + ω_c·L_cross, where each L_mono is eq. 2 on
/// the PMI targets M_jk = log(X_jk·ΣX / (X_j·· X_·k)) over the non-zero counts with weighting
/// eq. 3, and L_cross is CLC (eq. 2 on the bilingual PMI with w^l1_j·w^l2_k) or CLSim (eq. 7).
///
/// Optimisation (§5.1): the non-zero elements of all terms are put in one list, shuffled once
/// with the seed, and every iteration visits them in that order with per-element SGD at a
/// constant learning rate (or AdaGrad, `CofactorOptions.optimizer`); Hogwild across threads on
/// contiguous chunks. The matrix biases b^l, shared by every element of a term, are kept per
/// worker during a pass and their changes summed at its end (one thread: plain sequential SGD),
/// so threads do not fight over one cache line. Initial parameters: vectors and word/context
/// biases uniform in [−0.5, 0.5)/d (glove.c's rule); cross and matrix biases 0.
/// Same seed and `threads = 1` ⇒ bit-identical models.
public struct CofactorTrainer: Sendable {
    /// The run's settings.
    public var options: CofactorOptions

    /// A trainer with `options`.
    public init(options: CofactorOptions = CofactorOptions()) { self.options = options }

    /// Trains on the monolingual counts `first` (n1 × n1) and `second` (n2 × n2) and the
    /// cross-lingual term `cross` (n1 × n2 counts, or pairs with ids < n1 / < n2).
    ///
    /// `progress` hears of every iteration with the total loss (eq. 1 per record; see
    /// `TrainingHistory.report`); `.stop` ends the run and returns the model as it is, with
    /// `stopped == true`.
    ///
    /// - Throws: `FactorizationError` for bad options, empty or non-square monolingual
    ///   matrices, a cross term whose shape or ids do not match the vocabularies, entries that
    ///   are not finite and > 0 (similarities ≥ 0), and a non-finite loss (divergence).
    public func train(
        first: CooccurrenceMatrix, second: CooccurrenceMatrix, cross: CrossLingualObjective,
        progress: ProgressHandler = ProgressAction.ignore
    ) throws(FactorizationError) -> CofactorModel {
        try validate(first: first, second: second, cross: cross)
        let n1 = first.rowCount, n2 = second.rowCount
        var seeds = SplitMix64(seed: options.seed)
        var parameterGenerator = SplitMix64(seed: seeds.next())
        let firstTable = ParameterTable(count: 2 * n1, dimension: options.dimension)
        let secondTable = ParameterTable(count: 2 * n2, dimension: options.dimension)
        firstTable.initializeUniform(using: &parameterGenerator)
        secondTable.initializeUniform(using: &parameterGenerator)
        let (records, balance) = shuffledRecords(first: first, second: second, cross: cross, seeds: &seeds)
        let n = records.count
        let eta = Float(options.learningRate), optimizer = options.optimizer
        var biases = MatrixBiases()
        var history = TrainingHistory(iterations: options.iterations)
        var terms: [CofactorLosses] = []
        let start = MonotonicClock.seconds()
        for iteration in stride(from: 1, through: options.iterations, by: 1) {
            let t0 = MonotonicClock.seconds()
            let before = biases
            let shared = records
            let results = WorkerThreads.run(threads: options.threads, count: n, initial: (SIMD4<Double>.zero, before)) { _, range in
                var local = before
                let losses =
                    optimizer == .sgd
                    ? Self.pass(
                        shared, range: range, step: CofactorStep<SGDRule>(learningRate: eta),
                        first: firstTable, second: secondTable, n1: n1, n2: n2, biases: &local)
                    : Self.pass(
                        shared, range: range, step: CofactorStep<AdaGradRule>(learningRate: eta),
                        first: firstTable, second: secondTable, n1: n1, n2: n2, biases: &local)
                return (losses, local)
            }
            var sums = SIMD4<Double>.zero
            for (losses, local) in results {
                sums += losses
                biases.values += local.values - before.values
                biases.gradsq += local.gradsq - before.gradsq
            }
            let seconds = MonotonicClock.seconds() - t0
            let losses = CofactorLosses(first: sums[0] / Double(n), second: sums[1] / Double(n), cross: sums[2] / Double(n))
            guard losses.total.isFinite else {
                throw FactorizationError(
                    problem: """
                        the co-factorization loss became \(losses.total) in iteration \(iteration) (first \(losses.first), second \
                        \(losses.second), cross \(losses.cross))
                        """,
                    fix: "lower the learning rate (now \(options.learningRate)) or the weight of the diverging term")
            }
            history.append(loss: losses.total, seconds: seconds)
            terms.append(losses)
            if progress(history.report(records: n, elapsedSeconds: MonotonicClock.since(start))) == .stop {
                if iteration < options.iterations { history.stopped = true }
                break
            }
        }
        return CofactorModel(
            firstWords: firstTable.vectors(0..<n1), secondWords: secondTable.vectors(0..<n2),
            firstContexts: firstTable.vectors(n1..<(2 * n1)), secondContexts: secondTable.vectors(n2..<(2 * n2)),
            firstWordBiases: firstTable.biases(0..<n1), firstContextBiases: firstTable.biases(n1..<(2 * n1)),
            secondWordBiases: secondTable.biases(0..<n2), secondContextBiases: secondTable.biases(n2..<(2 * n2)),
            firstCrossBiases: firstTable.biases(0..<n1, lane: ParameterTable.crossBias),
            secondCrossBiases: secondTable.biases(0..<n2, lane: ParameterTable.crossBias),
            firstContextCrossBiases: firstTable.biases(n1..<(2 * n1), lane: ParameterTable.crossBias),
            secondContextCrossBiases: secondTable.biases(n2..<(2 * n2), lane: ParameterTable.crossBias),
            matrixBiases: (biases.values[0], biases.values[1], biases.values[2]),
            options: options, balance: balance, history: history, terms: terms)
    }

    /// One worker's pass over `range`; returns the summed loss of each term (lanes 0–2).
    static func pass<Rule: CofactorRule>(
        _ records: [CofactorRecord], range: Range<Int>, step: CofactorStep<Rule>,
        first: ParameterTable, second: ParameterTable, n1: Int, n2: Int,
        biases: inout MatrixBiases
    ) -> SIMD4<Double> {
        records.withUnsafeBufferPointer { buffer in
            var losses = SIMD4<Double>.zero
            for i in range {
                let r = buffer[i]
                let loss = step.apply(r, first: first, second: second, n1: n1, n2: n2, biases: &biases)
                losses[Swift.min(2, Int(r.kind.rawValue))] += loss
            }
            return losses
        }
    }
}
