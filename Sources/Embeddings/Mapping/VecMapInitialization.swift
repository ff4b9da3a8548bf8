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
/// Memory: three n×n fp32 matrices at once (n = 4,000: 192 MB); the cost is two SVDs of n×d and
/// three n×n×(d or n) GEMMs. Ties in an argmax go to the lower index (numpy's `argmax`).
public enum VecMapInitialization {
    /// VecMap's `--unsupervised_vocab`.
    public static let defaultVocabulary = 4_000

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
    /// - Throws: `LinearAlgebraError` from the SVD (non-finite input).
    public static func dictionary(
        source: Matrix, target: Matrix, vocabulary: Int = defaultVocabulary, cslsK: Int = 10,
        normalization: [EmbeddingSpace.Normalization] = [.unit, .center, .unit]
    ) throws -> TrainingPairs {
        let n = min(vocabulary, source.rows, target.rows)
        guard n > 0 else { return TrainingPairs(sourceRows: [], targetRows: []) }
        var xs = try sortedSimilarityRoot(source.selectingRows(Array(0..<n)))
        xs.apply(normalization)
        var zs = try sortedSimilarityRoot(target.selectingRows(Array(0..<n)))
        zs.apply(normalization)
        var sim = try Matrix.product(xs, zs, transposeB: true)
        if cslsK > 0 { subtractCSLSPenalty(&sim, k: cslsK) }
        let (forward, backward) = argmaxRowsAndColumns(sim)
        return TrainingPairs(sourceRows: Array(0..<n) + backward, targetRows: forward + Array(0..<n))
    }

    /// U·S·Uᵀ for X = U·S·Vᵀ (n×n, n = x.rows), each row then sorted ascending.
    static func sortedSimilarityRoot(_ x: Matrix) throws -> Matrix {
        let svd = try SVD(x)
        let us = try svd.u.scalingColumns(by: svd.singularValues)
        var root = try Matrix.product(us, svd.u, transposeB: true)
        let n = root.cols
        root.storage.withUnsafeMutableBufferPointer { p in
            for i in 0..<root.rows {
                var row = UnsafeMutableBufferPointer(rebasing: p[(i * n)..<((i + 1) * n)])
                row.sort()
            }
        }
        return root
    }

    /// M[i, j] −= r_f[i]/2 + r_b[j]/2 (fp32, the operation order of VecMap's init), where r_f[i] is
    /// the mean of row i's `k` largest entries and r_b[j] that of column j's (k clamped).
    static func subtractCSLSPenalty(_ m: inout Matrix, k: Int) {
        let rowMeans = topKMeans(m, k: k)
        let columnMeans = topKMeans(m.transposed(), k: k)
        let cols = m.cols
        m.storage.withUnsafeMutableBufferPointer { p in
            for i in 0..<m.rows {
                let half = rowMeans[i] / 2
                for j in 0..<cols { p[i * cols + j] -= half + columnMeans[j] / 2 }
            }
        }
    }

    /// The mean of each row's `k` largest entries (fp32 sum in descending order, as VecMap's
    /// `topk_mean` accumulates them one by one).
    static func topKMeans(_ m: Matrix, k: Int) -> [Float] {
        let k = min(k, m.cols)
        guard k > 0 else { return [Float](repeating: 0, count: m.rows) }
        var out = [Float](repeating: 0, count: m.rows)
        var top = [Float](repeating: -.infinity, count: k)
        m.storage.withUnsafeBufferPointer { p in
            for i in 0..<m.rows {
                for l in 0..<k { top[l] = -.infinity }
                var filled = 0
                top.withUnsafeMutableBufferPointer { t in
                    guard let tp = t.baseAddress, let rp = p.baseAddress else { return }
                    for j in 0..<m.cols {
                        let v = rp[i * m.cols + j]
                        if filled < k || v > tp[k - 1] {
                            var q = filled < k ? filled : k - 1
                            while q > 0 && tp[q - 1] < v {
                                tp[q] = tp[q - 1]
                                q -= 1
                            }
                            tp[q] = v
                            if filled < k { filled += 1 }
                        }
                    }
                }
                var sum: Float = 0
                for l in 0..<k { sum += top[l] }
                out[i] = sum / Float(k)
            }
        }
        return out
    }

    /// Index of each row's maximum and of each column's maximum (first index on ties).
    static func argmaxRowsAndColumns(_ m: Matrix) -> (rows: [Int], columns: [Int]) {
        var rowArg = [Int](repeating: 0, count: m.rows)
        var colArg = [Int](repeating: 0, count: m.cols)
        var colMax = [Float](repeating: -.infinity, count: m.cols)
        let cols = m.cols
        m.storage.withUnsafeBufferPointer { p in
            for i in 0..<m.rows {
                var best = -Float.infinity, arg = 0
                for j in 0..<cols {
                    let v = p[i * cols + j]
                    if v > best {
                        best = v
                        arg = j
                    }
                    if v > colMax[j] {
                        colMax[j] = v
                        colArg[j] = i
                    }
                }
                rowArg[i] = arg
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
