#if canImport(Glibc)
import Glibc
#endif

/// Batched top-k retrieval of target words for source queries under NN, CSLS or the inverted
/// softmax, with bounded memory.
///
/// **Inputs must be unit-normalised rows** (cosine = dot product); this type does not check
/// or normalise — use `NeighborSearch.unitNormalized(_:)` for a normalised copy.
///
/// Similarities are computed tile by tile (`blockRows` queries × `blockColumns` targets per
/// tile) with `cblas_sgemm`, and each tile is reduced at once by a SIMD-screened partial
/// top-k selection, on `threads` worker threads (each running single-threaded GEMM on its own
/// tiles). Memory: O(threads × blockRows × blockColumns) for the tiles plus O(m × k) for the
/// result (plus O(n × k) per thread for CSLS statistics); no query × vocabulary matrix exists.
///
/// Ranking: descending score, ties broken by the lower target index (the same as a stable
/// sort on (−score, index)). Scores are computed with the same float32 operations as the
/// numpy reference (`Tests/reference/retrieval_reference.py`): NN `s`, CSLS
/// `(2·s − r_T(x)) − r_S(y)`, ISF ranked by `β·s − log Z(y)` and reported as its `exp`.
public struct NeighborSearch: Sendable {
    /// Query rows per block (B); default 1024.
    public var blockRows: Int
    /// Target columns per tile; default 512 (a 1024 × 512 fp32 tile is 2 MB, one L2).
    public var blockColumns: Int
    /// Worker threads; default the number of online CPUs. With more than one, OpenBLAS is
    /// switched to one thread for the duration of a search and restored afterwards.
    public var threads: Int
    /// CSLS candidates per query (M; default `defaultCSLSCandidates`, 0 disables). With
    /// M > 0, CSLS top-k retrieval with k ≤ M makes a single GEMM sweep: the statistics pass
    /// also records every query's top-M cosines, CSLS is ranked among them, and a certificate
    /// (see `CSLSCandidates`) proves the result exact; only the queries it cannot certify are
    /// re-ranked by a second sweep over just those rows. Results are identical to the
    /// two-pass path. Costs O(queries × M) memory (8 bytes per entry). Statistics computed
    /// by `CSLSStatistics.compute(using:)` with this setting carry the candidates for reuse.
    public var cslsCandidates: Int

    /// How VecMap's one-sweep iteration (`OneSweepCandidates`) computes its tiles; every other
    /// search computes fp32 tiles. Default `.fastest`.
    public var screen: SimilarityScreen

    /// The default `cslsCandidates`.
    public static let defaultCSLSCandidates = 32

    /// A search configuration; values below 1 are raised to 1 (`cslsCandidates` below 0 to
    /// 0), `threads` nil = online CPUs.
    public init(
        blockRows: Int = 1024, blockColumns: Int = 512, threads: Int? = nil,
        cslsCandidates: Int = NeighborSearch.defaultCSLSCandidates, screen: SimilarityScreen = .fastest
    ) {
        self.screen = screen
        self.blockRows = max(1, blockRows)
        self.blockColumns = max(1, blockColumns)
        self.threads = max(1, threads ?? TileSweep.defaultThreads)
        self.cslsCandidates = max(0, cslsCandidates)
    }

    var sweep: TileSweep { TileSweep(rowBlock: blockRows, columnBlock: blockColumns, threads: threads) }

    /// Top-k results: for query i, entries `i * k ..< (i + 1) * k` of `indices` / `scores`,
    /// best first. `k` is the requested k clamped to the number of targets. A row can only be
    /// short (padded with index −1 and score −∞) when some of its scores are NaN.
    public struct Neighbors: Sendable, Equatable {
        /// Number of queries (m).
        public let queryCount: Int
        /// Neighbours per query (columns of the flat arrays).
        public let k: Int
        /// Target row indices, `queryCount × k` row-major.
        public var indices: [Int]
        /// Scores (cosine, CSLS value or inverted-softmax probability), `queryCount × k`.
        public var scores: [Float]

        /// The neighbours of query `i`, best first.
        public subscript(query i: Int) -> [(index: Int, score: Float)] {
            (0..<k).compactMap { l in
                let index = indices[i * k + l]
                return index >= 0 ? (index: index, score: scores[i * k + l]) : nil
            }
        }

        /// The target indices of query `i`, best first.
        public func targets(ofQuery i: Int) -> ArraySlice<Int> { indices[(i * k)..<((i + 1) * k)] }

        /// All rows as `[[(index, score)]]`.
        public var rows: [[(index: Int, score: Float)]] { (0..<queryCount).map { self[query: $0] } }
    }

    /// A copy of `matrix` with every row scaled to unit Euclidean length (norm accumulated in
    /// Double; zero rows stay zero).
    public static func unitNormalized(_ matrix: Matrix) -> Matrix {
        var out = matrix
        let d = matrix.cols
        guard d > 0 else { return out }
        out.storage.withUnsafeMutableBufferPointer { p in
            for i in 0..<matrix.rows {
                var sum = 0.0
                for j in 0..<d {
                    let x = Double(p[i * d + j])
                    sum += x * x
                }
                guard sum > 0 else { continue }
                let scale = Float(1 / sum.squareRoot())
                for j in 0..<d { p[i * d + j] *= scale }
            }
        }
        return out
    }

    static func checkDimensions(_ source: Matrix, _ target: Matrix) throws(ShapeError) {
        guard source.cols == target.cols else {
            throw ShapeError("source dimension \(source.cols) does not match target dimension \(target.cols)")
        }
    }

    /// Retrieves the top `k` targets for source rows.
    ///
    /// - Parameters:
    ///   - source: the whole (mapped) source space, `nS × d`, unit rows. Queries are its rows
    ///     `queryRows` (all rows when nil); CSLS's r_S and the inverted softmax's normaliser
    ///     are always taken over all of `source`.
    ///   - target: the target space, `nT × d`, unit rows.
    ///   - queryRows: source row indices to query (each in `0 ..< nS`), or nil for all.
    ///   - k: neighbours per query (clamped to `nT`; ≥ 1).
    ///   - method: NN, CSLS or inverted softmax.
    ///   - statistics: precomputed CSLS statistics for exactly these spaces and the method's
    ///     k (computed when nil or when its k differs). For CSLS with k ≤ `cslsCandidates`,
    ///     statistics computed here (or by `CSLSStatistics.compute` with candidates) make the
    ///     retrieval a single sweep; statistics without candidates take the two-pass path.
    /// - Returns: `queryRows.count × k` neighbours (row order = `queryRows`).
    /// - Throws: `ShapeError` for a dimension mismatch, k < 1, a bad row index or bad
    ///   method parameters.
    public func search(
        source: Matrix, target: Matrix, queryRows: [Int]? = nil, k: Int,
        method: RetrievalMethod, statistics: CSLSStatistics? = nil
    ) throws(ShapeError) -> Neighbors {
        try Self.checkDimensions(source, target)
        try Self.checkMethod(method, k: k)
        if let queryRows {
            for r in queryRows where r < 0 || r >= source.rows {
                throw ShapeError("query row \(r) outside the \(source.rows)-row source")
            }
        }
        var queries: Matrix {
            get throws(ShapeError) { try queryRows.map { rows throws(ShapeError) in try Self.gather(source, rows: rows) } ?? source }
        }
        switch method {
        case .nn:
            return run(queries: try queries, target: target, k: k, transform: .none)
        case .csls(let kc):
            let useCandidates = cslsCandidates > 0 && k <= cslsCandidates
            let stats: CSLSStatistics
            if let statistics, statistics.k == kc, statistics.rT.count == source.rows, statistics.rS.count == target.rows {
                stats = statistics
            } else {
                // Candidates only for the query rows (r_S still needs every source row).
                stats = CSLSStatistics.compute(
                    source: source, target: target, k: kc, using: self,
                    candidates: useCandidates ? cslsCandidates : 0,
                    candidateRows: queryRows)
            }
            if useCandidates,
                let (found, _) = searchCSLSByCandidates(
                    source: source, target: target, queryRows: queryRows,
                    k: k, statistics: stats)
            {
                return found
            }
            let rT = queryRows.map { $0.map { stats.rT[$0] } } ?? stats.rT
            return run(queries: try queries, target: target, k: k, transform: .csls(rT: rT, rS: stats.rS))
        case .invertedSoftmax(let beta):
            let logZ = try invertedSoftmaxLogNormalizer(source: source, target: target, beta: beta)
            return run(queries: try queries, target: target, k: k, transform: .invertedSoftmax(beta: beta, logZ: logZ))
        }
    }

    /// Retrieves the top `k` targets for arbitrary query vectors (not necessarily rows of
    /// `source`). `source` (default: the queries themselves) is the source vocabulary over
    /// which CSLS's r_S and the inverted softmax's normaliser are taken; r_T of each query is
    /// computed against all of `target`. All rows unit-normalised by the caller.
    /// - Throws: `ShapeError` for mismatched dimensions, k < 1 or bad method parameters.
    public func search(
        queries: Matrix, target: Matrix, k: Int, method: RetrievalMethod,
        source: Matrix? = nil
    ) throws(ShapeError) -> Neighbors {
        let source = source ?? queries
        try Self.checkDimensions(queries, target)
        try Self.checkDimensions(source, target)
        try Self.checkMethod(method, k: k)
        switch method {
        case .nn:
            return run(queries: queries, target: target, k: k, transform: .none)
        case .csls(let kc):
            let rS = SimilarityStatistics.run(
                queries: source, targets: target, rowK: 0, columnK: kc,
                beta: nil, search: self
            ).columnMeans
            if cslsCandidates > 0 && k <= cslsCandidates {
                // r_T pass records the candidates; ranking needs no further sweep (see CSLSCandidates).
                let pass = SimilarityStatistics.run(
                    queries: queries, targets: target, rowK: kc, columnK: 0, beta: nil,
                    search: self, candidates: cslsCandidates)
                var stats = CSLSStatistics(k: kc, rT: pass.rowMeans, rS: rS)
                stats.candidates = pass.candidates
                if let (found, _) = searchCSLSByCandidates(
                    source: queries, target: target, queryRows: nil, k: k,
                    statistics: stats)
                {
                    return found
                }
                return run(queries: queries, target: target, k: k, transform: .csls(rT: stats.rT, rS: rS))
            }
            let rT = try CSLSStatistics.meanTopKSimilarity(queries: queries, targets: target, k: kc, using: self)
            return run(queries: queries, target: target, k: k, transform: .csls(rT: rT, rS: rS))
        case .invertedSoftmax(let beta):
            let logZ = try invertedSoftmaxLogNormalizer(source: source, target: target, beta: beta)
            return run(queries: queries, target: target, k: k, transform: .invertedSoftmax(beta: beta, logZ: logZ))
        }
    }

    /// The inverted-softmax normaliser of Smith et al. (2017) in log space:
    /// `log Z(y) = log Σ_{x ∈ source} exp(β · cos(x, y))` for every target row y, computed in
    /// one blocked pass with a running log-sum-exp per target (max-shifted, terms `expf`,
    /// sums in Double). Rows unit-normalised by the caller.
    /// - Throws: `ShapeError` for mismatched dimensions or a non-finite / non-positive β.
    public func invertedSoftmaxLogNormalizer(source: Matrix, target: Matrix, beta: Float) throws(ShapeError) -> [Float] {
        try Self.checkDimensions(source, target)
        guard beta.isFinite, beta > 0 else { throw ShapeError("inverted softmax needs a finite β > 0, got \(beta)") }
        guard source.rows > 0 else { return [Float](repeating: -.infinity, count: target.rows) }
        return SimilarityStatistics.run(
            queries: source, targets: target, rowK: 0, columnK: 0,
            beta: beta, search: self
        ).columnLogSumExp
    }

    static func checkMethod(_ method: RetrievalMethod, k: Int) throws(ShapeError) {
        guard k >= 1 else { throw ShapeError("retrieval needs k ≥ 1, got \(k)") }
        switch method {
        case .nn: break
        case .csls(let kc):
            guard kc >= 1 else { throw ShapeError("CSLS needs k ≥ 1, got \(kc)") }
        case .invertedSoftmax(let beta):
            guard beta.isFinite, beta > 0 else { throw ShapeError("inverted softmax needs a finite β > 0, got \(beta)") }
        }
    }

    static func gather(_ matrix: Matrix, rows: [Int]) throws(ShapeError) -> Matrix {
        let d = matrix.cols
        var values = [Float](repeating: 0, count: rows.count * d)
        for (i, r) in rows.enumerated() {
            for j in 0..<d { values[i * d + j] = matrix.storage[r * d + j] }
        }
        return try Matrix(rows: rows.count, cols: d, values: values)
    }

    /// One retrieval sweep with a per-element score transform.
    func run(queries: Matrix, target: Matrix, k requested: Int, transform: ScoreTransform) -> Neighbors {
        let m = queries.rows, n = target.rows
        let k = min(requested, n)
        guard m > 0, k > 0 else { return Neighbors(queryCount: m, k: max(0, k), indices: [], scores: []) }
        var indices = [Int32](repeating: -1, count: m * k)
        var scores = [Float](repeating: -.infinity, count: m * k)
        let sweep = self.sweep
        indices.withUnsafeMutableBufferPointer { ip in
            scores.withUnsafeMutableBufferPointer { sp in
                transform.withPointers { rowOffsets, columnOffsets in
                    var visitors: [RetrievalVisitor] = []
                    for _ in 0..<sweep.threads {
                        visitors.append(
                            RetrievalVisitor(
                                k: k, rowBlock: sweep.rowBlock, transform: transform,
                                rowOffsets: rowOffsets, columnOffsets: columnOffsets,
                                outValues: sp.baseAddress, outIndices: ip.baseAddress))
                    }
                    queries.storage.withUnsafeBufferPointer { q in
                        target.storage.withUnsafeBufferPointer { t in
                            guard let qp = q.baseAddress, let tp = t.baseAddress else { return }
                            sweep.run(
                                queries: qp, queryCount: m, targets: tp, targetCount: n,
                                dimension: queries.cols, visitors: visitors)
                        }
                    }
                }
            }
        }
        if case .invertedSoftmax = transform {
            for i in 0..<scores.count where indices[i] >= 0 { scores[i] = expf(scores[i]) }
        }
        return Neighbors(queryCount: m, k: k, indices: indices.map { Int($0) }, scores: scores)
    }
}

/// How raw cosines become ranking scores inside a retrieval sweep.
enum ScoreTransform {
    /// score = s.
    case none
    /// score = (2·s − rT[query]) − rS[target].
    case csls(rT: [Float], rS: [Float])
    /// ranking score = β·s − logZ[target] (exp'd for reporting).
    case invertedSoftmax(beta: Float, logZ: [Float])

    func withPointers<R>(_ body: (UnsafePointer<Float>?, UnsafePointer<Float>?) -> R) -> R {
        switch self {
        case .none:
            return body(nil, nil)
        case .csls(let rT, let rS):
            return rT.withUnsafeBufferPointer { a in rS.withUnsafeBufferPointer { b in body(a.baseAddress, b.baseAddress) } }
        case .invertedSoftmax(_, let logZ):
            return logZ.withUnsafeBufferPointer { b in body(nil, b.baseAddress) }
        }
    }
}

/// Per-thread state of a retrieval sweep: the transformed tile is screened into the current
/// row block's top-k lists, which are copied to the shared outputs (disjoint rows) at the end
/// of the block.
final class RetrievalVisitor: TileVisitor {
    let k: Int
    let mode: Int // 0 none, 1 csls, 2 isf
    let beta: Float
    let rowOffsets: UnsafePointer<Float>?
    let columnOffsets: UnsafePointer<Float>?
    let outValues: UnsafeMutablePointer<Float>?
    let outIndices: UnsafeMutablePointer<Int32>?
    let values: UnsafeMutablePointer<Float>
    let indices: UnsafeMutablePointer<Int32>
    var filled: [Int]

    init(
        k: Int, rowBlock: Int, transform: ScoreTransform, rowOffsets: UnsafePointer<Float>?,
        columnOffsets: UnsafePointer<Float>?, outValues: UnsafeMutablePointer<Float>?,
        outIndices: UnsafeMutablePointer<Int32>?
    ) {
        self.k = k
        switch transform {
        case .none:
            mode = 0
            beta = 1
        case .csls:
            mode = 1
            beta = 2
        case .invertedSoftmax(let b, _):
            mode = 2
            beta = b
        }
        self.rowOffsets = rowOffsets
        self.columnOffsets = columnOffsets
        self.outValues = outValues
        self.outIndices = outIndices
        let rows = max(1, rowBlock)
        values = .allocate(capacity: rows * k)
        indices = .allocate(capacity: rows * k)
        filled = [Int](repeating: 0, count: rows)
    }

    deinit {
        values.deallocate()
        indices.deallocate()
    }

    func beginRowBlock(rowStart: Int, rowCount: Int) {
        for i in 0..<rowCount { filled[i] = 0 }
    }

    func visit(
        tile: UnsafeMutablePointer<Float>, rowStart: Int, rowCount: Int,
        columnStart: Int, columnCount: Int
    ) {
        typealias Lanes = TopKSelection.Lanes
        let w = TopKSelection.width
        filled.withUnsafeMutableBufferPointer { filled in
            for i in 0..<rowCount {
                let row = tile + i * columnCount
                if mode != 0, let columnOffsets {
                    let col = columnOffsets + columnStart
                    let scale = Lanes(repeating: beta)
                    let rowOffset: Float = mode == 1 ? (rowOffsets?[rowStart + i] ?? 0) : 0
                    let shift = Lanes(repeating: rowOffset)
                    var j = 0
                    if mode == 1 {
                        // (2·s − r_T) − r_S, evaluated left to right like numpy.
                        while j + w <= columnCount {
                            let v = UnsafeRawPointer(row + j).loadUnaligned(as: Lanes.self)
                            let c = UnsafeRawPointer(col + j).loadUnaligned(as: Lanes.self)
                            UnsafeMutableRawPointer(row + j).storeBytes(of: (scale * v - shift) - c, as: Lanes.self)
                            j += w
                        }
                        while j < columnCount {
                            row[j] = (beta * row[j] - rowOffset) - col[j]
                            j += 1
                        }
                    } else {
                        // β·s − log Z.
                        while j + w <= columnCount {
                            let v = UnsafeRawPointer(row + j).loadUnaligned(as: Lanes.self)
                            let c = UnsafeRawPointer(col + j).loadUnaligned(as: Lanes.self)
                            UnsafeMutableRawPointer(row + j).storeBytes(of: scale * v - c, as: Lanes.self)
                            j += w
                        }
                        while j < columnCount {
                            row[j] = beta * row[j] - col[j]
                            j += 1
                        }
                    }
                }
                TopKSelection.scanRow(
                    row, count: columnCount, indexOffset: columnStart,
                    values: values + i * k, indices: indices + i * k,
                    filled: &filled[i], k: k)
            }
        }
    }

    func endRowBlock(rowStart: Int, rowCount: Int) {
        guard let outValues, let outIndices else { return }
        for i in 0..<rowCount {
            let count = filled[i]
            (outValues + (rowStart + i) * k).update(from: values + i * k, count: count)
            (outIndices + (rowStart + i) * k).update(from: indices + i * k, count: count)
        }
    }
}
