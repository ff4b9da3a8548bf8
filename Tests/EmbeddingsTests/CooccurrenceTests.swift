import Testing

@testable import Embeddings

#if canImport(Glibc)
import Glibc
#endif

/// Small real corpora for the co-occurrence tests (first 300 lines each).
enum CooccurrenceData {
    static let europarlEn = RealData.root + "/corpora/europarl/en.txt.gz"
    static let europarlDe = RealData.root + "/corpora/europarl/de.txt.gz"
    static let wmtEn = RealData.root + "/parallel/wmt-en-de-10k/train.en.gz"
    static let wmtDe = RealData.root + "/parallel/wmt-en-de-10k/train.de.gz"

    static func english() throws -> Corpus { try Corpus.read(path: europarlEn, language: "en", maxLines: 300) }
    static func parallel() throws -> ParallelCorpus {
        try ParallelCorpus.read(sourcePath: wmtEn, targetPath: wmtDe, sourceLanguage: "en", targetLanguage: "de", maxLines: 300)
    }
    /// English and German model vocabularies from Europarl: `rows` and `columns` words.
    static func maps(_ parallel: ParallelCorpus, rows: Int, columns: Int) throws -> (source: [Int32], target: [Int32]) {
        let en = try english()
        let de = try Corpus.read(path: europarlDe, language: "de", maxLines: 300)
        return (parallel.source.idMap(into: en.vocabulary, limit: rows), parallel.target.idMap(into: de.vocabulary, limit: columns))
    }
    /// A diagonal alignment: source position i ↔ target position ⌊i·|S²|/|S¹|⌋.
    static func diagonal(_ parallel: ParallelCorpus) -> WordAlignment {
        WordAlignment(
            sentences: (0..<parallel.sentenceCount).map { s in
                let m = parallel.source.sentence(s).count, n = parallel.target.sentence(s).count
                guard n > 0 else { return [] }
                return (0..<m).map { AlignmentLink(source: Int32($0), target: Int32($0 * n / m)) }
            })
    }
    /// Option sets every count must agree on: 1 and 2 threads, default and tiny memory.
    static func configurations(columns: Int) -> [CooccurrenceOptions] {
        let tiny = 2 * (CooccurrenceShardPlan.workerBytes(columns: columns) + 8 * columns + 64)
        return [1, 2].flatMap { threads in
            [1 << 30, tiny].map { CooccurrenceOptions(memoryLimit: $0, threads: threads) }
        }
    }
}

/// Brute-force references: deliberately naive loops over the definitions.
enum NaiveCounts {
    typealias Table = [Int: Double] // key row * columns + column

    static func monolingual(_ corpus: Corpus, vocabularySize v: Int, window: Int, weighted: Bool, symmetric: Bool) -> Table {
        var x: Table = [:]
        for s in 0..<corpus.sentenceCount {
            let words = corpus.sentence(s).map(Int.init).filter { $0 < v }
            for i in words.indices {
                for j in words.indices where i != j && abs(i - j) <= window && (symmetric || j > i) {
                    x[words[i] * v + words[j], default: 0] += weighted ? 1 / Double(abs(i - j)) : 1
                }
            }
        }
        return x
    }

    static func sentencePairs(_ p: ParallelCorpus, _ maps: (source: [Int32], target: [Int32]), columns: Int) -> Table {
        var x: Table = [:]
        for s in 0..<p.sentenceCount {
            for a in p.source.sentence(s) {
                for b in p.target.sentence(s) {
                    let j = Int(maps.source[Int(a)]), k = Int(maps.target[Int(b)])
                    if j >= 0 && k >= 0 { x[j * columns + k, default: 0] += 1 }
                }
            }
        }
        return x
    }

    static func alignedWindows(
        _ p: ParallelCorpus, _ alignment: WordAlignment, _ maps: (source: [Int32], target: [Int32]),
        columns: Int, window: Int
    ) -> Table {
        var x: Table = [:]
        for s in 0..<p.sentenceCount {
            let s1 = Array(p.source.sentence(s)), s2 = Array(p.target.sentence(s))
            for link in alignment.sentences[s] {
                let j = Int(maps.source[Int(s1[Int(link.source)])])
                guard j >= 0 else { continue }
                for position in s2.indices where abs(position - Int(link.target)) <= window {
                    let k = Int(maps.target[Int(s2[position])])
                    if k >= 0 { x[j * columns + k, default: 0] += 1 }
                }
            }
        }
        return x
    }
}

/// The matrix invariants hold and its entries equal `expected` to 1e-9 relative.
func expectMatches(_ m: CooccurrenceMatrix, _ expected: NaiveCounts.Table, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(m.count == expected.count, "entry count", sourceLocation: sourceLocation)
    var previous = -1, mismatches = 0
    for i in 0..<m.count {
        let key = Int(m.rows[i]) * m.columnCount + Int(m.columns[i])
        if key <= previous || !(m.values[i] > 0) { mismatches += 1 }
        previous = key
        let want = expected[key] ?? 0
        if abs(m.values[i] - want) > 1e-9 * max(1, abs(want)) { mismatches += 1 }
    }
    #expect(mismatches == 0, "entries out of order, not positive, or not equal to the brute force", sourceLocation: sourceLocation)
}

@Suite struct CooccurrenceTests {
    @Test func handCountedSentenceSkipsOOVBeforeWindowing() throws {
        // ids by frequency: a=0 (2×), then b=1, c=2, x=3 (1× each, alphabetical); x is OOV.
        let corpus = Corpus(language: "t", sentences: [["a", "b", "a", "x", "c"], ["c", "a"]])
        let m = try CooccurrenceCounter.monolingual(corpus, vocabularySize: 3, options: CooccurrenceOptions(window: 2))
        // Sentence 1 without x is a b a c: (a,b,1) (a,a,2) (b,a,1) (b,c,2) (a,c,1); sentence 2 (c,a,1).
        let expected: [Int: Double] = [0: 1.0, 1: 2, 2: 2, 3: 2, 5: 0.5, 6: 2, 7: 0.5]
        expectMatches(m, expected)
        #expect(m.rows == [0, 0, 0, 1, 1, 2, 2] && m.columns == [0, 1, 2, 0, 2, 0, 1])
        let right = try CooccurrenceCounter.monolingual(
            corpus, vocabularySize: 3,
            options: CooccurrenceOptions(window: 1, distanceWeighting: false, symmetric: false))
        expectMatches(right, [1: 1, 3: 1, 2: 1, 6: 1]) // a→b, b→a, a→c (x skipped), c→a
    }

    @Test func monolingualEqualsBruteForceOnEuroparl() throws {
        let corpus = try CooccurrenceData.english()
        let small = min(300, corpus.vocabularySize(minCount: 2))
        #expect(small < corpus.vocabulary.count) // OOV tokens exist
        // All words too: > 1,024 columns, so rows touching one column (< 1/16 of the bitmap's
        // words) take the sorted emission, the others the bitmap scan.
        let all = corpus.vocabulary.count
        #expect(all > 1024)
        for (window, weighted, symmetric, v) in [
            (10, true, true, small), (3, false, true, small), (5, true, false, small), (10, true, true, all),
        ] {
            let expected = NaiveCounts.monolingual(corpus, vocabularySize: v, window: window, weighted: weighted, symmetric: symmetric)
            var reference: CooccurrenceMatrix?
            for var options in CooccurrenceData.configurations(columns: v) {
                options.window = window
                options.distanceWeighting = weighted
                options.symmetric = symmetric
                let m = try CooccurrenceCounter.monolingual(corpus, vocabularySize: v, options: options)
                expectMatches(m, expected)
                if let reference { #expect(m == reference, "bit-identical for any threads and memory limit") }
                reference = m
            }
        }
    }

    @Test func tinyMemoryForcesSeveralShards() throws {
        let corpus = try CooccurrenceData.english()
        let v = 300
        let pairs = MonolingualWindowPairs(corpus: corpus, vocabularySize: v, options: CooccurrenceOptions())
        let limit = CooccurrenceData.configurations(columns: v)[3].memoryLimit
        let plan = try CooccurrenceShardPlan(recordsPerRow: pairs.recordsPerRow(), columns: v, threads: 2, memoryLimit: limit)
        #expect(plan.shards.count > 4)
        #expect(plan.dense.contains(true) && plan.dense.contains(false))
        #expect(plan.shards.first?.lowerBound == 0 && plan.shards.last?.upperBound == v)
    }

    @Test func sentencePairsEqualBruteForce() throws {
        let parallel = try CooccurrenceData.parallel()
        let (rows, columns) = (250, 200)
        let maps = try CooccurrenceData.maps(parallel, rows: rows, columns: columns)
        #expect(maps.source.contains(-1) && maps.target.contains(-1))
        let expected = NaiveCounts.sentencePairs(parallel, maps, columns: columns)
        var reference: CooccurrenceMatrix?
        for options in CooccurrenceData.configurations(columns: columns) {
            let m = try CooccurrenceCounter.sentencePairs(
                parallel, sourceMap: maps.source, targetMap: maps.target,
                rows: rows, columns: columns, options: options)
            #expect(m.rowCount == rows && m.columnCount == columns)
            expectMatches(m, expected)
            if let reference { #expect(m == reference) }
            reference = m
        }
    }

    @Test func alignedWindowsEqualBruteForce() throws {
        let parallel = try CooccurrenceData.parallel()
        let (rows, columns) = (250, 200)
        let maps = try CooccurrenceData.maps(parallel, rows: rows, columns: columns)
        let alignment = CooccurrenceData.diagonal(parallel)
        for window in [0, 2, 5] {
            let expected = NaiveCounts.alignedWindows(parallel, alignment, maps, columns: columns, window: window)
            var reference: CooccurrenceMatrix?
            for options in CooccurrenceData.configurations(columns: columns) {
                let m = try CooccurrenceCounter.alignedWindows(
                    parallel, alignment: alignment, sourceMap: maps.source,
                    targetMap: maps.target, rows: rows, columns: columns,
                    window: window, options: options)
                expectMatches(m, expected)
                if let reference { #expect(m == reference) }
                reference = m
            }
        }
    }

    @Test func alignmentErrorsNameTheProblem() throws {
        let parallel = try CooccurrenceData.parallel()
        let maps = try CooccurrenceData.maps(parallel, rows: 50, columns: 50)
        var alignment = CooccurrenceData.diagonal(parallel)
        alignment.sentences.removeLast()
        #expect(throws: CooccurrenceError.alignmentSentenceCount(alignment: 299, corpus: 300)) {
            try CooccurrenceCounter.alignedWindows(
                parallel, alignment: alignment, sourceMap: maps.source, targetMap: maps.target,
                rows: 50, columns: 50, window: 2)
        }
        alignment = CooccurrenceData.diagonal(parallel)
        let length = parallel.target.sentence(4).count
        alignment.sentences[4].append(AlignmentLink(source: 0, target: Int32(length)))
        do {
            _ = try CooccurrenceCounter.alignedWindows(
                parallel, alignment: alignment, sourceMap: maps.source,
                targetMap: maps.target, rows: 50, columns: 50, window: 2)
            Issue.record("an out-of-range link was accepted")
        } catch {
            #expect(error.description.contains("sentence pair 5") && error.description.contains("tokenizer"))
        }
        #expect(throws: CooccurrenceError.self) {
            try CooccurrenceCounter.sentencePairs(parallel, sourceMap: [0, 1], targetMap: maps.target, rows: 50, columns: 50)
        }
        #expect(throws: CooccurrenceError.self) {
            try CooccurrenceCounter.sentencePairs(parallel, sourceMap: maps.source, targetMap: maps.target, rows: 50, columns: 10)
        }
    }

    @Test func limitsAndStopThrowClearErrors() throws {
        let corpus = try CooccurrenceData.english()
        do {
            _ = try CooccurrenceCounter.monolingual(corpus, vocabularySize: 300, options: CooccurrenceOptions(memoryLimit: 4096))
            Issue.record("a 4 KiB limit was accepted")
        } catch {
            guard case .memoryLimitTooSmall = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(error.description.contains("memory="))
        }
        #expect(throws: CooccurrenceError.invalidWindow(0)) {
            try CooccurrenceCounter.monolingual(corpus, vocabularySize: 10, options: CooccurrenceOptions(window: 0))
        }
        #expect(throws: CooccurrenceError.stopped) {
            try CooccurrenceCounter.monolingual(corpus, vocabularySize: 300, progress: { _ in .stop })
        }
        #expect(throws: CooccurrenceError.stopped) {
            try CooccurrenceCounter.monolingual(
                corpus, vocabularySize: 300, options: CooccurrenceOptions(memoryLimit: 1 << 16, threads: 2),
                progress: { _ in .stop })
        }
        let empty = try CooccurrenceCounter.monolingual(corpus, vocabularySize: 0)
        #expect(empty.count == 0 && empty.rowCount == 0)
    }

    @Test func statisticsAndPMI() throws {
        let corpus = try CooccurrenceData.english()
        let m = try CooccurrenceCounter.monolingual(corpus, vocabularySize: 200)
        let stats = CooccurrenceStatistics(m)
        var rows = [Double](repeating: 0, count: 200), total = 0.0
        for i in 0..<m.count {
            rows[Int(m.rows[i])] += m.values[i]
            total += m.values[i]
        }
        #expect(abs(stats.total - total) <= 1e-9 * total)
        #expect(zip(stats.rowSums, rows).allSatisfy { abs($0 - $1) <= 1e-9 * max(1, $1) })
        #expect(zip(stats.rowSums, stats.columnSums).allSatisfy { abs($0 - $1) <= 1e-9 * max(1, $1) }) // X symmetric
        let pmi = CooccurrenceCounter.pmi(of: m)
        #expect(pmi.count == m.count)
        for i in stride(from: 0, to: m.count, by: 97) {
            let want = log(m.values[i]) + log(total) - log(rows[Int(m.rows[i])]) - log(rows[Int(m.columns[i])])
            #expect(abs(pmi[i] - want) <= 1e-9 * max(1, abs(want)))
        }
    }
}
