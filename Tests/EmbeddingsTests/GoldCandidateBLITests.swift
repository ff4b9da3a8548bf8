import Testing
import XlingCore

@testable import Embeddings

#if canImport(Glibc)
import Glibc
#endif

/// `GoldCandidateBLI` (Wada & Iwata's word-alignment protocol) against a direct Double-precision
/// computation of the same definitions, on a hand-made case, and its pair sampling.
struct GoldCandidateBLITests {
    static func random(_ m: Int, _ n: Int, seed: UInt64) -> Matrix {
        var g = SplitMix64(seed: seed)
        var x = Matrix(rows: m, cols: n)
        for i in x.storage.indices { x.storage[i] = 2 * g.nextFloat() - 1 }
        return x
    }

    /// Correct-at-k counts by the definitions, in Double, with no shared code.
    static func reference(_ s: Matrix, _ t: Matrix, method: String, k cslsK: Int, beta: Double, ks: [Int]) -> [Int] {
        let m = s.rows, d = s.cols
        func row(_ x: Matrix, _ i: Int) -> [Double] {
            let v = (0..<d).map { Double(x.storage[i * d + $0]) }
            let n = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return v.map { $0 / n }
        }
        let a = (0..<m).map { row(s, $0) }, b = (0..<m).map { row(t, $0) }
        let c = a.map { x in b.map { y in zip(x, y).reduce(0) { $0 + $1.0 * $1.1 } } }
        func meanTop(_ v: [Double]) -> Double { v.sorted(by: >).prefix(cslsK).reduce(0, +) / Double(min(cslsK, v.count)) }
        let rT = c.map(meanTop), rS = (0..<m).map { j in meanTop(c.map { $0[j] }) }
        let score: (Int, Int) -> Double
        switch method {
        case "csls": score = { 2 * c[$0][$1] - rT[$0] - rS[$1] }
        case "isf": score = { i, j in exp(beta * c[i][j]) / (0..<m).reduce(0) { $0 + exp(beta * c[$1][j]) } }
        default: score = { c[$0][$1] }
        }
        return ks.map { k in
            (0..<m).filter { i in (0..<m).filter { j in j != i && score(i, j) > score(i, i) }.count < k }.count
        }
    }

    @Test func matchesTheDefinitions() throws {
        // Targets = sources + noise, so the gold pair is often but not always first.
        let m = 40, d = 8
        let s = Self.random(m, d, seed: 1), noise = Self.random(m, d, seed: 2)
        var t = s
        for i in t.storage.indices { t.storage[i] += 0.9 * noise.storage[i] }
        let ks = [1, 5]
        let results = try GoldCandidateBLI.evaluate(
            source: s, target: t, methods: [.nn, .csls(k: 10), .invertedSoftmax(beta: 10)], ks: ks)
        for (r, name) in zip(results, ["nn", "csls", "isf"]) {
            let expected = Self.reference(s, t, method: name, k: 10, beta: 10, ks: ks)
            #expect(r.correct == expected, "\(name): \(r.correct) vs \(expected)")
            #expect(r.pairs == m)
        }
        #expect(results[0].correct[0] > 5 && results[0].correct[0] < m, "informative case: \(results[0].correct)")
    }

    @Test func handMadeCase() throws {
        // Three pairs (cosines by hand): x0 = (1, 0) scores y1 0.994 > y2 0.707 > y0 0.6, x1 = (0, 1) scores
        // y0 0.8 > y2 0.707 > y1 0.110, x2 = (1, 1) scores y2 1.0 > y0 0.990 > y1 0.781: only x2 is right at 1 and 2.
        let s = try Matrix(rows: 3, cols: 2, values: [1, 0, 0, 1, 1, 1])
        let t = try Matrix(rows: 3, cols: 2, values: [0.6, 0.8, 0.9, 0.1, 0.7, 0.7])
        let r = try GoldCandidateBLI.evaluate(source: s, target: t, methods: [.nn], ks: [1, 2, 3])
        #expect(r[0].correct == [1, 1, 3])
        #expect(r[0].precision(at: 1) == 1.0 / 3.0 && r[0].precision(at: 3) == 1 && r[0].precision(at: 4) == nil)
    }

    @Test func pairsAreOneToOneInVocabularyAndSeeded() {
        let source = Vocabulary(["a", "b", "c", "d"]), target = Vocabulary(["w", "x", "y", "z"])
        let dictionary: [(source: String, target: String)] = [
            ("a", "w"), ("a", "x"), ("b", "x"), ("c", "y"), ("d", "y"), ("e", "z"), ("d", "q"), ("b", "w"),
        ]
        let first = GoldCandidateBLI.pairs(dictionary: dictionary, source: source, target: target, count: 10, seed: 3)
        #expect(Set(first.map(\.source)).count == first.count && Set(first.map(\.target)).count == first.count)
        #expect(first.count >= 2 && first.count <= 3) // y is shared by c and d; z and q are out of vocabulary
        let again = GoldCandidateBLI.pairs(dictionary: dictionary, source: source, target: target, count: 10, seed: 3)
        #expect(first.map(\.source) == again.map(\.source) && first.map(\.target) == again.map(\.target))
        let capped = GoldCandidateBLI.pairs(dictionary: dictionary, source: source, target: target, count: 1, seed: 3)
        #expect(capped.count == 1)
        let seeds = (0..<20).map { GoldCandidateBLI.pairs(dictionary: dictionary, source: source, target: target, count: 1, seed: $0)[0] }
        #expect(Set(seeds.map { $0.source * 10 + $0.target }).count > 1, "the seed changes the draw")
    }
}
