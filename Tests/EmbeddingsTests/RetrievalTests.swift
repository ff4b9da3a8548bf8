import Foundation
import Testing

@testable import Embeddings

/// Brute-force reference implementations used by the retrieval tests.
enum NaiveRetrieval {
    /// Full similarity matrix, dot products accumulated in Double and rounded to Float
    /// (exact for the small-integer test data).
    static func similarities(_ q: Matrix, _ t: Matrix) -> [[Float]] {
        (0..<q.rows).map { i in
            (0..<t.rows).map { j in
                var s = 0.0
                for l in 0..<q.cols { s += Double(q[i, l]) * Double(t[j, l]) }
                return Float(s)
            }
        }
    }

    static func topKMean(_ row: [Float], _ k: Int) -> Float {
        let top = row.sorted(by: >).prefix(min(k, row.count))
        guard !top.isEmpty else { return 0 }
        return Float(top.reduce(0.0) { $0 + Double($1) } / Double(top.count))
    }

    static func stats(_ s: Matrix, _ t: Matrix, k: Int) -> (rT: [Float], rS: [Float]) {
        let st = similarities(s, t)
        let rT = st.map { topKMean($0, k) }
        let rS = (0..<t.rows).map { j in topKMean(st.map { $0[j] }, k) }
        return (rT, rS)
    }

    /// Stable sort on (−score, index), first k.
    static func topK(_ row: [Float], _ k: Int) -> [(index: Int, score: Float)] {
        let order = row.indices.sorted { a, b in row[a] != row[b] ? row[a] > row[b] : a < b }
        return order.prefix(k).map { (index: $0, score: row[$0]) }
    }

    static func search(
        source: Matrix, target: Matrix, queryRows: [Int]?, k: Int,
        method: RetrievalMethod
    ) -> [[(index: Int, score: Float)]] {
        let rows = queryRows ?? Array(0..<source.rows)
        let st = similarities(source, target)
        switch method {
        case .nn:
            return rows.map { topK(st[$0], k) }
        case .csls(let kc):
            let (rT, rS) = stats(source, target, k: kc)
            return rows.map { i in
                topK((0..<target.rows).map { j in (2 * st[i][j] - rT[i]) - rS[j] }, k)
            }
        case .invertedSoftmax(let beta):
            let logZ: [Float] = (0..<target.rows).map { j in
                let col = st.map { Double(beta) * Double($0[j]) }
                let m = col.max() ?? 0
                return Float(m + Foundation.log(col.reduce(0.0) { $0 + Foundation.exp($1 - m) }))
            }
            return rows.map { i in
                topK((0..<target.rows).map { j in beta * st[i][j] - logZ[j] }, k)
                    .map { (index: $0.index, score: Float(Foundation.exp(Double($0.score)))) }
            }
        }
    }
}

/// Seeded test data.
enum RetrievalData {
    /// Small-integer components (multiples of 1/4 in [-1, 1]): every dot product is exact in
    /// fp32 whatever the summation order, and ties are frequent.
    static func integerMatrix(rows: Int, cols: Int, seed: UInt64) -> Matrix {
        var g = SplitMix64(seed: seed)
        var m = Matrix(rows: rows, cols: cols)
        for i in 0..<m.storage.count { m.storage[i] = Float(Int(g.next() % 9) - 4) / 4 }
        return m
    }

    /// Random unit rows.
    static func unitMatrix(rows: Int, cols: Int, seed: UInt64) -> Matrix {
        var g = SplitMix64(seed: seed)
        var m = Matrix(rows: rows, cols: cols)
        for i in 0..<m.storage.count { m.storage[i] = g.nextFloat() * 2 - 1 }
        return NeighborSearch.unitNormalized(m)
    }
}

/// Records every tile so the sweep's coverage and memory bound can be checked.
final class RecordingVisitor: TileVisitor, @unchecked Sendable {
    var maxRows = 0, maxColumns = 0
    var seen: [Int: Float] = [:]
    let targetCount: Int
    init(targetCount: Int) { self.targetCount = targetCount }
    func beginRowBlock(rowStart: Int, rowCount: Int) {}
    func visit(tile: UnsafeMutablePointer<Float>, rowStart: Int, rowCount: Int, columnStart: Int, columnCount: Int) {
        maxRows = max(maxRows, rowCount)
        maxColumns = max(maxColumns, columnCount)
        for i in 0..<rowCount {
            for j in 0..<columnCount { seen[(rowStart + i) * targetCount + columnStart + j] = tile[i * columnCount + j] }
        }
    }
    func endRowBlock(rowStart: Int, rowCount: Int) {}
}

@Suite struct RetrievalTests {
    static let configurations: [NeighborSearch] = [
        NeighborSearch(blockRows: 1, blockColumns: 1, threads: 1),
        NeighborSearch(blockRows: 7, blockColumns: 5, threads: 2),
        NeighborSearch(blockRows: 7, blockColumns: 33, threads: 1),
        NeighborSearch(blockRows: 1000, blockColumns: 1000, threads: 2),
    ]

    static func expectSame(
        _ found: NeighborSearch.Neighbors, _ expected: [[(index: Int, score: Float)]],
        tolerance: Float = 0, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(found.queryCount == expected.count, sourceLocation: sourceLocation)
        for (i, row) in expected.enumerated() {
            let got = found[query: i]
            #expect(got.map(\.index) == row.map(\.index), "query \(i)", sourceLocation: sourceLocation)
            for (a, b) in zip(got, row) {
                #expect(abs(a.score - b.score) <= tolerance * max(1, abs(b.score)), "query \(i)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func nearestNeighboursMatchBruteForceWithTies() throws {
        let s = RetrievalData.integerMatrix(rows: 37, cols: 3, seed: 1)
        let t = RetrievalData.integerMatrix(rows: 41, cols: 3, seed: 2)
        let expected = NaiveRetrieval.search(source: s, target: t, queryRows: nil, k: 6, method: .nn)
        for config in Self.configurations {
            Self.expectSame(try config.search(source: s, target: t, k: 6, method: .nn), expected)
        }
    }

    @Test func cslsMatchesBruteForceWithTiesAndQuerySubset() throws {
        let s = RetrievalData.integerMatrix(rows: 45, cols: 4, seed: 3)
        let t = RetrievalData.integerMatrix(rows: 38, cols: 4, seed: 4)
        let rows = [44, 0, 7, 7, 19, 3]
        for method in [RetrievalMethod.csls(k: 3), .csls(k: 10)] {
            let expected = NaiveRetrieval.search(source: s, target: t, queryRows: rows, k: 5, method: method)
            for config in Self.configurations {
                Self.expectSame(try config.search(source: s, target: t, queryRows: rows, k: 5, method: method), expected)
            }
        }
    }

    @Test func cslsStatisticsMatchBruteForce() throws {
        let s = RetrievalData.integerMatrix(rows: 50, cols: 5, seed: 5)
        let t = RetrievalData.integerMatrix(rows: 29, cols: 5, seed: 6)
        let (rT, rS) = NaiveRetrieval.stats(s, t, k: 10)
        for config in Self.configurations {
            let stats = try CSLSStatistics.compute(source: s, target: t, k: 10, using: config)
            #expect(stats.rT == rT)
            #expect(stats.rS == rS)
            #expect(try CSLSStatistics.meanTopKSimilarity(queries: t, targets: s, k: 10, using: config) == rS)
        }
        // k larger than a side is clamped to that side.
        let small = try CSLSStatistics.compute(source: s, target: try s.selectingRows([0, 1, 2]), k: 10)
        #expect(small.rT.count == 50 && small.rS.count == 3)
    }

    @Test func invertedSoftmaxMatchesBruteForce() throws {
        let s = RetrievalData.unitMatrix(rows: 60, cols: 8, seed: 7)
        let t = RetrievalData.unitMatrix(rows: 45, cols: 8, seed: 8)
        for beta: Float in [1, 30] {
            let expected = NaiveRetrieval.search(source: s, target: t, queryRows: nil, k: 4, method: .invertedSoftmax(beta: beta))
            for config in Self.configurations {
                let found = try config.search(source: s, target: t, k: 4, method: .invertedSoftmax(beta: beta))
                Self.expectSame(found, expected, tolerance: 1e-4)
            }
        }
        // Probabilities: for each target, Σ over all source words of score(x → y) is 1.
        let all = try NeighborSearch(threads: 1).search(source: s, target: t, k: 45, method: .invertedSoftmax(beta: 5))
        var columnSums = [Double](repeating: 0, count: 45)
        for i in 0..<60 { for (j, p) in all[query: i] { columnSums[j] += Double(p) } }
        #expect(columnSums.allSatisfy { abs($0 - 1) < 1e-4 })
    }

    @Test func blockSizeDoesNotChangeResults() throws {
        let s = RetrievalData.unitMatrix(rows: 300, cols: 16, seed: 9)
        let t = RetrievalData.unitMatrix(rows: 257, cols: 16, seed: 10)
        for method in [RetrievalMethod.nn, .csls(k: 10), .invertedSoftmax(beta: 30)] {
            let reference = try NeighborSearch(blockRows: 1000, blockColumns: 64, threads: 1)
                .search(source: s, target: t, k: 10, method: method)
            for rows in [1, 7, 1000] {
                for threads in [1, 2] {
                    let found = try NeighborSearch(blockRows: rows, blockColumns: 64, threads: threads)
                        .search(source: s, target: t, k: 10, method: method)
                    // sgemm may round a dot product differently for another block height
                    // (last-ulp differences); rankings must not change.
                    #expect(found.indices == reference.indices, "\(method) B=\(rows)")
                    #expect(
                        zip(found.scores, reference.scores).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($1)) },
                        "\(method) B=\(rows)")
                }
            }
            // Different column tiling may round the GEMM differently; ranks must agree.
            let expected = NaiveRetrieval.search(source: s, target: t, queryRows: nil, k: 10, method: method)
            Self.expectSame(reference, expected, tolerance: 1e-4)
        }
    }

    @Test func sweepIsBlockedAndCoversEveryPairOnce() throws {
        let q = RetrievalData.unitMatrix(rows: 130, cols: 6, seed: 11)
        let t = RetrievalData.unitMatrix(rows: 77, cols: 6, seed: 12)
        let visitors = [RecordingVisitor(targetCount: 77), RecordingVisitor(targetCount: 77)]
        q.storage.withUnsafeBufferPointer { qp in
            t.storage.withUnsafeBufferPointer { tp in
                TileSweep(rowBlock: 16, columnBlock: 20, threads: 2)
                    .run(
                        queries: qp.baseAddress!, queryCount: 130, targets: tp.baseAddress!, targetCount: 77,
                        dimension: 6, visitors: visitors)
            }
        }
        #expect(visitors.allSatisfy { $0.maxRows <= 16 && $0.maxColumns <= 20 })
        let full = try Matrix.product(q, t, transposeB: true)
        var merged: [Int: Float] = [:]
        for v in visitors { merged.merge(v.seen) { a, _ in a } }
        #expect(visitors.reduce(0) { $0 + $1.seen.count } == 130 * 77)
        #expect(merged.count == 130 * 77)
        #expect(merged.allSatisfy { abs($0.value - full.storage[$0.key]) < 1e-5 })
    }

    @Test func arbitraryQueriesUseFullSourceForStatistics() throws {
        let s = RetrievalData.integerMatrix(rows: 40, cols: 3, seed: 13)
        let t = RetrievalData.integerMatrix(rows: 30, cols: 3, seed: 14)
        let rows = [5, 1, 39]
        let subset = try s.selectingRows(rows)
        for method in [RetrievalMethod.nn, .csls(k: 4)] {
            let viaRows = try NeighborSearch().search(source: s, target: t, queryRows: rows, k: 3, method: method)
            let viaQueries = try NeighborSearch().search(queries: subset, target: t, k: 3, method: method, source: s)
            #expect(viaRows == viaQueries)
        }
        let isfRows = try NeighborSearch().search(source: s, target: t, queryRows: rows, k: 3, method: .invertedSoftmax(beta: 2))
        let isfQueries = try NeighborSearch().search(queries: subset, target: t, k: 3, method: .invertedSoftmax(beta: 2), source: s)
        #expect(isfRows.indices == isfQueries.indices)
    }

    @Test func kIsClampedAndShapesAreChecked() throws {
        let s = RetrievalData.unitMatrix(rows: 5, cols: 4, seed: 15)
        let t = RetrievalData.unitMatrix(rows: 3, cols: 4, seed: 16)
        let found = try NeighborSearch().search(source: s, target: t, k: 10, method: .nn)
        #expect(found.k == 3 && found.indices.count == 15)
        let wrong = RetrievalData.unitMatrix(rows: 3, cols: 5, seed: 17)
        #expect(throws: ShapeError("source dimension 4 does not match target dimension 5")) {
            try NeighborSearch().search(source: s, target: wrong, k: 1, method: .nn)
        }
        #expect(throws: ShapeError.self) { try NeighborSearch().search(source: s, target: t, k: 0, method: .nn) }
        #expect(throws: ShapeError.self) { try NeighborSearch().search(source: s, target: t, queryRows: [5], k: 1, method: .nn) }
        #expect(throws: ShapeError.self) { try NeighborSearch().search(source: s, target: t, k: 1, method: .csls(k: 0)) }
    }

    @Test func unitNormalizationScalesRows() throws {
        let m = try Matrix(rows: 2, cols: 2, values: [3, 4, 0, 0])
        #expect(NeighborSearch.unitNormalized(m).storage == [0.6, 0.8, 0, 0])
    }

    @Test func methodsParseAndPrint() {
        #expect(RetrievalMethod(parsing: "nn") == .nn)
        #expect(RetrievalMethod(parsing: " CSLS ") == .csls(k: 10))
        #expect(RetrievalMethod(parsing: "csls:5") == .csls(k: 5))
        #expect(RetrievalMethod(parsing: "csls(20)") == .csls(k: 20))
        #expect(RetrievalMethod(parsing: "isf") == .invertedSoftmax(beta: 30))
        #expect(RetrievalMethod(parsing: "isf=12.5") == .invertedSoftmax(beta: 12.5))
        #expect(RetrievalMethod(parsing: "csls:0") == nil)
        #expect(RetrievalMethod(parsing: "isf:-1") == nil)
        #expect(RetrievalMethod(parsing: "knn") == nil)
        #expect(RetrievalMethod.csls(k: 10).displayName == "CSLS (k=10)")
        #expect(RetrievalMethod.invertedSoftmax(beta: 30).displayName == "ISF (β=30)")
        #expect(RetrievalMethod.nn.token == "nn")
    }

    // MARK: - Single-sweep CSLS via candidates

    static func expectSameNeighbors(
        _ a: NeighborSearch.Neighbors, _ b: NeighborSearch.Neighbors,
        _ label: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(a.queryCount == b.queryCount && a.k == b.k, "\(label)", sourceLocation: sourceLocation)
        #expect(a.indices == b.indices, "\(label)", sourceLocation: sourceLocation)
        #expect(
            a.scores.count == b.scores.count
                && zip(a.scores, b.scores).allSatisfy { $0 == $1 || abs($0 - $1) <= 1e-6 },
            "\(label)", sourceLocation: sourceLocation)
    }

    @Test func cslsCandidatePathEqualsTwoPassPath() throws {
        // (source rows, target rows, d, k, M, kc)
        let cases: [(Int, Int, Int, Int, Int, Int)] = [
            (200, 150, 16, 1, 32, 10), (300, 257, 8, 5, 8, 10), (120, 40, 10, 3, 64, 10),
            (120, 40, 10, 3, 40, 5), (100, 90, 12, 10, 4, 10), (150, 130, 6, 2, 2, 3), (60, 70, 5, 1, 1, 1),
        ]
        for (c, (nS, nT, d, k, m, kc)) in cases.enumerated() {
            let s = RetrievalData.unitMatrix(rows: nS, cols: d, seed: UInt64(100 + c))
            let t = RetrievalData.unitMatrix(rows: nT, cols: d, seed: UInt64(200 + c))
            for (b, (rows, columns, threads)) in [(1024, 512, 2), (7, 33, 1), (16, 16, 2)].enumerated() {
                let old = NeighborSearch(blockRows: rows, blockColumns: columns, threads: threads, cslsCandidates: 0)
                let new = NeighborSearch(blockRows: rows, blockColumns: columns, threads: threads, cslsCandidates: m)
                let label = "case \(c) config \(b)"
                Self.expectSameNeighbors(
                    try new.search(source: s, target: t, k: k, method: .csls(k: kc)),
                    try old.search(source: s, target: t, k: k, method: .csls(k: kc)), label)
                // Query subsets (with a repeated row) and precomputed statistics.
                let subset = [nS - 1, 0, 3, 3, nS / 2]
                Self.expectSameNeighbors(
                    try new.search(source: s, target: t, queryRows: subset, k: k, method: .csls(k: kc)),
                    try old.search(source: s, target: t, queryRows: subset, k: k, method: .csls(k: kc)),
                    label + " subset")
                let stats = try CSLSStatistics.compute(source: s, target: t, k: kc, using: new)
                #expect((stats.candidates != nil) == (m > 0), "\(label)")
                #expect(stats == (try CSLSStatistics.compute(source: s, target: t, k: kc, using: old)), "\(label)")
                Self.expectSameNeighbors(
                    try new.search(
                        source: s, target: t, queryRows: subset, k: k,
                        method: .csls(k: kc), statistics: stats),
                    try old.search(source: s, target: t, queryRows: subset, k: k, method: .csls(k: kc)),
                    label + " subset, statistics")
                Self.expectSameNeighbors(
                    try new.search(source: s, target: t, k: k, method: .csls(k: kc), statistics: stats),
                    try old.search(source: s, target: t, k: k, method: .csls(k: kc)),
                    label + " statistics")
            }
            // The exact reference agrees too.
            let expected = NaiveRetrieval.search(source: s, target: t, queryRows: nil, k: k, method: .csls(k: kc))
            Self.expectSame(
                try NeighborSearch(cslsCandidates: m).search(source: s, target: t, k: k, method: .csls(k: kc)),
                expected, tolerance: 1e-4)
        }
    }

    @Test func cslsCandidatesUsedOnlyWhenValid() throws {
        let s = RetrievalData.unitMatrix(rows: 200, cols: 16, seed: 31)
        let t = RetrievalData.unitMatrix(rows: 180, cols: 16, seed: 32)
        let search = NeighborSearch(threads: 2, cslsCandidates: 32)
        let stats = try CSLSStatistics.compute(source: s, target: t, k: 10, using: search)
        // Random data: the certificate decides (almost) every query.
        let certified = try #require(
            search.searchCSLSByCandidates(
                source: s, target: t, queryRows: nil, k: 1,
                statistics: stats))
        #expect(certified.undecided < 20)
        // M < k: not applicable (the search then takes the two-pass path).
        #expect(search.searchCSLSByCandidates(source: s, target: t, queryRows: nil, k: 33, statistics: stats) == nil)
        let old = NeighborSearch(threads: 2, cslsCandidates: 0)
        Self.expectSameNeighbors(
            try search.search(source: s, target: t, k: 33, method: .csls(k: 10), statistics: stats),
            try old.search(source: s, target: t, k: 33, method: .csls(k: 10)), "M < k")
        // Statistics of other spaces with the same shape: candidates are not trusted.
        let other = RetrievalData.unitMatrix(rows: 200, cols: 16, seed: 33)
        #expect(search.searchCSLSByCandidates(source: other, target: t, queryRows: nil, k: 1, statistics: stats) == nil)
        // Candidates recorded for a subset cannot serve other rows.
        let partial = CSLSStatistics.compute(
            source: s, target: t, k: 10, using: search, candidates: 32,
            candidateRows: [4, 9, 4])
        #expect(search.searchCSLSByCandidates(source: s, target: t, queryRows: [9, 4], k: 2, statistics: partial) != nil)
        #expect(search.searchCSLSByCandidates(source: s, target: t, queryRows: [9, 5], k: 2, statistics: partial) == nil)
        Self.expectSameNeighbors(
            try search.search(
                source: s, target: t, queryRows: [9, 5, 4], k: 2, method: .csls(k: 10),
                statistics: partial),
            try old.search(source: s, target: t, queryRows: [9, 5, 4], k: 2, method: .csls(k: 10)),
            "partial candidates")
    }

    @Test func cslsCandidateFallbacksAreExact() throws {
        // Small-integer vectors in 3-d: exact dot products, masses of ties, so the certificate
        // often fails (k-th candidate score ≤ bound) and the exact path must take over.
        let s = RetrievalData.integerMatrix(rows: 90, cols: 3, seed: 41)
        let t = RetrievalData.integerMatrix(rows: 80, cols: 3, seed: 42)
        for (k, m, kc) in [(1, 1, 1), (1, 2, 3), (2, 3, 10), (4, 8, 5), (5, 80, 10), (3, 100, 4)] {
            let search = NeighborSearch(blockRows: 16, blockColumns: 24, threads: 2, cslsCandidates: m)
            let stats = try CSLSStatistics.compute(source: s, target: t, k: kc, using: search)
            let (found, undecided) = try #require(
                search.searchCSLSByCandidates(
                    source: s, target: t, queryRows: nil,
                    k: k, statistics: stats))
            if m < 80 { #expect(undecided > 0, "k=\(k) M=\(m)") } else { #expect(undecided == 0, "k=\(k) M=\(m)") }
            let expected = NaiveRetrieval.search(source: s, target: t, queryRows: nil, k: k, method: .csls(k: kc))
            Self.expectSame(found, expected)
            let old = NeighborSearch(blockRows: 16, blockColumns: 24, threads: 2, cslsCandidates: 0)
            Self.expectSameNeighbors(found, try old.search(source: s, target: t, k: k, method: .csls(k: kc)), "k=\(k) M=\(m)")
            let rows = [89, 0, 7, 7, 44]
            Self.expectSame(
                try search.search(source: s, target: t, queryRows: rows, k: k, method: .csls(k: kc)),
                NaiveRetrieval.search(source: s, target: t, queryRows: rows, k: k, method: .csls(k: kc)))
        }
    }

    /// Fallback rates and timings of the candidate path for several M on 50k × 300 data; runs
    /// only with XLING_BENCH_CSLS_M=1 (release build recommended). Uses the engine bench's
    /// cached inputs (XLING_BENCH_X / XLING_BENCH_Y, XLF32MAT files) when given.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["XLING_BENCH_CSLS_M"] == "1"))
    func cslsCandidateBenchmark() throws {
        let env = ProcessInfo.processInfo.environment
        func load(_ path: String?, seed: UInt64) throws -> Matrix {
            guard let path, let data = FileManager.default.contents(atPath: path) else {
                let n = Int(env["XLING_BENCH_N"] ?? "") ?? 50_000
                return RetrievalData.unitMatrix(rows: n, cols: 300, seed: seed)
            }
            let header = data.prefix(24)
            let rows = header.dropFirst(8).prefix(8).withUnsafeBytes { Int(UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self))) }
            let cols = header.dropFirst(16).prefix(8).withUnsafeBytes { Int(UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self))) }
            let values = data.dropFirst(24).withUnsafeBytes { Array($0.bindMemory(to: Float.self).prefix(rows * cols)) }
            return try Matrix(rows: rows, cols: cols, values: values)
        }
        let s = try load(env["XLING_BENCH_X"], seed: 21)
        let t = try load(env["XLING_BENCH_Y"], seed: 22)
        let ms = (env["XLING_BENCH_MS"] ?? "32,64,128").split(separator: ",").compactMap { Int($0) }
        for m in ms {
            let search = NeighborSearch(cslsCandidates: m)
            var start = MonotonicClock.seconds()
            let stats = try CSLSStatistics.compute(source: s, target: t, k: 10, using: search)
            let statsSeconds = MonotonicClock.seconds() - start
            start = MonotonicClock.seconds()
            // M = 0: the two-pass path (second sweep over every query).
            let result =
                m > 0
                ? search.searchCSLSByCandidates(source: s, target: t, queryRows: nil, k: 1, statistics: stats)
                : (try search.search(source: s, target: t, k: 1, method: .csls(k: 10), statistics: stats), s.rows)
            let topSeconds = MonotonicClock.seconds() - start
            let undecided = result?.undecided ?? -1
            print(
                String(
                    format: "CSLS-M-BENCH n=%d M=%d: stats+candidates %.2fs, rank+fallback %.2fs, total %.2fs, fallbacks %d (%.3f%%)",
                    s.rows, m, statsSeconds, topSeconds, statsSeconds + topSeconds, undecided,
                    100 * Double(undecided) / Double(max(1, s.rows))))
        }
    }

    /// 50k × 300 CSLS timing; runs only with XLING_BENCH_CSLS=1 (release build recommended:
    /// `XLING_BENCH_CSLS=1 swift test -c release -Xswiftc -enable-testing --filter cslsBenchmark`).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["XLING_BENCH_CSLS"] == "1"))
    func cslsBenchmark() throws {
        let n = Int(ProcessInfo.processInfo.environment["XLING_BENCH_N"] ?? "") ?? 50_000
        let d = 300
        let s = RetrievalData.unitMatrix(rows: n, cols: d, seed: 21)
        let t = RetrievalData.unitMatrix(rows: n, cols: d, seed: 22)
        let search = NeighborSearch()
        let flops = 2 * Double(n) * Double(n) * Double(d)
        // Plain GEMM rate over the same work, BLAS-threaded, one 1024-row block at a time.
        var c = [Float](repeating: 0, count: 1024 * n)
        var start = MonotonicClock.seconds()
        s.storage.withUnsafeBufferPointer { sp in
            t.storage.withUnsafeBufferPointer { tp in
                c.withUnsafeMutableBufferPointer { cp in
                    var r = 0
                    while r < n {
                        let rows = min(1024, n - r)
                        BlockedGEMM.similarityTile(
                            q: sp.baseAddress! + r * d, queryCount: rows, t: tp.baseAddress!,
                            targetCount: n, dimension: d, into: cp.baseAddress!, ldc: n)
                        r += rows
                    }
                }
            }
        }
        let gemmSeconds = MonotonicClock.seconds() - start
        start = MonotonicClock.seconds()
        let stats = try CSLSStatistics.compute(source: s, target: t, k: 10, using: search)
        let statsSeconds = MonotonicClock.seconds() - start
        start = MonotonicClock.seconds()
        let top1 = try search.search(source: s, target: t, k: 1, method: .csls(k: 10), statistics: stats)
        let top1Seconds = MonotonicClock.seconds() - start
        start = MonotonicClock.seconds()
        _ = try search.search(source: s, target: t, k: 1, method: .nn)
        let nnSeconds = MonotonicClock.seconds() - start
        print(
            String(
                format: """
                    CSLS-BENCH n=%d d=%d core=%@ blas-threads=%d: plain sgemm %.2fs (%.0f GF/s); stats pass %.2fs (%.0f GF/s eff.); top-1 CSLS \
                    pass %.2fs (%.0f GF/s eff.); total CSLS %.2fs; NN top-1 %.2fs
                    """,
                n, d, BLAS.coreName, BLAS.threads, gemmSeconds, flops / gemmSeconds / 1e9, statsSeconds, flops / statsSeconds / 1e9,
                top1Seconds, flops / top1Seconds / 1e9, statsSeconds + top1Seconds, nnSeconds))
        #expect(top1.queryCount == n)
    }
}
