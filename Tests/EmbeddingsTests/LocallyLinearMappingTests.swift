import Foundation
import Testing

@testable import Embeddings

/// Real vectors for the transfer tests: fastText en/fr (756 × 300, one shared space) and a
/// task-specific source matrix made from the English vectors by a fixed nonlinear map.
enum TransferData {
    static let english: Matrix = (try? Word2VecText.load(path: RealData.englishVec).0.vectors) ?? Matrix(rows: 0, cols: 0)
    static let french: Matrix = (try? Word2VecText.load(path: RealData.frenchVec).0.vectors) ?? Matrix(rows: 0, cols: 0)

    /// A seeded d_in×d_out matrix with entries uniform in [−1, 1) / sqrt(d_in).
    static func randomMatrix(rows: Int, cols: Int, seed: UInt64) -> Matrix {
        var rng = SplitMix64(seed: seed)
        var m = Matrix(rows: rows, cols: cols)
        let scale = 1 / Float(rows).squareRoot()
        for i in 0..<m.storage.count { m.storage[i] = (2 * rng.nextFloat() - 1) * scale }
        return m
    }

    /// tanh(X·R) with a seeded 300×64 R: a 64-d "task-specific" space for the English words.
    static var specific: Matrix {
        var m =
            (try? Matrix.product(english, randomMatrix(rows: english.cols, cols: 64, seed: 7)))
            ?? Matrix(rows: 0, cols: 0)
        for i in 0..<m.storage.count { m.storage[i] = tanhf(4 * m.storage[i]) }
        return m
    }

    /// Σ_j α_j x_j for the rows `indices` of `x`.
    static func combination(_ x: Matrix, _ indices: [Int], _ alpha: [Float]) -> [Double] {
        var out = [Double](repeating: 0, count: x.cols)
        for (j, i) in indices.enumerated() {
            for l in 0..<x.cols { out[l] += Double(alpha[j]) * Double(x[i, l]) }
        }
        return out
    }
}

@Suite("Reconstruction weights (eq. 3–5)")
struct ReconstructionWeightsTests {
    @Test func exactReconstructionInAffineSpanWithoutRegularisation() throws {
        let x = TransferData.english
        let indices = [10, 57, 300, 611]
        let beta: [Float] = [0.5, 0.3, -0.1, 0.3]
        let y = TransferData.combination(x, indices, beta).map { Float($0) }
        let alpha = try ReconstructionWeights.weights(query: y, neighbors: x.selectingRows(indices), regularization: 0)
        for j in 0..<4 { #expect(abs(alpha[j] - beta[j]) < 1e-3, "α = \(alpha), β = \(beta)") }
        #expect(abs(alpha.reduce(0, +) - 1) < 1e-6)
        let rebuilt = TransferData.combination(x, indices, alpha)
        for l in 0..<x.cols { #expect(abs(rebuilt[l] - Double(y[l])) < 1e-4) }
    }

    @Test func regularisedWeightsSumToOneAndStayCloseInTheSpan() throws {
        let x = TransferData.english
        let indices = [3, 44, 205]
        let beta: [Float] = [0.2, 0.7, 0.1]
        let y = TransferData.combination(x, indices, beta).map { Float($0) }
        let alpha = try ReconstructionWeights.weights(query: y, neighbors: x.selectingRows(indices))
        #expect(abs(alpha.reduce(0, +) - 1) < 1e-6)
        // δ = 1e-3 moves α by O(δ) for a well-conditioned neighbourhood.
        for j in 0..<3 { #expect(abs(alpha[j] - beta[j]) < 5e-3, "α = \(alpha), β = \(beta)") }
    }

    @Test func duplicateNeighboursGiveFiniteEqualWeights() throws {
        let x = TransferData.english
        let neighbors = try x.selectingRows([8, 8, 91, 91, 91, 402])
        let y = TransferData.french.row(17)
        let alpha = try ReconstructionWeights.weights(query: y, neighbors: neighbors)
        #expect(alpha.allSatisfy { $0.isFinite })
        #expect(abs(alpha.reduce(0, +) - 1) < 1e-5)
        #expect(abs(alpha[0] - alpha[1]) < 1e-5)
        #expect(abs(alpha[2] - alpha[3]) < 1e-5 && abs(alpha[3] - alpha[4]) < 1e-5)
    }

    @Test func moreNeighboursThanDimensionsStayFinite() throws {
        let x = try TransferData.english.selectingColumns(Array(0..<5)) // 756 × 5
        let alpha = try ReconstructionWeights.weights(
            query: try TransferData.french.selectingColumns(Array(0..<5)).row(3),
            neighbors: x.selectingRows(Array(0..<40)))
        #expect(alpha.count == 40 && alpha.allSatisfy { $0.isFinite })
        #expect(abs(alpha.reduce(0, +) - 1) < 1e-5)
    }

    @Test func exactMatchReturnsTheUnitVectorOfTheFirstMatch() throws {
        let x = TransferData.english
        let neighbors = try x.selectingRows([5, 120, 120, 9])
        let alpha = try ReconstructionWeights.weights(query: x.row(120), neighbors: neighbors, regularization: 0)
        #expect(alpha == [0, 1, 0, 0])
    }

    @Test func badInputIsNamed() throws {
        let x = try TransferData.english.selectingRows([1, 2])
        #expect(throws: TransferError.dimensionMismatch(source: 300, target: 2)) {
            try ReconstructionWeights.weights(query: [1, 2], neighbors: x)
        }
        #expect(throws: TransferError.invalidRegularization(what: "regularization", value: -1)) {
            try ReconstructionWeights.weights(query: x.row(0), neighbors: x, regularization: -1)
        }
        var bad = x.row(0)
        bad[4] = .nan
        #expect(throws: TransferError.nonFinite(what: "the query vector", row: 0)) {
            try ReconstructionWeights.weights(query: bad, neighbors: x)
        }
    }
}

@Suite("Locally linear mapping (eq. 3–6)")
struct LocallyLinearMappingTests {
    let source = TransferData.english
    let specific = TransferData.specific
    let target = TransferData.french

    @Test func realVectorsGiveFiniteOutputsWithWeightsSummingToOne() throws {
        let mapping = LocallyLinearMapping(options: .init(k: 10))
        let result = try mapping.map(generalSource: source, specificSource: specific, generalTarget: target, diagnostics: true)
        #expect(result.specificTarget.rows == target.rows && result.specificTarget.cols == 64)
        #expect(result.specificTarget.isFinite)
        let diagnostics = try #require(result.diagnostics)
        #expect(diagnostics.count == target.rows)
        for i in 0..<target.rows {
            let row = diagnostics.neighbors(ofTarget: i)
            let sum = row.reduce(0.0) { $0 + Double($1.weight) }
            #expect(abs(sum - 1) < 1e-5, "row \(i): Σα = \(sum)")
            // Best first, by cosine.
            for j in 1..<row.count { #expect(row[j - 1].cosine >= row[j].cosine) }
            // Eq. 6 with the reported α.
            let rebuilt = TransferData.combination(specific, row.map { $0.source }, row.map { $0.weight })
            for l in 0..<64 { #expect(abs(rebuilt[l] - Double(result.specificTarget[i, l])) < 1e-4) }
        }
    }

    @Test func neighboursAreTheCosineTopK() throws {
        let result = try LocallyLinearMapping(options: .init(k: 5)).map(
            generalSource: source, specificSource: specific, generalTarget: target, diagnostics: true)
        let diagnostics = try #require(result.diagnostics)
        let unitSource = NeighborSearch.unitNormalized(source), unitTarget = NeighborSearch.unitNormalized(target)
        for i in stride(from: 0, to: target.rows, by: 37) {
            let cosines = (0..<source.rows).map { j in
                (0..<300).reduce(0.0) { $0 + Double(unitTarget[i, $1]) * Double(unitSource[j, $1]) }
            }
            let order = cosines.indices.sorted { cosines[$0] > cosines[$1] }
            let ours = diagnostics.neighbors(ofTarget: i)
            for j in 0..<5 { #expect(abs(cosines[order[j]] - Double(ours[j].cosine)) < 1e-5) }
        }
    }

    @Test func exactMatchesReturnTheirTaskVectors() throws {
        let words = [0, 7, 100, 755]
        let result = try LocallyLinearMapping(options: .init(k: 4)).map(
            generalSource: source, specificSource: specific, generalTarget: source.selectingRows(words))
        #expect(result.exactMatches == words.count)
        #expect(try result.specificTarget.maxAbsoluteDifference(specific.selectingRows(words)) == 0)
    }

    @Test func duplicateSourceRowsAndLargeKStayFinite() throws {
        // Every source word twice: each neighbourhood holds duplicate pairs.
        var stacked = Matrix(rows: 2 * source.rows, cols: source.cols)
        stacked.storage = source.storage + source.storage
        var stackedSpecific = Matrix(rows: 2 * specific.rows, cols: specific.cols)
        stackedSpecific.storage = specific.storage + specific.storage
        let few = try source.selectingColumns(Array(0..<8))
        var stackedFew = Matrix(rows: 2 * few.rows, cols: 8)
        stackedFew.storage = few.storage + few.storage
        for (general, generalTarget, k) in [(stacked, target, 6), (stackedFew, try target.selectingColumns(Array(0..<8)), 30)] {
            let result = try LocallyLinearMapping(options: .init(k: k)).map(
                generalSource: general, specificSource: stackedSpecific, generalTarget: generalTarget, diagnostics: true)
            #expect(result.specificTarget.isFinite)
            let weights = try #require(result.diagnostics).weights
            #expect(weights.allSatisfy { $0.isFinite })
            for i in 0..<generalTarget.rows {
                let sum = weights[(i * k)..<((i + 1) * k)].reduce(0.0) { $0 + Double($1) }
                #expect(abs(sum - 1) < 1e-4)
            }
        }
    }

    @Test func resultsDoNotDependOnThreads() throws {
        let one = try LocallyLinearMapping(options: .init(k: 7, threads: 1)).map(
            generalSource: source, specificSource: specific, generalTarget: target)
        let two = try LocallyLinearMapping(options: .init(k: 7, threads: 2)).map(
            generalSource: source, specificSource: specific, generalTarget: target)
        #expect(try one.specificTarget.maxAbsoluteDifference(two.specificTarget) == 0)
    }

    @Test func badInputGivesNamedErrors() throws {
        func map(_ options: LocallyLinearMappingOptions, _ gs: Matrix, _ ss: Matrix, _ gt: Matrix) throws {
            _ = try LocallyLinearMapping(options: options).map(generalSource: gs, specificSource: ss, generalTarget: gt)
        }
        #expect(throws: TransferError.nonPositiveK(0)) { try map(.init(k: 0), source, specific, target) }
        #expect(throws: TransferError.kExceedsSource(k: 757, available: 756, leaveSelfOut: false)) {
            try map(.init(k: 757), source, specific, target)
        }
        let narrow = try target.selectingColumns(Array(0..<50))
        #expect(throws: TransferError.dimensionMismatch(source: 300, target: 50)) { try map(.init(), source, specific, narrow) }
        #expect(throws: TransferError.rowCountMismatch(general: 756, specific: 3)) {
            try map(.init(), source, specific.selectingRows([0, 1, 2]), target)
        }
        #expect(throws: TransferError.empty(what: "the general target matrix (0×300)")) {
            try map(.init(), source, specific, Matrix(rows: 0, cols: 300))
        }
        var poisoned = source
        poisoned[12, 3] = .infinity
        #expect(throws: TransferError.nonFinite(what: "the general source matrix", row: 12)) {
            try map(.init(), poisoned, specific, target)
        }
        #expect(throws: TransferError.invalidRegularization(what: "regularization", value: -0.5)) {
            try map(.init(regularization: -0.5), source, specific, target)
        }
        let message = TransferError.kExceedsSource(k: 757, available: 756, leaveSelfOut: false).description
        #expect(message.contains("757") && message.contains("use k ≤ 756"))
    }

    @Test func weightHistogramSplitsNearestAndOthers() throws {
        let result = try LocallyLinearMapping(options: .init(k: 3)).map(
            generalSource: source, specificSource: specific, generalTarget: target, diagnostics: true)
        let histogram = try #require(result.diagnostics).weightHistogram(bins: 10)
        #expect(histogram.edges.count == 11 && histogram.edges.first == 0)
        #expect(histogram.nearest.reduce(0, +) == target.rows)
        #expect(histogram.others.reduce(0, +) == 2 * target.rows)
        #expect(histogram.nearestMean.isFinite && histogram.othersMean.isFinite)
    }

    @Test func neighbourTableExcludesTheWordItself() throws {
        let mapped = try LocallyLinearMapping(options: .init(k: 3)).map(
            generalSource: source, specificSource: specific, generalTarget: target
        ).specificTarget
        let words = [0, 50, 400]
        let table = try TransferDiagnostics.neighborTable(words: words, before: target, after: mapped, k: 5)
        #expect(table.count == 3)
        for (row, word) in words.enumerated() {
            #expect(table[row].before.count == 5 && table[row].after.count == 5)
            #expect(!table[row].before.contains { $0.index == word } && !table[row].after.contains { $0.index == word })
        }
        #expect(throws: TransferError.wordOutOfRange(index: 9999, count: 757)) {
            try TransferDiagnostics.neighborTable(words: [9999], before: target, after: mapped, k: 5)
        }
    }
}

@Suite("Linear projection (eq. 1–2)")
struct LinearProjectionTests {
    @Test func recoversAKnownMap() throws {
        let x = TransferData.english
        let w = TransferData.randomMatrix(rows: 300, cols: 40, seed: 11)
        let y = try Matrix.product(x, w)
        let projection = try LinearProjection.fit(generalSource: x, specificSource: y)
        #expect(try projection.weights.maxAbsoluteDifference(w) < 2e-3)
        let mapped = try projection.apply(TransferData.french)
        #expect(try mapped.maxAbsoluteDifference(Matrix.product(TransferData.french, w)) < 1e-3)
        // A small ridge barely changes an exactly linear relation.
        let ridged = try LinearProjection.fit(generalSource: x, specificSource: y, ridge: 1e-6)
        #expect(try ridged.weights.maxAbsoluteDifference(w) < 5e-2)
        #expect(throws: TransferError.dimensionMismatch(source: 300, target: 40)) { try projection.apply(y) }
        #expect(throws: TransferError.invalidRegularization(what: "ridge", value: -1)) {
            try LinearProjection.fit(generalSource: x, specificSource: y, ridge: -1)
        }
    }
}

@Suite("Neighbourhood tuning (leave-self-out, §3.2)")
struct NeighborhoodTuningTests {
    let source = TransferData.english
    let specific = TransferData.specific

    @Test func leaveSelfOutNeverUsesTheWordItself() throws {
        let neighbors = try NeighborhoodTuning.leaveSelfOutNeighbors(source, k: 6, threads: 2)
        let unit = NeighborSearch.unitNormalized(source)
        for i in 0..<source.rows {
            let row = Array(neighbors[(i * 6)..<((i + 1) * 6)])
            #expect(!row.contains(i), "word \(i) is its own neighbour: \(row)")
            #expect(Set(row).count == 6)
        }
        // Spot-check against brute force over the other words.
        for i in stride(from: 0, to: source.rows, by: 101) {
            let cosines = (0..<source.rows).map { j in
                j == i ? -Double.infinity : (0..<300).reduce(0.0) { $0 + Double(unit[i, $1]) * Double(unit[j, $1]) }
            }
            let order = cosines.indices.sorted { cosines[$0] > cosines[$1] }
            #expect(Set(order.prefix(5)).isSubset(of: Set(neighbors[(i * 6)..<((i + 1) * 6)])))
        }
    }

    @Test func duplicatesOfAWordMayReconstructIt() throws {
        // Source words twice: word i's nearest other word is its copy, an exact match.
        var stacked = Matrix(rows: 2 * source.rows, cols: source.cols)
        stacked.storage = source.storage + source.storage
        var stackedSpecific = Matrix(rows: 2 * specific.rows, cols: specific.cols)
        stackedSpecific.storage = specific.storage + specific.storage
        var seen: [Int: Matrix] = [:]
        _ = try NeighborhoodTuning.tune(generalSource: stacked, specificSource: stackedSpecific, candidates: [2]) { k, m in
            seen[k] = m
            return 0
        }
        let rebuilt = try #require(seen[2])
        #expect(try rebuilt.maxAbsoluteDifference(stackedSpecific) == 0)
    }

    @Test func picksTheBestScoreWithTiesToTheSmallerK() throws {
        var calls: [Int] = []
        let outcome = try NeighborhoodTuning.tune(
            generalSource: source, specificSource: specific,
            candidates: [8, 1, 3, 3, 5]
        ) { k, rebuilt in
            calls.append(k)
            #expect(rebuilt.rows == source.rows && rebuilt.cols == specific.cols && rebuilt.isFinite)
            // Score: minus the mean squared error against the true task vectors.
            let error = try rebuilt.subtracting(specific).frobeniusNorm()
            return -Double(error * error) / Double(source.rows)
        }
        #expect(calls == [1, 3, 5, 8])
        #expect(outcome.scores.map { $0.k } == [1, 3, 5, 8])
        let best = outcome.scores.max { $0.score < $1.score }
        #expect(outcome.best == best?.k)
        let tie = try NeighborhoodTuning.tune(generalSource: source, specificSource: specific, candidates: [4, 2, 6]) { _, _ in 1 }
        #expect(tie.best == 2)
        #expect(throws: TransferError.noCandidates) {
            try NeighborhoodTuning.tune(generalSource: source, specificSource: specific, candidates: []) { _, _ in 0 }
        }
        #expect(throws: TransferError.kExceedsSource(k: 756, available: 755, leaveSelfOut: true)) {
            try NeighborhoodTuning.tune(generalSource: source, specificSource: specific, candidates: [1, 756]) { _, _ in 0 }
        }
        #expect(throws: TransferError.nonFiniteScore(k: 1, score: .infinity)) {
            try NeighborhoodTuning.tune(generalSource: source, specificSource: specific, candidates: [1]) { _, _ in .infinity }
        }
    }
}
