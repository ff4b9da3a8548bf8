import Testing

@testable import Embeddings

#if canImport(Glibc)
import Glibc
#endif

/// Symmetric 1/d-weighted window counts over ids < `vocabulary` (a brute-force count written
/// for these tests, independent of the engine's counter).
fileprivate func windowCounts(_ corpus: Corpus, vocabulary v: Int, window: Int) -> CooccurrenceMatrix {
    var counts: [Int: Double] = [:]
    for s in 0..<corpus.sentenceCount {
        let sentence = Array(corpus.sentence(s))
        for i in 0..<sentence.count where Int(sentence[i]) < v {
            for j in Swift.max(0, i - window)..<i where Int(sentence[j]) < v {
                let a = Int(sentence[i]), b = Int(sentence[j])
                counts[a * v + b, default: 0] += 1 / Double(i - j)
                counts[b * v + a, default: 0] += 1 / Double(i - j)
            }
        }
    }
    let keys = counts.keys.sorted()
    return CooccurrenceMatrix(
        rowCount: v, columnCount: v, rows: keys.map { Int32($0 / v) },
        columns: keys.map { Int32($0 % v) }, values: keys.map { counts[$0] ?? 0 })
}

/// Eq. 4 of Shi et al. over line pairs: X_jk = Σ #(j, S1)·#(k, S2) (the Europarl sample is not
/// sentence-aligned, so this is a realistic-sized but noisy cross-lingual matrix).
fileprivate func lineCounts(_ a: Corpus, _ va: Int, _ b: Corpus, _ vb: Int) -> CooccurrenceMatrix {
    var counts: [Int: Double] = [:]
    for s in 0..<Swift.min(a.sentenceCount, b.sentenceCount) {
        for j in a.sentence(s) where Int(j) < va {
            for k in b.sentence(s) where Int(k) < vb { counts[Int(j) * vb + Int(k), default: 0] += 1 }
        }
    }
    let keys = counts.keys.sorted()
    return CooccurrenceMatrix(
        rowCount: va, columnCount: vb, rows: keys.map { Int32($0 / vb) },
        columns: keys.map { Int32($0 % vb) }, values: keys.map { counts[$0] ?? 0 })
}

/// The first 300 lines of the Europarl sample in `language`, its min-count-3 vocabulary size and
/// window-10 counts.
fileprivate func europarl(_ language: String) throws -> (Corpus, Int, CooccurrenceMatrix) {
    let corpus = try Corpus.read(path: "/work/shared/data/corpora/europarl/\(language).txt.gz", language: language, maxLines: 300)
    let v = corpus.vocabularySize(minCount: 3)
    return (corpus, v, windowCounts(corpus, vocabulary: v, window: 10))
}

/// A table with every parameter uniform in [−0.5, 0.5) (biases too), AdaGrad sums 1.
fileprivate func randomTable(rows: Int, dimension: Int, seed: UInt64) -> ParameterTable {
    let table = ParameterTable(count: rows, dimension: dimension)
    var g = SplitMix64(seed: seed)
    for e in 0..<rows {
        let row = table.row(e)
        for k in 0..<dimension { row[k] = g.nextFloat() - 0.5 }
        row[table.biasOffset] = g.nextFloat() - 0.5
        row[table.biasOffset + 1] = g.nextFloat() - 0.5
    }
    return table
}

/// Every trainable float of a row: the vector components, then bias lanes 0 and 1.
fileprivate func slots(_ t: ParameterTable) -> [Int] { Array(0..<t.dimension) + [t.biasOffset, t.biasOffset + 1] }

/// Compares the step an update applies with central finite differences of the loss it
/// reports, for every parameter of rows `touched` (table, row) and the matrix biases.
/// `stepScale(table, slot)` is the factor between the applied change and the gradient.
fileprivate func checkGradient(
    tables: [ParameterTable], touched: [(Int, Int)], matrixLanes: [Int] = [],
    stepScale: (Int) -> Double,
    loss: ([ParameterTable], inout MatrixBiases) -> Double
) {
    let biases = MatrixBiases(values: SIMD4(0.3, -0.2, 0.1, 0), gradsq: SIMD4(repeating: 1))
    let after = tables.map { $0.copy() }
    var afterBiases = biases
    _ = loss(after, &afterBiases)
    let h: Float = 1e-2
    func numeric(_ perturb: ([ParameterTable], inout MatrixBiases, Float) -> Void) -> Double {
        let plus = tables.map { $0.copy() }, minus = tables.map { $0.copy() }
        var bp = biases, bm = biases
        perturb(plus, &bp, h)
        perturb(minus, &bm, -h)
        return (loss(plus, &bp) - loss(minus, &bm)) / Double(2 * h)
    }
    for (t, row) in touched {
        for slot in slots(tables[t]) {
            let analytic = Double(tables[t].row(row)[slot] - after[t].row(row)[slot]) / stepScale(slot)
            let fd = numeric { ts, _, d in ts[t].row(row)[slot] += d }
            #expect(abs(analytic - fd) <= 2e-3 + 2e-2 * abs(fd), "table \(t) row \(row) slot \(slot): \(analytic) vs \(fd)")
        }
    }
    for lane in matrixLanes {
        let analytic = Double(biases.values[lane] - afterBiases.values[lane]) / stepScale(-1)
        let fd = numeric { _, b, d in b.values[lane] += d }
        #expect(abs(analytic - fd) <= 2e-3 + 2e-2 * abs(fd), "matrix bias \(lane): \(analytic) vs \(fd)")
    }
}

@Suite struct FactorizationTests {
    // MARK: (1) gradients of the code that trains

    @Test(arguments: [false, true]) func gloveStepIsTheGradient(biasUsesEta: Bool) {
        let eta: Float = 0.01
        let step = GloVeStep(learningRate: eta, gradientClip: 100, biasStep: biasUsesEta ? eta : 1)
        let table = randomTable(rows: 6, dimension: 5, seed: 3) // 3 words + 3 contexts; d=5 pads to 8
        for (word, context, x) in [(0, 1, 3.7), (2, 2, 0.4), (1, 0, 250.0)] {
            let record = GloVeRecord(word: Int32(word), context: Int32(context), value: x, xMax: 10, alpha: 0.75)
            // Lane 1 is not a GloVe parameter: its change and derivative are both 0.
            checkGradient(
                tables: [table], touched: [(0, word), (0, 3 + context)],
                stepScale: { $0 < table.dimension ? Double(eta) : (biasUsesEta ? Double(eta) : 1) }
            ) { ts, _ in
                step.apply(record, word: ts[0].row(word), context: ts[0].row(3 + context), layout: ts[0])
            }
        }
    }

    @Test func gloveLossIsHalfTheWeightedSquare() {
        let table = randomTable(rows: 2, dimension: 3, seed: 9)
        let r = GloVeRecord(word: 0, context: 0, value: 5, xMax: 100, alpha: 0.75)
        let w = table.row(0), c = table.row(1)
        var diff = Double(w[table.biasOffset] + c[table.biasOffset]) - log(5.0)
        for k in 0..<3 { diff += Double(w[k] * c[k]) }
        let expected = 0.5 * Double(r.weight) * diff * diff
        let got = GloVeStep(learningRate: 0.05, gradientClip: 100, biasStep: 1).apply(r, word: w, context: c, layout: table)
        #expect(abs(got - expected) <= 1e-6 * Swift.max(1, expected))
    }

    @Test(arguments: [CofactorRecord.Kind.first, .second, .cross, .crossFirstWord, .crossSecondWord, .similarity])
    func cofactorStepIsTheGradient(kind: CofactorRecord.Kind) {
        // SGD's implicit step is the gradient step ÷ (1 + O(η)): η small enough that the factor is < 0.5 %
        let eta: Float = 0.001
        let n1 = 3, n2 = 4
        let first = randomTable(rows: 2 * n1, dimension: 5, seed: 11), second = randomTable(rows: 2 * n2, dimension: 5, seed: 12)
        let r = CofactorRecord(a: 2, b: 1, target: 0.7, weight: 0.6, kind: kind)
        let touched: [(Int, Int)], lanes: [Int]
        switch kind {
        case .first:
            touched = [(0, 2), (0, n1 + 1)]
            lanes = [0]
        case .second:
            touched = [(1, 2), (1, n2 + 1)]
            lanes = [1]
        case .cross:
            touched = [(0, 2), (1, 1)]
            lanes = [2]
        case .crossFirstWord: // w^l1_2 · c^l2_1
            touched = [(0, 2), (1, n2 + 1)]
            lanes = [2]
        case .crossSecondWord: // w^l2_2 · c^l1_1
            touched = [(1, 2), (0, n1 + 1)]
            lanes = [2]
        case .similarity:
            touched = [(0, 2), (1, 1)]
            lanes = [0, 1, 2]
        }
        for useAdaGrad in [false, true] { // AdaGrad's first step with G = 1 is also η·g
            checkGradient(
                tables: [first, second], touched: touched, matrixLanes: lanes,
                stepScale: { _ in Double(eta) }
            ) { ts, biases in
                useAdaGrad
                    ? CofactorStep<AdaGradRule>(learningRate: eta).apply(r, first: ts[0], second: ts[1], n1: n1, n2: n2, biases: &biases)
                    : CofactorStep<SGDRule>(learningRate: eta).apply(r, first: ts[0], second: ts[1], n1: n1, n2: n2, biases: &biases)
            }
        }
    }

    // MARK: (2) the loss decreases on real data

    @Test func gloveLossDecreasesOnEuroparl() throws {
        let (_, v, matrix) = try europarl("en")
        #expect(matrix.count > 10_000)
        let model = try GloVeTrainer(options: GloVeOptions(dimension: 40, iterations: 10, xMax: 30, threads: 2, seed: 5)).train(matrix)
        let losses = model.history.losses
        #expect(losses.count == 10 && !model.stopped)
        #expect(losses[9] < 0.8 * losses[0], "\(losses)")
        for i in 1..<losses.count { #expect(losses[i] < losses[i - 1], "\(losses)") }
        #expect(model.words.rows == v && model.vectors(.sum).cols == 40)
    }

    @Test func cofactorBalanceScalesTheCrossTermToOneLanguage() {
        let b = CofactorBalance.make(first: 100, second: 300, cross: 4, crossWeight: 0.5, balanced: true)
        #expect(b.scale == 50 && b.repeats == 16)
        let c = CofactorBalance.make(first: 100, second: 300, cross: 400, crossWeight: 1, balanced: true)
        #expect(c.scale == 0.5 && c.repeats == 1)
        let off = CofactorBalance.make(first: 100, second: 300, cross: 4, crossWeight: 3, balanced: false)
        #expect(off.scale == 1 && off.repeats == 1)
        #expect(CofactorBalance.make(first: 100, second: 300, cross: 0, crossWeight: 1, balanced: true).scale == 1)
    }

    @Test(arguments: ["clsim", "clc"]) func cofactorLossDecreasesOnEuroparl(term: String) throws {
        let (en, v1, x1) = try europarl("en")
        let (de, v2, x2) = try europarl("de")
        let cross: CrossLingualObjective
        if term == "clc" {
            cross = .cooccurrence(lineCounts(en, v1, de, v2))
        } else { // identical strings (names, numbers, "eu", …) as translation pairs
            var pairs: [(source: Int32, target: Int32, similarity: Float)] = []
            for j in 0..<v1 { if let k = de.vocabulary.id(en.vocabulary[j]), k < v2 { pairs.append((Int32(j), Int32(k), 1)) } }
            #expect(pairs.count > 20)
            cross = .similarity(pairs)
        }
        let model = try CofactorTrainer(options: CofactorOptions(iterations: 8, threads: 2, seed: 3))
            .train(first: x1, second: x2, cross: cross)
        let t = model.terms
        #expect(t.count == 8 && model.history.losses == t.map(\.total))
        #expect(t[7].total < 0.7 * t[0].total, "\(t)")
        #expect(t[7].first < t[0].first && t[7].second < t[0].second && t[7].cross < t[0].cross, "\(t)")
        #expect(model.firstWords.rows == v1 && model.secondWords.rows == v2 && model.secondWords.cols == 40)
    }

    // MARK: (3) determinism

    @Test func sameSeedOneThreadIsBitIdentical() throws {
        let (_, _, matrix) = try europarl("en")
        let options = GloVeOptions(dimension: 12, iterations: 3, threads: 1, seed: 42)
        let a = try GloVeTrainer(options: options).train(matrix), b = try GloVeTrainer(options: options).train(matrix)
        #expect(a.words == b.words && a.contexts == b.contexts && a.wordBiases == b.wordBiases && a.history.losses == b.history.losses)
        var other = options
        other.seed = 43
        #expect(try GloVeTrainer(options: other).train(matrix).words != a.words)

        let co = CofactorOptions(dimension: 8, iterations: 2, optimizer: .adaGrad, threads: 1, seed: 4)
        let pairs: [(source: Int32, target: Int32, similarity: Float)] = [(0, 0, 1), (1, 2, 0.5)]
        let c1 = try CofactorTrainer(options: co).train(first: matrix, second: matrix, cross: .similarity(pairs))
        let c2 = try CofactorTrainer(options: co).train(first: matrix, second: matrix, cross: .similarity(pairs))
        #expect(c1.firstWords == c2.firstWords && c1.secondContexts == c2.secondContexts && c1.terms == c2.terms)
    }

    @Test func stratifiedScheduleIsConflictFreeAndDeterministic() throws {
        let (_, v, matrix) = try europarl("en")
        let schedule = StratifiedSchedule(words: matrix.rows, contexts: matrix.columns, wordCount: v, contextCount: v, threads: 2)
        #expect(schedule.order.sorted() == Array(0..<matrix.count))
        #expect(schedule.imbalance < 1.25, "\(schedule.imbalance)")
        for s in 0..<2 { // the two blocks of a sub-pass share no word and no context
            let sets = schedule.ranges(subPass: s).map { range in
                (Set(range.map { matrix.rows[schedule.order[$0]] }), Set(range.map { matrix.columns[schedule.order[$0]] }))
            }
            #expect(sets[0].0.isDisjoint(with: sets[1].0) && sets[0].1.isDisjoint(with: sets[1].1))
        }
        var options = GloVeOptions(dimension: 16, iterations: 4, threads: 2, schedule: .stratified, seed: 6)
        let a = try GloVeTrainer(options: options).train(matrix), b = try GloVeTrainer(options: options).train(matrix)
        #expect(a.words == b.words && a.history.losses == b.history.losses)
        #expect(a.history.losses[3] < a.history.losses[0])
        options.threads = 1 // one thread: the same sequential pass as .hogwild
        let one = try GloVeTrainer(options: options).train(matrix)
        options.schedule = .hogwild
        #expect(try GloVeTrainer(options: options).train(matrix).words == one.words)
    }

    // MARK: (4) stopping keeps the partial model

    @Test func stoppingKeepsThePartialModel() throws {
        let (_, _, matrix) = try europarl("en")
        let options = GloVeOptions(dimension: 10, iterations: 10, threads: 2, seed: 8)
        var seen: [Progress] = []
        let model = try GloVeTrainer(options: options).train(matrix) {
            seen.append($0)
            return .stopping(if: $0.step >= 2)
        }
        #expect(model.stopped && model.history.completedIterations == 2 && seen.count == 2)
        #expect(seen[1].total == 10 && (seen[1].extra("records/s") ?? 0) > 0 && seen[1].loss == model.history.losses[1])
        var initial = options
        initial.iterations = 0
        #expect(try GloVeTrainer(options: initial).train(matrix).words != model.words)

        let co = try CofactorTrainer(options: CofactorOptions(dimension: 8, iterations: 5, threads: 1))
            .train(first: matrix, second: matrix, cross: .none) { _ in .stop }
        #expect(co.stopped && co.terms.count == 1)
    }

    // MARK: (5) bad input

    @Test func badInputThrowsClearErrors() throws {
        let good = CooccurrenceMatrix(rowCount: 3, columnCount: 3, rows: [0, 1, 2], columns: [1, 2, 0], values: [1, 2, 3])
        func message(_ body: () throws -> Void) -> String {
            do { try body() } catch let error as FactorizationError { return error.description } catch { return "other: \(error)" }
            return "no error"
        }
        let glove = GloVeTrainer(options: GloVeOptions(dimension: 4, iterations: 1, threads: 1))
        let empty = CooccurrenceMatrix(rowCount: 3, columnCount: 3, rows: [], columns: [], values: [])
        #expect(message { _ = try glove.train(empty) }.contains("is empty"))
        #expect(
            message { _ = try glove.train(CooccurrenceMatrix(rowCount: 3, columnCount: 4, rows: [0], columns: [3], values: [1])) }.contains(
                "3×4"))
        #expect(
            message { _ = try glove.train(CooccurrenceMatrix(rowCount: 3, columnCount: 3, rows: [0], columns: [5], values: [1])) }.contains(
                "outside"))
        #expect(
            message { _ = try glove.train(CooccurrenceMatrix(rowCount: 3, columnCount: 3, rows: [0], columns: [1], values: [-1])) }
                .contains("is -1.0"))
        #expect(message { _ = try GloVeTrainer(options: GloVeOptions(dimension: 0)).train(good) }.contains("dimension is 0"))
        let diverging = GloVeTrainer(options: GloVeOptions(dimension: 4, iterations: 3, learningRate: 1e30, threads: 1))
        #expect(message { _ = try diverging.train(good) }.contains("loss became"))

        let co = CofactorTrainer(options: CofactorOptions(dimension: 4, iterations: 1, threads: 1))
        let m400 = CooccurrenceMatrix(rowCount: 400, columnCount: 400, rows: [0], columns: [1], values: [2])
        let m600 = CooccurrenceMatrix(rowCount: 600, columnCount: 600, rows: [0], columns: [1], values: [2])
        let x500 = CooccurrenceMatrix(rowCount: 500, columnCount: 600, rows: [0], columns: [1], values: [2])
        #expect(
            message { _ = try co.train(first: m400, second: m600, cross: .cooccurrence(x500)) }
                .contains("the cross-lingual matrix is 500×600 but the vocabularies have 400 and 600 words"))
        #expect(message { _ = try co.train(first: m400, second: m600, cross: .similarity([])) }.contains("similarity list is empty"))
        #expect(
            message { _ = try co.train(first: m400, second: m600, cross: .similarity([(400, 0, 1)])) }.contains(
                "vocabularies have 400 and 600"))
        #expect(message { _ = try co.train(first: m400, second: m600, cross: .similarity([(1, 0, .nan)])) }.contains("similarity nan"))
        #expect(
            message { _ = try co.train(first: empty, second: m600, cross: .none) }.contains(
                "first language's co-occurrence matrix is empty"))
        let coDiverging = CofactorTrainer(
            options: CofactorOptions(dimension: 4, iterations: 3, optimizer: .adaGrad, learningRate: 1e20, threads: 1))
        #expect(message { _ = try coDiverging.train(first: good, second: good, cross: .none) }.contains("loss became"))
        // SGD's implicit steps cannot overshoot: even η = 1e20 stays finite
        let implicit = try CofactorTrainer(options: CofactorOptions(dimension: 4, iterations: 3, learningRate: 1e20, threads: 1))
            .train(first: good, second: good, cross: .similarity([(0, 1, 1)]))
        let finite = implicit.history.losses.allSatisfy { $0.isFinite }
        #expect(finite && implicit.history.completedIterations == 3)
    }
}
