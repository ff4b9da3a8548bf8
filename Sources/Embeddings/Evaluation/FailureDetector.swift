/// Tells a real alignment from no alignment, for methods that have no dictionary to check
/// against (VecMap, MUSE, a multilingual LM's shared space).
///
/// A method's model-selection criterion c (higher = better) means little on its own: its value
/// without any alignment depends on the spaces (dimension, vocabulary size, hubness). So it is
/// set next to a **null distribution**: the same criterion for a few placements that carry no
/// alignment (for a mapping: random orthogonal maps of the source; for another model, whatever
/// "untrained" means there), giving mean μ₀, spread σ₀ and maximum m₀. The verdict:
///
/// - `failed` when c ≤ m₀ + 3σ₀ or c − μ₀ < `minimumLift` · |μ₀|: indistinguishable from no
///   alignment (an optimised map can exceed the null by a little without aligning anything,
///   so a z-score alone is not enough: the lift must be large in absolute terms too);
/// - `succeeded` when c − μ₀ ≥ `strongLift` · |μ₀| and c > m₀ + 6σ₀;
/// - `doubtful` in between.
///
/// Calibration (fi–fr and en–fr vectors, 300-d, CSLS mean cosine): random rotations score
/// 0.26–0.33 with σ₀ < 0.002; a working alignment scores ≥ 0.45 (lift ≥ 40 %); a space mapped
/// onto Gaussian noise reaches a lift of a few percent at most.
public enum FailureDetector {
    /// The three verdicts.
    public enum Verdict: String, Sendable, Equatable {
        case succeeded, doubtful, failed
    }

    /// A criterion judged against its null distribution.
    public struct Judgement: Sendable, Equatable {
        /// What was measured, e.g. `mean CSLS cosine of the top 10,000 source words`.
        public var criterion: String
        /// The method's value c.
        public var value: Double
        /// The null samples (criterion without alignment).
        public var null: [Double]
        /// The verdict.
        public var verdict: Verdict

        /// μ₀.
        public var nullMean: Double { null.isEmpty ? 0 : null.reduce(0, +) / Double(null.count) }
        /// σ₀ (population).
        public var nullSpread: Double {
            guard null.count > 1 else { return 0 }
            let m = nullMean
            return (null.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(null.count)).squareRoot()
        }
        /// m₀.
        public var nullMax: Double { null.max() ?? 0 }
        /// (c − μ₀) / |μ₀|, the relative lift over no alignment.
        public var lift: Double { abs(nullMean) > 0 ? (value - nullMean) / abs(nullMean) : .infinity }

        /// The verdict in words, with the numbers.
        public var sentence: String {
            let numbers = """
                \(criterion): \(fixed(value)) vs \(fixed(nullMean)) ± \(fixed(nullSpread)) (max \(fixed(nullMax))) \
                for \(null.count) random placements without alignment, lift \(Int((lift * 100).rounded())) %
                """
            switch verdict {
            case .succeeded: return "aligned: \(numbers)"
            case .doubtful: return "doubtful, barely above no alignment: \(numbers); check with a small dictionary before using it"
            case .failed:
                return "failed, indistinguishable from no alignment: \(numbers); do not use this mapping"
            }
        }

        private func fixed(_ x: Double) -> String {
            let scaled = (x * 1000).rounded() / 1000
            return String(scaled)
        }
    }

    /// Minimum relative lift over μ₀ for anything but `failed`.
    public static let minimumLift = 0.10
    /// Relative lift over μ₀ needed for `succeeded`.
    public static let strongLift = 0.25

    /// Judges `value` against `null` (criterion: higher is better).
    public static func judge(criterion: String, value: Double, null: [Double]) -> Judgement {
        var judgement = Judgement(criterion: criterion, value: value, null: null, verdict: .failed)
        let spread = judgement.nullSpread, top = judgement.nullMax
        let lift = judgement.lift
        if !value.isFinite || value <= top + 3 * spread || lift < minimumLift {
            judgement.verdict = .failed
        } else if lift >= strongLift && value > top + 6 * spread {
            judgement.verdict = .succeeded
        } else {
            judgement.verdict = .doubtful
        }
        return judgement
    }

    /// A random orthogonal d × d matrix (Gaussian entries from `rng`, then U·Vᵀ of their SVD).
    public static func randomOrthogonal(_ d: Int, rng: inout SplitMix64) throws -> Matrix {
        var g = Matrix(rows: d, cols: d)
        var i = 0
        while i < d * d {
            let u1 = max(Double(rng.nextFloat()), 1e-12), u2 = Double(rng.nextFloat())
            let r = (-2 * log(u1)).squareRoot()
            g.storage[i] = Float(r * cos(2 * Double.pi * u2))
            if i + 1 < d * d { g.storage[i + 1] = Float(r * sin(2 * Double.pi * u2)) }
            i += 2
        }
        let svd = try SVD(g)
        return try Matrix.product(svd.u, svd.vt)
    }

    /// MUSE's unsupervised model-selection criterion: the mean cosine between each of the first
    /// `top` source rows and its CSLS-`k` nearest target among the first `top` target rows
    /// (rows unit-normalised here; any scale in).
    public static func meanCSLSCosine(
        source: Matrix, target: Matrix, top: Int = 10_000, k: Int = 10, search: NeighborSearch = NeighborSearch()
    ) throws -> Double {
        let s = NeighborSearch.unitNormalized(try source.selectingRows(Array(0..<min(top, source.rows))))
        let t = NeighborSearch.unitNormalized(try target.selectingRows(Array(0..<min(top, target.rows))))
        guard s.rows > 0, t.rows > 0 else { return 0 }
        let found = try search.search(source: s, target: t, k: 1, method: .csls(k: min(k, t.rows, s.rows)))
        var sum = 0.0
        for i in 0..<s.rows {
            let j = found.indices[i]
            guard j >= 0 else { continue }
            var dot: Float = 0
            for c in 0..<s.cols { dot += s.storage[i * s.cols + c] * t.storage[j * t.cols + c] }
            sum += Double(dot)
        }
        return sum / Double(s.rows)
    }

    /// The judgement of a mapping: `meanCSLSCosine` of the mapped spaces against the same
    /// criterion for `rotations` random orthogonal maps of the (unmapped, normalised) source.
    ///
    /// - Parameters:
    ///   - mappedSource, mappedTarget: the spaces as the mapping leaves them (rows are words).
    ///   - source, target: the normalised spaces before mapping (equal dimensions).
    public static func judgeMapping(
        mappedSource: Matrix, mappedTarget: Matrix, source: Matrix, target: Matrix,
        rotations: Int = 5, seed: UInt64 = 0, top: Int = 10_000, search: NeighborSearch = NeighborSearch()
    ) throws -> Judgement {
        let value = try meanCSLSCosine(source: mappedSource, target: mappedTarget, top: top, search: search)
        var rng = SplitMix64(seed: seed ^ 0x6E75_6C6C)
        let head = try source.selectingRows(Array(0..<min(top, source.rows)))
        var null: [Double] = []
        for _ in 0..<max(1, rotations) {
            let r = try randomOrthogonal(source.cols, rng: &rng)
            null.append(try meanCSLSCosine(source: Matrix.product(head, r), target: target, top: top, search: search))
        }
        let size = min(top, source.rows, target.rows)
        return judge(criterion: "mean CSLS cosine of the top \(size) source words", value: value, null: null)
    }
}

#if canImport(Glibc)
import Glibc
#endif
