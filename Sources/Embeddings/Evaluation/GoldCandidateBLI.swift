import XlingCore

#if canImport(Glibc)
import Glibc
#endif

/// Wada & Iwata's (2018) word-alignment protocol (`%eval bli … candidates=gold`): M one-to-one
/// gold pairs (x_i, y_i), and each source word x_i ranked only against the M gold target words
/// y_1 … y_M. Scores live in the M × M cosine matrix C (unit rows): NN is C itself; CSLS is
/// 2·C_ij − r_T(i) − r_S(j) with r_T(i) the mean of the K largest entries of row i and r_S(j) of
/// column j (K = 10 in the paper), i.e. neighbourhoods *inside* the M candidates; the inverted
/// softmax normalises exp(β·C_ij) over the M sources of column j. x_i is correct at k when fewer
/// than k candidates score strictly higher than y_i. Chance is k/M.
public enum GoldCandidateBLI {
    /// The precision of one retrieval method.
    public struct MethodResult: Sendable, Equatable {
        public var method: RetrievalMethod
        /// Cut-offs and the pairs correct at each (same order).
        public var ks: [Int]
        public var correct: [Int]
        /// Pairs evaluated (M).
        public var pairs: Int

        /// P@k in [0, 1], or nil for a k not asked for.
        public func precision(at k: Int) -> Double? {
            ks.firstIndex(of: k).map { Double(correct[$0]) / Double(max(pairs, 1)) }
        }
    }

    /// One-to-one pairs of `dictionary` with both words in the vocabularies: the pairs visited in
    /// a seeded random order, each kept unless its source or target word is already used, the
    /// first `count` kept (fewer when the dictionary has fewer). Returns vocabulary ids.
    public static func pairs(
        dictionary: [(source: String, target: String)], source: Vocabulary, target: Vocabulary, count: Int, seed: UInt64
    ) -> [(source: Int, target: Int)] {
        var candidates: [(source: Int, target: Int)] = []
        var seenPair = Set<Int64>()
        for pair in dictionary {
            guard let s = source.id(pair.source), let t = target.id(pair.target), seenPair.insert(Int64(s) << 32 | Int64(t)).inserted else {
                continue
            }
            candidates.append((s, t))
        }
        var generator = SplitMix64(seed: seed ^ 0x676f_6c64)
        for i in stride(from: candidates.count - 1, to: 0, by: -1) {
            candidates.swapAt(i, Int(generator.next() % UInt64(i + 1)))
        }
        var usedSource = Set<Int>(), usedTarget = Set<Int>()
        var chosen: [(source: Int, target: Int)] = []
        for pair in candidates where chosen.count < count {
            guard !usedSource.contains(pair.source), !usedTarget.contains(pair.target) else { continue }
            usedSource.insert(pair.source)
            usedTarget.insert(pair.target)
            chosen.append(pair)
        }
        return chosen
    }

    /// P@k of `methods` for the pairs (row i of `source` pairs with row i of `target`; both
    /// M × d, any norms: rows are unit-normalised here). CSLS's k is capped at M.
    public static func evaluate(source: Matrix, target: Matrix, methods: [RetrievalMethod], ks: [Int]) throws(ShapeError) -> [MethodResult]
    {
        guard source.rows == target.rows, source.cols == target.cols else {
            throw ShapeError("gold pairs: source \(source.rows) × \(source.cols) and target \(target.rows) × \(target.cols) must match")
        }
        for k in ks where k < 1 { throw ShapeError("precision@k needs k ≥ 1, got \(k)") }
        let m = source.rows
        let s = NeighborSearch.unitNormalized(source), t = NeighborSearch.unitNormalized(target)
        var cosine = Matrix(rows: m, cols: m)
        Matrix.accumulateProduct(s, t, into: &cosine, transposeB: true, beta: 0)
        return methods.map { method in
            let scores = Self.scores(cosine, method)
            var correct = [Int](repeating: 0, count: ks.count)
            for i in 0..<m {
                let gold = scores[i * m + i]
                var higher = 0
                for j in 0..<m where j != i && scores[i * m + j] > gold { higher += 1 }
                for (n, k) in ks.enumerated() where higher < k { correct[n] += 1 }
            }
            return MethodResult(method: method, ks: ks, correct: correct, pairs: m)
        }
    }

    /// The M × M scores (row-major) of `method` from the cosine matrix.
    static func scores(_ cosine: Matrix, _ method: RetrievalMethod) -> [Float] {
        let m = cosine.rows
        let c = cosine.storage
        switch method {
        case .nn:
            return c
        case .csls(let k):
            let kk = max(1, min(k, m))
            let rowMeans = (0..<m).map { i in meanOfLargest(Array(c[i * m..<(i + 1) * m]), kk) }
            let columnMeans = (0..<m).map { j in meanOfLargest((0..<m).map { c[$0 * m + j] }, kk) }
            var out = c
            for i in 0..<m {
                for j in 0..<m { out[i * m + j] = 2 * c[i * m + j] - rowMeans[i] - columnMeans[j] }
            }
            return out
        case .invertedSoftmax(let beta):
            var out = c
            for j in 0..<m {
                var top = -Float.infinity
                for i in 0..<m { top = max(top, beta * c[i * m + j]) }
                var sum = 0.0
                for i in 0..<m { sum += exp(Double(beta * c[i * m + j] - top)) }
                for i in 0..<m { out[i * m + j] = Float(exp(Double(beta * c[i * m + j] - top)) / sum) }
            }
            return out
        }
    }

    /// The mean of the `k` largest values.
    static func meanOfLargest(_ values: [Float], _ k: Int) -> Float {
        let top = values.sorted(by: >).prefix(k)
        return top.reduce(0, +) / Float(top.count)
    }
}
