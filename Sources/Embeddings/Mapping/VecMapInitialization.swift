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
/// Memory: three n×n fp32 matrices at once (n = 4,000: 192 MB). Cost: per side a d×d Gram and its
/// eigendecomposition (`SimilarityRoot`, in place of the SVD of n×d), one n×n×d `ssyrk`, n row sorts;
/// then for step 4 either the n×n×n GEMM (`sketchRank` 0) or `LowRankCSLSDictionary` (n×n×r sketches
/// and exact dot products for a few candidates per row and column; the default).
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
        let xs = try sortedSimilarityRoot(
            source.selectingRows(Array(0..<n)), normalization: normalization, threads: threads, stages: stages == nil ? nil : lap)
        let zs = try sortedSimilarityRoot(
            target.selectingRows(Array(0..<n)), normalization: normalization, threads: threads, stages: stages == nil ? nil : lap)
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

    /// U·S·Uᵀ for X = U·S·Vᵀ (n×n, n = x.rows, `SimilarityRoot`), each row sorted ascending, then
    /// `normalization` applied. Leading row steps (`unit`) are done on each row right after its
    /// sort, while it is in cache; the rest by `Matrix.apply(_:threads:)`. `stages` hears `SVD`
    /// (the Gram's eigendecomposition), `U·S·Uᵀ`, `row sort` and `normalise`.
    static func sortedSimilarityRoot(
        _ x: Matrix, normalization: [EmbeddingSpace.Normalization] = [], threads: Int = 1,
        stages: ((String) -> Void)? = nil
    ) throws -> Matrix {
        var root = try SimilarityRoot.compute(x, threads: threads, stages: stages)
        let n = root.cols
        let leading = normalization.prefix { $0 == .unit }.count
        root.storage.withUnsafeMutableBufferPointer { p in
            let shared = SharedBuffer(p.baseAddress!)
            _ = WorkerThreads.run(threads: threads, count: root.rows, initial: 0) { _, rows in
                let sorter = FloatRadixSort(capacity: n)
                for i in rows {
                    sorter.sort(shared.base + i * n, count: n)
                    for _ in 0..<leading { Matrix.normalizeRow(shared.base + i * n, count: n) }
                }
                return 0
            }
        }
        stages?("row sort")
        root.apply(Array(normalization.dropFirst(leading)), threads: threads)
        stages?("normalise")
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

    /// `apply(_:)` with the row passes split over `threads`: `unit` per row; `center` from column
    /// sums over fixed blocks of 64 rows added in block order (so the result does not depend on
    /// `threads`), a `unit` right after it done in the same row pass; `unitdim` as `apply(_:)`.
    mutating func apply(_ steps: [EmbeddingSpace.Normalization], threads: Int) {
        let cols = self.cols
        guard rows > 0, cols > 0 else { return }
        var s = 0
        while s < steps.count {
            let step = steps[s]
            s += 1
            switch step {
            case .unitdim: scaleColumnsToUnitVariance()
            case .unit, .center:
                let means = step == .center ? blockColumnMeans(threads: threads) : nil
                let unit = step == .unit || (s < steps.count && steps[s] == .unit)
                if step == .center && unit { s += 1 }
                storage.withUnsafeMutableBufferPointer { p in
                    let shared = SharedBuffer(p.baseAddress!)
                    _ = WorkerThreads.run(threads: threads, count: rows, initial: 0) { _, range in
                        for i in range {
                            let row = shared.base + i * cols
                            if let means { for j in 0..<cols { row[j] -= means[j] } }
                            if unit { Matrix.normalizeRow(row, count: cols) }
                        }
                        return 0
                    }
                }
            }
        }
    }

    /// The column means as Float: Double sums over blocks of 64 rows (rows split over `threads`
    /// by whole blocks), added in block order, divided by the row count.
    func blockColumnMeans(threads: Int) -> [Float] {
        let cols = self.cols, rows = self.rows, block = 64
        let blocks = (rows + block - 1) / block
        var partial = [Double](repeating: 0, count: blocks * cols)
        storage.withUnsafeBufferPointer { p in
            partial.withUnsafeMutableBufferPointer { q in
                let values = SharedBuffer(reading: p.baseAddress!), sums = SharedBuffer(q.baseAddress!)
                _ = WorkerThreads.run(threads: threads, count: blocks, initial: 0) { _, range in
                    for b in range {
                        let sum = sums.base + b * cols
                        for i in (b * block)..<min(rows, (b + 1) * block) {
                            let row = values.base + i * cols
                            for j in 0..<cols { sum[j] += Double(row[j]) }
                        }
                    }
                    return 0
                }
            }
        }
        var total = [Double](repeating: 0, count: cols)
        for b in 0..<blocks { for j in 0..<cols { total[j] += partial[b * cols + j] } }
        return total.map { Float($0 / Double(rows)) }
    }
}
