/// Tells a real alignment from no alignment, for methods that have no dictionary to check
/// against (VecMap, MUSE, a multilingual LM's shared space).
///
/// A criterion c (higher = better) means little on its own: its value without any alignment
/// depends on the spaces (dimension, vocabulary size, hubness), and an optimised map scores
/// above a random one even on noise (a 300 × 300 map has 90,000 parameters to fit a few
/// thousand induced pairs with). So it is set next to a **null distribution**: the same
/// criterion for a few placements that carry no alignment (for a mapping: random orthogonal
/// maps of the source), giving mean μ₀, spread σ₀ and maximum m₀, and it is judged with
/// `Thresholds`:
///
/// - `failed` when c ≤ m₀ + 3σ₀, c < `failBelow`, or c − μ₀ < `minimumLift`·|μ₀|: indistinguishable
///   from no alignment;
/// - `succeeded` when c ≥ `succeedAbove`, c − μ₀ ≥ `strongLift`·|μ₀| and c > m₀ + 6σ₀;
/// - `doubtful` in between.
///
/// For mappings (`judgeMapping`) the criterion is the **held-out consistency of the induced
/// dictionary**, which fitting cannot inflate: the mapped spaces induce a dictionary P (CSLS
/// nearest target of each of the `top` most frequent source words); a Procrustes map fitted on
/// the original spaces on the even-numbered pairs of P predicts the targets of the odd-numbered
/// ones; c is the fraction predicted as in P. A real alignment is consistent (c ≈ its
/// precision), a map fitted onto noise much less so. MUSE's model-selection criterion, the mean
/// cosine of P, is judged beside it with its own null (`relative`); the verdict is the worse of
/// the two. The null maps are random rotations refined by Procrustes on their own induced
/// dictionaries, so they have the fitting capacity of a self-learning method.
///
/// Calibration (measured, 300-d): the fastText en space against a rotated copy: consistency
/// 1.0, cosine 1.0 (nulls ≈ 0.09, 0.52) → succeeded; against Gaussian noise after VecMap:
/// 0.21 and 0.63 (nulls 0.10 and 0.53) → failed. At a few hundred words a map can fit noise
/// well, so only gross differences are visible there; at thousands of words the nulls drop.
public enum FailureDetector {
    /// The three verdicts.
    public enum Verdict: String, Sendable, Equatable {
        case succeeded, doubtful, failed
    }

    /// The decision rule of `judge` (see the type's documentation).
    public struct Thresholds: Sendable, Equatable {
        /// Below this the result fails whatever the null says.
        public var failBelow: Double
        /// At least this for `succeeded`.
        public var succeedAbove: Double
        /// Minimum relative lift over μ₀ for anything but `failed`.
        public var minimumLift: Double
        /// Relative lift over μ₀ needed for `succeeded`.
        public var strongLift: Double
        /// Anything but `failed` needs c ≥ `nullMultiple`·m₀ (0 = no such condition).
        public var nullMultiple: Double

        /// A rule from its numbers.
        public init(failBelow: Double, succeedAbove: Double, minimumLift: Double, strongLift: Double, nullMultiple: Double = 0) {
            self.failBelow = failBelow
            self.succeedAbove = succeedAbove
            self.minimumLift = minimumLift
            self.strongLift = strongLift
            self.nullMultiple = nullMultiple
        }

        /// For similarity-like criteria (MUSE's mean cosine, a language model's criterion): judged
        /// by the lift over the null (10 % to pass, 25 % to succeed).
        public static let relative = Thresholds(failBelow: -.infinity, succeedAbove: -.infinity, minimumLift: 0.10, strongLift: 0.25)
        /// For the held-out consistency of an induced dictionary (a fraction): below 5 % or below
        /// 3 × the best null fails, from 30 % (and 3 × the best null) succeeds.
        public static let consistency = Thresholds(failBelow: 0.05, succeedAbove: 0.30, minimumLift: 0, strongLift: 0, nullMultiple: 3)
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
        /// A second criterion reported beside the first (`judgeMapping`: MUSE's mean cosine).
        public var secondary: [Judgement] = []

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

        /// The numbers in one phrase.
        public var numbers: String {
            "\(criterion) \(fixed(value)) vs \(fixed(nullMean)) ± \(fixed(nullSpread)) (max \(fixed(nullMax))) for \(null.count) random rotations"
        }

        /// The verdict in words, with the numbers.
        public var sentence: String {
            let all = ([self] + secondary).map(\.numbers).joined(separator: "; ")
            switch verdict {
            case .succeeded: return "aligned: \(all)"
            case .doubtful: return "doubtful, barely above no alignment: \(all); check it with a small dictionary before using it"
            case .failed: return "failed, indistinguishable from no alignment: \(all); do not use this mapping"
            }
        }

        private func fixed(_ x: Double) -> String { String((x * 1000).rounded() / 1000) }
    }

    /// Judges `value` against `null` (criterion: higher is better) with `rule`.
    public static func judge(criterion: String, value: Double, null: [Double], rule: Thresholds = .relative) -> Judgement {
        var judgement = Judgement(criterion: criterion, value: value, null: null, verdict: .failed)
        let spread = judgement.nullSpread, top = judgement.nullMax, lift = judgement.lift
        if !value.isFinite || value <= top + 3 * spread || value < rule.failBelow || lift < rule.minimumLift
            || value < rule.nullMultiple * top
        {
            judgement.verdict = .failed
        } else if value >= rule.succeedAbove && lift >= rule.strongLift && value > top + 6 * spread {
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

    /// The induced dictionary of two spaces: for each of the first `top` source rows its CSLS-`k`
    /// nearest target among the first `top` target rows, and the mean cosine of those pairs
    /// (MUSE's unsupervised model-selection criterion). Rows unit-normalised here.
    public static func inducedDictionary(
        source: Matrix, target: Matrix, top: Int = 10_000, k: Int = 10, search: NeighborSearch = NeighborSearch()
    ) throws -> (targets: [Int], meanCosine: Double) {
        let s = NeighborSearch.unitNormalized(try source.selectingRows(Array(0..<min(top, source.rows))))
        let t = NeighborSearch.unitNormalized(try target.selectingRows(Array(0..<min(top, target.rows))))
        guard s.rows > 0, t.rows > 0 else { return ([], 0) }
        let found = try search.search(source: s, target: t, k: 1, method: .csls(k: min(k, t.rows, s.rows)))
        var sum = 0.0
        for i in 0..<s.rows {
            let j = found.indices[i]
            guard j >= 0 else { continue }
            var dot: Float = 0
            for c in 0..<s.cols { dot += s.storage[i * s.cols + c] * t.storage[j * t.cols + c] }
            sum += Double(dot)
        }
        return (Array(found.indices.prefix(s.rows)), sum / Double(s.rows))
    }

    /// The held-out consistency of an induced dictionary (source row i ↦ `targets[i]`): Procrustes
    /// on the even-numbered pairs of the original spaces, then the fraction of odd-numbered source
    /// rows whose CSLS nearest target (among the first `targets.count` rows) is the induced one.
    public static func heldOutConsistency(
        targets: [Int], source: Matrix, target: Matrix, k: Int = 10, search: NeighborSearch = NeighborSearch()
    ) throws -> Double {
        let n = targets.count
        guard n >= 4 else { return 0 }
        let fitRows = Array(stride(from: 0, to: n, by: 2)), testRows = Array(stride(from: 1, to: n, by: 2))
        let w = try Procrustes.fit(x: source.selectingRows(fitRows), y: target.selectingRows(fitRows.map { targets[$0] }))
        let mapped = NeighborSearch.unitNormalized(try w.apply(to: source.selectingRows(Array(0..<n))))
        let t = NeighborSearch.unitNormalized(try target.selectingRows(Array(0..<min(n, target.rows))))
        let found = try search.search(source: mapped, target: t, queryRows: testRows, k: 1, method: .csls(k: min(k, t.rows)))
        var agree = 0
        for (q, row) in testRows.enumerated() where found.indices[q] == targets[row] { agree += 1 }
        return Double(agree) / Double(testRows.count)
    }

    /// The judgement of a mapping: the held-out consistency of the dictionary the mapped spaces
    /// induce (with MUSE's mean cosine as `secondary`), each against the same criterion for
    /// `rotations` random orthogonal maps of the (unmapped, normalised) source, each refined by
    /// `refinement` Procrustes steps on its own induced dictionary (the null has the method's
    /// capacity to fit noise; 0 = plain random rotations).
    ///
    /// - Parameters:
    ///   - mappedSource, mappedTarget: the spaces as the mapping leaves them (rows are words).
    ///   - source, target: the normalised spaces before mapping (equal dimensions).
    public static func judgeMapping(
        mappedSource: Matrix, mappedTarget: Matrix, source: Matrix, target: Matrix,
        rotations: Int = 3, refinement: Int = 8, seed: UInt64 = 0, top: Int = 5_000,
        search: NeighborSearch = NeighborSearch()
    ) throws -> Judgement {
        let size = min(top, source.rows, target.rows)
        let induced = try inducedDictionary(source: mappedSource, target: mappedTarget, top: size, search: search)
        let consistency = try heldOutConsistency(targets: induced.targets, source: source, target: target, search: search)
        var rng = SplitMix64(seed: seed ^ 0x6E75_6C6C)
        let head = try source.selectingRows(Array(0..<size)), tail = try target.selectingRows(Array(0..<size))
        var nullConsistency: [Double] = [], nullCosine: [Double] = []
        for _ in 0..<max(1, rotations) {
            // A fitted map without information: a random rotation, refined like a self-learning
            // method would (Procrustes on its own induced dictionary), so the null has the same
            // capacity to fit noise as the method.
            var w = try randomOrthogonal(source.cols, rng: &rng)
            var random = try inducedDictionary(source: Matrix.product(head, w), target: tail, top: size, search: search)
            for _ in 0..<refinement {
                w = try Procrustes.fit(x: head, y: tail.selectingRows(random.targets)).weights
                random = try inducedDictionary(source: Matrix.product(head, w), target: tail, top: size, search: search)
            }
            nullCosine.append(random.meanCosine)
            nullConsistency.append(try heldOutConsistency(targets: random.targets, source: head, target: tail, search: search))
        }
        var judgement = judge(
            criterion: "held-out consistency of the induced dictionary (top \(size) words)", value: consistency,
            null: nullConsistency, rule: .consistency)
        let cosine = judge(criterion: "mean CSLS cosine", value: induced.meanCosine, null: nullCosine)
        judgement.secondary = [cosine]
        // The worse of the two verdicts.
        let order: [Verdict] = [.failed, .doubtful, .succeeded]
        judgement.verdict = order[min(order.firstIndex(of: judgement.verdict) ?? 0, order.firstIndex(of: cosine.verdict) ?? 0)]
        return judgement
    }
}

#if canImport(Glibc)
import Glibc
#endif
