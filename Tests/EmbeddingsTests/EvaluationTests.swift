import Testing

@testable import Embeddings

@Suite struct EvaluationTests {
    static func space(_ words: [String], _ vectors: Matrix) throws -> EmbeddingSpace {
        try EmbeddingSpace(vocabulary: Vocabulary(words), vectors: vectors)
    }

    @Test func permutedTargetGivesPerfectPrecision() throws {
        let n = 40
        let s = RetrievalData.unitMatrix(rows: n, cols: 12, seed: 31)
        var g = SplitMix64(seed: 32)
        let perm = Array(0..<n).shuffled(using: &g)
        let t = try s.selectingRows(perm) // target row r = source row perm[r]
        let src = try Self.space((0..<n).map { "s\($0)" }, s)
        let tgt = try Self.space((0..<n).map { "t\(perm[$0])" }, t)
        let dictionary = (0..<n).map { (source: "s\($0)", target: "t\($0)") }
        let result = try BLIEvaluation.evaluate(
            source: src, target: tgt, dictionary: dictionary,
            methods: [.nn, .csls(k: 10), .invertedSoftmax(beta: 30)])
        #expect(result.counts.coveredSourceWords == n && result.counts.sourceWords == n)
        for row in result.methods {
            for convention in BLIEvaluation.OOVConvention.allCases {
                #expect(row.precision(at: 1, convention) == 1, "\(row.method) \(convention)")
                #expect(row.precision(at: 10, convention) == 1)
            }
        }
        #expect(result.methods[0].precision(at: 2, .muse) == nil)
    }

    /// Source words a, b, c, d, e (e, f OOV in source: only a–d exist); target words x, y, z.
    /// Vectors: a→x, b→y, c→z are exact matches; d is closest to x.
    @Test func oovConventionsOnATinyDictionary() throws {
        let src = try Self.space(
            ["a", "b", "c", "d"],
            try Matrix(
                rows: 4, cols: 3,
                values: [
                    1, 0, 0,
                    0, 1, 0,
                    0, 0, 1,
                    0.9, 0.1, 0,
                ]))
        let tgt = try Self.space(
            ["x", "y", "z"],
            try Matrix(
                rows: 3, cols: 3,
                values: [
                    1, 0, 0,
                    0, 1, 0,
                    0, 0, 1,
                ]))
        let dictionary: [(source: String, target: String)] = [
            ("a", "x"), ("a", "x"), // duplicate pair: correct
            ("b", "q"), ("b", "y"), // one OOV translation, one in vocabulary: correct
            ("c", "x"), // wrong at 1 (z is nearest), x second
            ("d", "OOV"), // in source vocabulary, every translation OOV: not covered
            ("e", "x"), ("f", "y"), // source OOV
        ]
        let result = try BLIEvaluation.evaluate(
            source: src, target: tgt, dictionary: dictionary,
            methods: [.nn], ks: [1, 2])
        let c = result.counts
        #expect(c.pairs == 8 && c.usablePairs == 3 && c.sourceWords == 6)
        #expect(c.sourceWordsInVocabulary == 4 && c.coveredSourceWords == 3)
        #expect(result.queries == ["a", "b", "c"])
        #expect(abs(c.coverage - 0.5) < 1e-12)
        let nn = result.methods[0]
        #expect(nn.correct == [2, 3])
        #expect(nn.precision(at: 1, .muse) == 2.0 / 3)
        #expect(nn.precision(at: 1, .vecmap) == 2.0 / 3)
        #expect(nn.precision(at: 1, .fasttext) == 2.0 / 6)
        #expect(nn.precision(at: 2, .muse) == 1)
        #expect(nn.precision(at: 2, .fasttext) == 0.5)
    }

    @Test func dimensionMismatchNamesBothDimensions() throws {
        let src = try Self.space(["a"], Matrix(rows: 1, cols: 3, repeating: 1))
        let tgt = try Self.space(["x"], Matrix(rows: 1, cols: 4, repeating: 1))
        #expect(throws: ShapeError("source dimension 3 does not match target dimension 4")) {
            try BLIEvaluation.evaluate(source: src, target: tgt, dictionary: [("a", "x")])
        }
        let same = try Self.space(["x"], Matrix(rows: 1, cols: 3, repeating: 1))
        #expect(throws: ShapeError.self) {
            try BLIEvaluation.evaluate(source: src, target: same, dictionary: [("a", "x")], ks: [0])
        }
    }

    @Test func emptyAndFullyOOVDictionaries() throws {
        let src = try Self.space(["a"], Matrix(rows: 1, cols: 2, repeating: 1))
        let tgt = try Self.space(["x"], Matrix(rows: 1, cols: 2, repeating: 1))
        let none = try BLIEvaluation.evaluate(source: src, target: tgt, dictionary: [])
        #expect(none.counts.sourceWords == 0 && none.methods[0].precision(at: 1, .fasttext) == 0)
        let oov = try BLIEvaluation.evaluate(source: src, target: tgt, dictionary: [("zz", "x")])
        #expect(oov.counts.coveredSourceWords == 0 && oov.methods[1].precision(at: 1, .muse) == 0)
    }

    /// Target 0 is the mean direction of all queries, so it is everyone's nearest neighbour
    /// under NN (a hub); CSLS penalises it through r_S.
    @Test func hubIsFoundAndCSLSReducesIt() throws {
        let d = 8, nq = 50, nt = 30
        var g = SplitMix64(seed: 41)
        var s = Matrix(rows: nq, cols: d)
        for i in 0..<nq {
            s[i, 0] = 1
            for j in 1..<d { s[i, j] = (g.nextFloat() * 2 - 1) * 0.8 }
        }
        var t = Matrix(rows: nt, cols: d)
        t[0, 0] = 1 // the hub
        for i in 1..<nt { for j in 0..<d { t[i, j] = g.nextFloat() * 2 - 1 } }
        let sn = NeighborSearch.unitNormalized(s), tn = NeighborSearch.unitNormalized(t)
        let reports = try Hubness.compare(source: sn, target: tn, k: 1, cslsK: 10, topHubs: 3)
        let nn = reports[0], csls = reports[1]
        #expect(nn.occurrences.reduce(0, +) == nq)
        #expect(nn.hubs[0].index == 0)
        #expect(nn.hubs[0].count > 5 * nq / nt) // far above the mean N_1 = nq / nt
        #expect(nn.skewness > 3)
        #expect(csls.occurrences[0] < nn.occurrences[0])
        #expect(csls.skewness < nn.skewness)
        #expect(nn.orphans == nn.occurrences.filter { $0 == 0 }.count)
        // Hub list ordering: count descending, index ascending.
        for (a, b) in zip(nn.hubs, nn.hubs.dropFirst()) {
            #expect(a.count > b.count || (a.count == b.count && a.index < b.index))
        }
    }

    @Test func occurrencesMatchBruteForce() throws {
        let s = RetrievalData.integerMatrix(rows: 33, cols: 3, seed: 42)
        let t = RetrievalData.integerMatrix(rows: 21, cols: 3, seed: 43)
        let report = try Hubness.analyze(
            source: s, target: t, k: 4, method: .nn,
            search: NeighborSearch(blockRows: 5, blockColumns: 7))
        var expected = [Int](repeating: 0, count: 21)
        for row in NaiveRetrieval.search(source: s, target: t, queryRows: nil, k: 4, method: .nn) {
            for (j, _) in row { expected[j] += 1 }
        }
        #expect(report.occurrences == expected)
        #expect(report.queryCount == 33)
    }

    @Test func skewnessIsThePopulationThirdStandardisedMoment() {
        // [0, 0, 0, 3]: μ = 3/4, m2 = 27/16, m3 = 81/32 → skewness = 2/√3.
        #expect(abs(Hubness.skewness([0, 0, 0, 3]) - 2 / 3.0.squareRoot()) < 1e-12)
        #expect(Hubness.skewness([5, 5, 5]) == 0)
        #expect(Hubness.skewness([]) == 0)
        #expect(abs(Hubness.skewness([1, 2, 3])) < 1e-12)
        #expect(abs(Hubness.skewness([3, 0, 0, 0]) + Hubness.skewness([-3, 0, 0, 0].map { $0 + 3 })) < 1e-12)
    }
}
