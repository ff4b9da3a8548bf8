/// VecMap's fully unsupervised initial dictionary (Artetxe, Labaka & Agirre 2018, ACL, §3.2),
/// as `map_embeddings.py --unsupervised` builds it.
///
/// On the first n = min(`vocabulary`, nX, nZ) rows of each (already normalised) space:
/// 1. the square root of the similarity matrix, √(X Xᵀ) = U·S·Uᵀ where X = U·S·Vᵀ (n×n; it does
///    not depend on the SVD's signs), for X and for Z;
/// 2. every row sorted ascending (the similarity *distribution* of a word, which is invariant
///    to the unknown rotation between the spaces);
/// 3. the sorted matrices normalised with the same chain as the spaces (VecMap: unit, center,
///    unit — `center` centres the n columns);
/// 4. M = X′·Z′ᵀ (n×n), with CSLS: M[i, j] − (r_f[i]/2 + r_b[j]/2), r_f / r_b the mean of the k
///    largest entries of row i / column j of M;
/// 5. forward ∪ backward nearest neighbours: pairs (i, argmax_j M[i, ·]) for every i, then
///    (argmax_i M[·, j], j) for every j — 2n pairs, duplicates kept (as VecMap does; they weigh
///    the Procrustes fit).
///
/// Memory: three n×n fp32 matrices at once (n = 4,000: 192 MB); the cost is two SVDs of n×d, two
/// n×n×d GEMMs and, for step 4, either the n×n×n GEMM (`sketchRank` 0) or `LowRankCSLSDictionary`
/// (n×n×r sketches and exact dot products for a few candidates per row and column; the default).
/// Ties in an argmax go to the lower index (numpy's `argmax`).
public enum VecMapInitialization {
    /// VecMap's `--unsupervised_vocab`.
    public static let defaultVocabulary = 4_000
    /// The rank of the sketch that prunes the n × n × n product (`LowRankCSLSDictionary`).
    public static let defaultSketchRank = 64

    /// The initial dictionary: `2n` pairs, forward pairs first (source rows 0 ..< n in order),
    /// then backward pairs (target rows 0 ..< n in order).
    ///
    /// - Parameters:
    ///   - source: normalised source vectors, nX × d.
    ///   - target: normalised target vectors, nZ × d (d may differ from the source's).
    ///   - vocabulary: how many of the most frequent rows of each side to compare (≥ 2).
    ///   - cslsK: CSLS neighbourhood (0 = plain nearest neighbours).
    ///   - normalization: the chain applied to the sorted similarity rows (VecMap reuses the
    ///     spaces' chain).
    ///   - threads: worker threads for the row passes (sorting, top-k means, CSLS, argmax);
    ///     the result does not depend on it (every pass is exact).
    ///   - sketchRank: with CSLS, the rank of the low-rank sketch that replaces the n × n × n
    ///     product (`LowRankCSLSDictionary`: certified bounds, exact dot products for the few
    ///     candidates, same argmaxes); 0 computes the dense product (step 4 as written).
    /// - Throws: `LinearAlgebraError` from the SVD (non-finite input).
    public static func dictionary(
        source: Matrix, target: Matrix, vocabulary: Int = defaultVocabulary, cslsK: Int = 10,
        normalization: [EmbeddingSpace.Normalization] = [.unit, .center, .unit],
        threads: Int = WorkerThreads.defaultThreads, sketchRank: Int = defaultSketchRank,
        stages: ((String, Double) -> Void)? = nil
    ) throws -> TrainingPairs {
        let n = min(vocabulary, source.rows, target.rows)
        guard n > 0 else { return TrainingPairs(sourceRows: [], targetRows: []) }
        var clock = MonotonicClock.seconds()
        func lap(_ name: String) {
            guard let stages else { return }
            let now = MonotonicClock.seconds()
            stages(name, now - clock)
            clock = now
        }
        var xs = try sortedSimilarityRoot(source.selectingRows(Array(0..<n)), threads: threads, stages: stages == nil ? nil : lap)
        xs.apply(normalization)
        lap("normalise")
        var zs = try sortedSimilarityRoot(target.selectingRows(Array(0..<n)), threads: threads, stages: stages == nil ? nil : lap)
        zs.apply(normalization)
        lap("normalise")
        if cslsK > 0 && sketchRank > 0 {
            if let found = try LowRankCSLSDictionary.argmaxes(
                xs: xs, zs: zs, k: cslsK, rank: sketchRank, threads: threads, stages: stages == nil ? nil : lap)
            {
                return TrainingPairs(sourceRows: Array(0..<n) + found.backward, targetRows: found.forward + Array(0..<n))
            }
        }
        var sim = try Matrix.product(xs, zs, transposeB: true)
        lap("n × n × n product")
        if cslsK > 0 { subtractCSLSPenalty(&sim, k: cslsK, threads: threads) }
        lap("CSLS")
        let (forward, backward) = argmaxRowsAndColumns(sim, threads: threads)
        lap("argmax")
        return TrainingPairs(sourceRows: Array(0..<n) + backward, targetRows: forward + Array(0..<n))
    }

    /// U·S·Uᵀ for X = U·S·Vᵀ (n×n, n = x.rows), each row then sorted ascending.
    static func sortedSimilarityRoot(_ x: Matrix, threads: Int = 1, stages: ((String) -> Void)? = nil) throws -> Matrix {
        let svd = try SVD(x)
        stages?("SVD")
        let us = try svd.u.scalingColumns(by: svd.singularValues)
        var root = try Matrix.product(us, svd.u, transposeB: true)
        stages?("U·S·Uᵀ")
        let n = root.cols
        root.storage.withUnsafeMutableBufferPointer { p in
            let shared = SharedBuffer(p.baseAddress!)
            _ = WorkerThreads.run(threads: threads, count: root.rows, initial: 0) { _, rows in
                let scratch = UnsafeMutablePointer<UInt32>.allocate(capacity: n)
                let counts = UnsafeMutablePointer<Int>.allocate(capacity: 2048)
                defer {
                    scratch.deallocate()
                    counts.deallocate()
                }
                for i in rows { FloatRadixSort.sort(shared.base + i * n, count: n, scratch: scratch, counts: counts) }
                return 0
            }
        }
        stages?("row sort")
        return root
    }

    /// M[i, j] −= r_f[i]/2 + r_b[j]/2 (fp32, the operation order of VecMap's init), where r_f[i] is
    /// the mean of row i's `k` largest entries and r_b[j] that of column j's (k clamped).
    static func subtractCSLSPenalty(_ m: inout Matrix, k: Int, threads: Int = 1) {
        let rowMeans = topKMeans(m, k: k, threads: threads)
        let columnMeans = topKMeans(m.transposed(), k: k, threads: threads)
        let cols = m.cols
        m.storage.withUnsafeMutableBufferPointer { p in
            let shared = SharedBuffer(p.baseAddress!)
            _ = WorkerThreads.run(threads: threads, count: m.rows, initial: 0) { _, rows in
                for i in rows {
                    let half = rowMeans[i] / 2
                    for j in 0..<cols { shared[i * cols + j] -= half + columnMeans[j] / 2 }
                }
                return 0
            }
        }
    }

    /// The mean of each row's `k` largest entries (fp32 sum in descending order, as VecMap's
    /// `topk_mean` accumulates them one by one). Rows are split over `threads`.
    static func topKMeans(_ m: Matrix, k: Int, threads: Int = 1) -> [Float] {
        let k = min(k, m.cols)
        guard k > 0 else { return [Float](repeating: 0, count: m.rows) }
        var out = [Float](repeating: 0, count: m.rows)
        let cols = m.cols
        m.storage.withUnsafeBufferPointer { p in
            out.withUnsafeMutableBufferPointer { o in
                let rows = SharedBuffer(reading: p.baseAddress!), means = SharedBuffer(o.baseAddress!)
                _ = WorkerThreads.run(threads: threads, count: m.rows, initial: 0) { _, range in
                    let top = UnsafeMutablePointer<Float>.allocate(capacity: k)
                    defer { top.deallocate() }
                    for i in range {
                        var filled = 0
                        for j in 0..<cols {
                            let v = rows[i * cols + j]
                            if filled < k || v > top[k - 1] { TopKSelection.insert(v, values: top, filled: &filled, k: k) }
                        }
                        var sum: Float = 0
                        for l in 0..<k { sum += top[l] }
                        means[i] = sum / Float(k)
                    }
                    return 0
                }
            }
        }
        return out
    }

    /// Index of each row's maximum and of each column's maximum (first index on ties). Rows are
    /// split into contiguous chunks over `threads`; the chunks' column maxima are merged in row
    /// order with a strict `>`, so the result is the sequential one.
    static func argmaxRowsAndColumns(_ m: Matrix, threads: Int = 1) -> (rows: [Int], columns: [Int]) {
        struct Columns: Sendable {
            var max: [Float] = []
            var arg: [Int] = []
        }
        var rowArg = [Int](repeating: 0, count: m.rows)
        let cols = m.cols
        let parts = m.storage.withUnsafeBufferPointer { p in
            rowArg.withUnsafeMutableBufferPointer { r in
                let values = SharedBuffer(reading: p.baseAddress!), rowOut = SharedBuffer(r.baseAddress!)
                return WorkerThreads.run(threads: threads, count: m.rows, initial: Columns()) { _, range in
                    var columns = Columns(max: [Float](repeating: -.infinity, count: cols), arg: [Int](repeating: 0, count: cols))
                    for i in range {
                        var best = -Float.infinity, arg = 0
                        for j in 0..<cols {
                            let v = values[i * cols + j]
                            if v > best {
                                best = v
                                arg = j
                            }
                            if v > columns.max[j] {
                                columns.max[j] = v
                                columns.arg[j] = i
                            }
                        }
                        rowOut[i] = arg
                    }
                    return columns
                }
            }
        }
        var colMax = [Float](repeating: -.infinity, count: cols)
        var colArg = [Int](repeating: 0, count: cols)
        for part in parts where !part.max.isEmpty {
            for j in 0..<cols where part.max[j] > colMax[j] {
                colMax[j] = part.max[j]
                colArg[j] = part.arg[j]
            }
        }
        return (rowArg, colArg)
    }
}

extension Matrix {
    /// Applies a normalisation chain to the rows/columns of a plain matrix (see
    /// `EmbeddingSpace.normalize`).
    public mutating func apply(_ steps: [EmbeddingSpace.Normalization]) {
        for step in steps {
            switch step {
            case .unit: normalizeRows()
            case .center: centerColumns()
            case .unitdim: scaleColumnsToUnitVariance()
            }
        }
    }
}
