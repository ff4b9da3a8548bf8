/// Choosing k for `LocallyLinearMapping` without target-language labels (Sakuma & Yoshinaga
/// 2019, §3.2 "Hyperparameter search"): map the *source* language onto itself with each
/// candidate k — every source word's task vector is rebuilt from its k nearest *other* source
/// words (j ≠ i) in the general space — and let the caller score the rebuilt source matrix
/// (e.g. the task model's accuracy on the source dev set with those embeddings).
///
/// One neighbour search with k_max + 1 serves every candidate: a word's top-k list is a prefix of
/// its top-(k+1) list (same ranking and tie rule as `NeighborSearch`), and the word itself is
/// removed from it (if it is not in the list — a duplicate vector ranked above it — the last
/// entry is dropped instead).
public enum NeighborhoodTuning {
    /// Scores every candidate k and returns the best (highest score; ties → the smaller k).
    ///
    /// - Parameters:
    ///   - generalSource: n_s×d_g general source vectors.
    ///   - specificSource: n_s×d_t task-specific source vectors (same rows).
    ///   - candidates: the k to try (each 1 ≤ k ≤ n_s − 1); duplicates are tried once, in
    ///     increasing order.
    ///   - options: δ and threads (its k is ignored).
    ///   - score: called once per k with (k, the n_s×d_t leave-self-out reconstruction); higher is
    ///     better; must be finite.
    /// - Returns: the best k and every (k, score) in increasing k.
    /// - Throws: `TransferError` for bad input or a non-finite score, and whatever `score` throws.
    public static func tune(
        generalSource: Matrix, specificSource: Matrix, candidates: [Int],
        options: LocallyLinearMappingOptions = LocallyLinearMappingOptions(),
        score: (Int, Matrix) throws -> Double
    ) throws -> (best: Int, scores: [(k: Int, score: Double)]) {
        try LocallyLinearMapping.validate(generalSource: generalSource, specificSource: specificSource)
        let ks = Array(Set(candidates)).sorted()
        guard let largest = ks.last, let smallest = ks.first else { throw TransferError.noCandidates }
        try LocallyLinearMappingOptions.validate(k: smallest, available: generalSource.rows - 1, leaveSelfOut: true)
        var checked = options
        checked.k = largest
        try checked.validate(available: generalSource.rows - 1, leaveSelfOut: true)
        let neighbors = try leaveSelfOutNeighbors(generalSource, k: largest, threads: options.threads)
        var scores: [(k: Int, score: Double)] = []
        var best: (k: Int, score: Double)?
        for k in ks {
            let rebuilt = try reconstructSource(
                generalSource: generalSource, specificSource: specificSource,
                neighbors: neighbors, largest: largest, k: k, options: options)
            let value = try score(k, rebuilt)
            guard value.isFinite else { throw TransferError.nonFiniteScore(k: k, score: value) }
            scores.append((k, value))
            if let current = best, value <= current.score { continue }
            best = (k, value)
        }
        return (best?.k ?? smallest, scores)
    }

    /// Each source word's `k` nearest other source words by cosine, n_s×k row-major, best first.
    static func leaveSelfOutNeighbors(_ generalSource: Matrix, k: Int, threads: Int) throws -> [Int] {
        let n = generalSource.rows
        let unit = NeighborSearch.unitNormalized(generalSource)
        let found = try NeighborSearch(threads: threads).search(queries: unit, target: unit, k: k + 1, method: .nn)
        let width = found.k // k + 1 (k ≤ n − 1 was checked)
        var out = [Int](repeating: 0, count: n * k)
        for i in 0..<n {
            var filled = 0
            for l in 0..<width where filled < k {
                let j = found.indices[i * width + l]
                if j != i && j >= 0 {
                    out[i * k + filled] = j
                    filled += 1
                }
            }
        }
        return out
    }

    /// The leave-self-out reconstruction with the first `k` of each word's `largest` neighbours.
    static func reconstructSource(
        generalSource: Matrix, specificSource: Matrix, neighbors: [Int], largest: Int,
        k: Int, options: LocallyLinearMappingOptions
    ) throws -> Matrix {
        let n = generalSource.rows
        var prefix = [Int](repeating: 0, count: n * k)
        for i in 0..<n {
            for j in 0..<k { prefix[i * k + j] = neighbors[i * largest + j] }
        }
        return try ReconstructionWeights.reconstruct(
            queries: generalSource, neighbors: prefix, k: k,
            generalSource: generalSource, specificSource: specificSource,
            regularization: options.regularization, threads: options.threads,
            keepWeights: false
        ).specific
    }
}
