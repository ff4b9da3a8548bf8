/// The locally linear reconstruction of Sakuma & Yoshinaga (2019), eq. 3–6 (Roweis & Saul's
/// LLE weights), with trace-scaled regularisation.
///
/// For a query y (length d) and its k neighbours x_1 … x_k (rows of the general source matrix):
///
///     C_jl = (y − x_j)·(y − x_l)                  (eq. 5; k×k, in Double)
///     (C + δ·tr(C)/k·I) w = 1                      (Cholesky in Double; C is never inverted)
///     α = w / 1ᵀw                                  (eq. 4; Σ_j α_j = 1 exactly up to rounding)
///     ŷ_spec = Σ_j α_j X_spec[x_j]                  (eq. 6)
///
/// which minimises ‖y − Σ α_j x_j‖² + δ·tr(C)/k·‖α‖² subject to Σα = 1 (eq. 3 regularised).
/// When a neighbour is identical to the query ((y − x_j)·(y − x_j) = 0) α is the unit
/// vector of the first such neighbour (best ranked), so an exact match returns its task vector.
///
/// Precision: the differences (exact for fp32 inputs) and their Gram matrix are formed in
/// Double, and the k×k system is factored in Double by a small Cholesky. The regularised system
/// can have a condition number up to about k/δ (10⁴ for k = 10), and an fp32 `sgemm` Gram
/// (tried first) moved α by up to 2e-4 from the float64 reference on real fastText
/// neighbourhoods; the Double Gram costs O(k²·d) per word, below the O(n_s·d) neighbour search.
public enum ReconstructionWeights {
    /// α (length k, Σ = 1) reconstructing `query` (length d) from the rows of `neighbors`
    /// (k×d), with regularisation δ = `regularization` (≥ 0).
    ///
    /// - Throws: `TransferError` for shape mismatches, an empty neighbour set, non-finite input,
    ///   a negative δ, or (δ = 0 only) a singular local Gram matrix.
    public static func weights(
        query: [Float], neighbors: Matrix,
        regularization: Double = LocallyLinearMappingOptions.defaultRegularization
    ) throws -> [Float] {
        try TransferError.requireNonEmpty(neighbors, "the neighbour matrix")
        guard query.count == neighbors.cols else {
            throw TransferError.dimensionMismatch(source: neighbors.cols, target: query.count)
        }
        try TransferError.requireFinite(neighbors, "the neighbour matrix")
        try TransferError.requireFinite(.rowVector(query), "the query vector")
        guard regularization.isFinite, regularization >= 0 else {
            throw TransferError.invalidRegularization(what: "regularization", value: regularization)
        }
        let k = neighbors.rows
        let workspace = ReconstructionWorkspace(k: k, dimension: query.count, regularization: regularization)
        let indices = Array(0..<k)
        let outcome = query.withUnsafeBufferPointer { q in
            neighbors.storage.withUnsafeBufferPointer { x in
                indices.withUnsafeBufferPointer { n -> ReconstructionWorkspace.Outcome in
                    guard let qb = q.baseAddress, let xb = x.baseAddress, let nb = n.baseAddress else { return .singular }
                    return workspace.solve(query: qb, neighbors: nb, source: xb)
                }
            }
        }
        if case .singular = outcome { throw TransferError.singularNeighborhood(row: 0, regularization: regularization) }
        return (0..<k).map { Float(workspace.alpha[$0]) }
    }

    /// The reconstruction of every query from its neighbours (the batched core of
    /// `LocallyLinearMapping` and `NeighborhoodTuning`).
    ///
    /// - Parameters:
    ///   - queries: q×d general vectors to reconstruct (target words, or source words).
    ///   - neighbors: q·k source row indices, row-major (query i's neighbours at `i*k ..< (i+1)*k`).
    ///   - generalSource: n_s×d. specificSource: n_s×d_t (same row order).
    ///   - threads: workers over contiguous chunks of queries; results do not depend on it.
    ///   - keepWeights: whether to return α (q·k, Float) as well.
    /// - Returns: the q×d_t reconstructions (eq. 6), α when asked (else empty), the number of
    ///   exact matches.
    /// - Throws: `TransferError.singularNeighborhood` for the first query whose regularised C is
    ///   not positive definite (δ = 0 only).
    static func reconstruct(
        queries: Matrix, neighbors: [Int], k: Int, generalSource: Matrix,
        specificSource: Matrix, regularization: Double, threads: Int,
        keepWeights: Bool
    ) throws -> (specific: Matrix, weights: [Float], exactMatches: Int) {
        let q = queries.rows, d = queries.cols, dt = specificSource.cols
        precondition(neighbors.count == q * k && generalSource.cols == d && generalSource.rows == specificSource.rows)
        let chunks = WorkerThreads.run(threads: threads, count: q, initial: Chunk()) { _, range in
            reconstructChunk(
                range, queries: queries, neighbors: neighbors, k: k, generalSource: generalSource,
                specificSource: specificSource, regularization: regularization, keepWeights: keepWeights)
        }
        var output = [Float](), weights = [Float](), exact = 0
        output.reserveCapacity(q * dt)
        if keepWeights { weights.reserveCapacity(q * k) }
        for chunk in chunks {
            if let row = chunk.singularRow { throw TransferError.singularNeighborhood(row: row, regularization: regularization) }
            output += chunk.output
            weights += chunk.weights
            exact += chunk.exactMatches
        }
        return (try Matrix(rows: q, cols: dt, values: output), weights, exact)
    }

    /// One worker's share of `reconstruct`.
    struct Chunk: Sendable {
        var output: [Float] = []
        var weights: [Float] = []
        var exactMatches = 0
        var singularRow: Int?
    }

    static func reconstructChunk(
        _ range: Range<Int>, queries: Matrix, neighbors: [Int], k: Int, generalSource: Matrix,
        specificSource: Matrix, regularization: Double, keepWeights: Bool
    ) -> Chunk {
        var chunk = Chunk()
        let d = queries.cols, dt = specificSource.cols
        chunk.output = [Float](repeating: 0, count: range.count * dt)
        if keepWeights { chunk.weights = [Float](repeating: 0, count: range.count * k) }
        let workspace = ReconstructionWorkspace(k: k, dimension: d, regularization: regularization)
        var sum = [Double](repeating: 0, count: dt)
        queries.storage.withUnsafeBufferPointer { qp in
            generalSource.storage.withUnsafeBufferPointer { xp in
                specificSource.storage.withUnsafeBufferPointer { sp in
                    neighbors.withUnsafeBufferPointer { np in
                        guard let qb = qp.baseAddress, let xb = xp.baseAddress, let sb = sp.baseAddress,
                            let nb = np.baseAddress
                        else { return }
                        for (local, i) in range.enumerated() {
                            let outcome = workspace.solve(query: qb + i * d, neighbors: nb + i * k, source: xb)
                            if case .singular = outcome {
                                if chunk.singularRow == nil { chunk.singularRow = i }
                                continue
                            }
                            if case .exactMatch = outcome { chunk.exactMatches += 1 }
                            for l in 0..<dt { sum[l] = 0 }
                            for j in 0..<k {
                                let a = workspace.alpha[j]
                                guard a != 0 else { continue }
                                let row = sb + nb[i * k + j] * dt
                                for l in 0..<dt { sum[l] += a * Double(row[l]) }
                            }
                            for l in 0..<dt { chunk.output[local * dt + l] = Float(sum[l]) }
                            if keepWeights {
                                for j in 0..<k { chunk.weights[local * k + j] = Float(workspace.alpha[j]) }
                            }
                        }
                    }
                }
            }
        }
        return chunk
    }
}

/// Scratch buffers for one worker's solves: differences (k×d), C (k×k), the Cholesky factor
/// (k×k) and α (k), all Double. Not shared between threads.
final class ReconstructionWorkspace {
    /// How one query was solved.
    enum Outcome {
        case solved
        case exactMatch(Int)
        case singular
    }

    let k: Int, dimension: Int, regularization: Double
    private let differences: UnsafeMutablePointer<Double>
    private let gram: UnsafeMutablePointer<Double>
    private let factor: UnsafeMutablePointer<Double>
    /// α of the last solve (length k).
    let alpha: UnsafeMutablePointer<Double>

    init(k: Int, dimension: Int, regularization: Double) {
        self.k = k
        self.dimension = dimension
        self.regularization = regularization
        differences = .allocate(capacity: Swift.max(1, k * dimension))
        gram = .allocate(capacity: k * k)
        factor = .allocate(capacity: k * k)
        alpha = .allocate(capacity: k)
    }

    deinit {
        differences.deallocate()
        gram.deallocate()
        factor.deallocate()
        alpha.deallocate()
    }

    /// Fills `alpha` for `query` (length d) and the k source rows `neighbors[0..<k]` of `source`
    /// (stride d).
    func solve(query: UnsafePointer<Float>, neighbors: UnsafePointer<Int>, source: UnsafePointer<Float>) -> Outcome {
        let d = dimension
        for j in 0..<k {
            // A difference of two fp32 numbers is exact in Double.
            let x = source + neighbors[j] * d, out = differences + j * d
            for l in 0..<d { out[l] = Double(query[l]) - Double(x[l]) }
        }
        // C = D·Dᵀ (eq. 5), lower triangle, in Double.
        for i in 0..<k {
            for j in 0...i { gram[i * k + j] = Self.dot(differences + i * d, differences + j * d, d) }
        }
        var trace = 0.0
        for j in 0..<k {
            if gram[j * k + j] == 0 {
                // y = x_j: the neighbour's own task vector.
                for l in 0..<k { alpha[l] = 0 }
                alpha[j] = 1
                return .exactMatch(j)
            }
            trace += gram[j * k + j]
        }
        let ridge = regularization * trace / Double(k)
        // Cholesky C + ridge·I = L·Lᵀ (L in the lower triangle of `factor`).
        for j in 0..<k {
            var s = gram[j * k + j] + ridge
            for p in 0..<j { s -= factor[j * k + p] * factor[j * k + p] }
            guard s > 0, s.isFinite else { return .singular }
            let pivot = s.squareRoot()
            factor[j * k + j] = pivot
            for i in (j + 1)..<Swift.max(j + 1, k) {
                var t = gram[i * k + j]
                for p in 0..<j { t -= factor[i * k + p] * factor[j * k + p] }
                factor[i * k + j] = t / pivot
            }
        }
        // L·z = 1, then Lᵀ·w = z (w overwrites z in alpha).
        for i in 0..<k {
            var t = 1.0
            for p in 0..<i { t -= factor[i * k + p] * alpha[p] }
            alpha[i] = t / factor[i * k + i]
        }
        for i in stride(from: k - 1, through: 0, by: -1) {
            var t = alpha[i]
            for p in (i + 1)..<Swift.max(i + 1, k) { t -= factor[p * k + i] * alpha[p] }
            alpha[i] = t / factor[i * k + i]
        }
        var total = 0.0
        for j in 0..<k { total += alpha[j] }
        guard total != 0, total.isFinite else { return .singular }
        for j in 0..<k { alpha[j] /= total }
        return .solved
    }

    /// Σ a[l]·b[l] over `count` Doubles, four SIMD lanes at a time.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ count: Int) -> Double {
        var acc = SIMD4<Double>(repeating: 0), acc2 = SIMD4<Double>(repeating: 0)
        var l = 0
        while l + 8 <= count {
            let a0 = UnsafeRawPointer(a + l).loadUnaligned(as: SIMD4<Double>.self)
            let b0 = UnsafeRawPointer(b + l).loadUnaligned(as: SIMD4<Double>.self)
            let a1 = UnsafeRawPointer(a + l + 4).loadUnaligned(as: SIMD4<Double>.self)
            let b1 = UnsafeRawPointer(b + l + 4).loadUnaligned(as: SIMD4<Double>.self)
            acc += a0 * b0
            acc2 += a1 * b1
            l += 8
        }
        var total = (acc + acc2).sum()
        while l < count {
            total += a[l] * b[l]
            l += 1
        }
        return total
    }
}
