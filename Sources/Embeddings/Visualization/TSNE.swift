#if canImport(Glibc)
import Glibc
#endif

/// t-distributed stochastic neighbour embedding into 2-d (van der Maaten & Hinton 2008;
/// Barnes-Hut: van der Maaten 2014; interpolation/FFT: Linderman et al. 2019), as openTSNE's
/// pipeline of stages:
/// affinities (`TSNEAffinities`: exact kNN by GEMM blocks up to `TSNEOptions.exactNeighborLimit` points, a
/// random-projection forest with neighbour-of-neighbour refinement above; perplexity calibration) →
/// initialisation (`TSNEInitialization`) → gradient descent (`TSNEGradient`) with momentum,
/// per-coordinate gains and early exaggeration.
///
/// Optimiser (openTSNE 1.0's `gradient_descent`): for every coordinate, the gain grows by 0.2
/// when the step's sign differs from the gradient's and becomes 0.8·gain + 0.01 otherwise;
/// step ← momentum·step − η·gain·g; each point's step is clipped to norm 5; the embedding is
/// re-centred after every iteration. The first `earlyExaggerationIterations` use P·α and
/// `earlyMomentum` (0.5), the rest P and `finalMomentum` (0.8); the step (not the gains) is reset
/// between the phases (`resetsStepAfterExaggeration`). `options.threads` workers split the kNN search, the calibration, the attraction
/// and the repulsion into fixed ranges whose sums are added in range order: the same input and
/// options (thread count included) give bit-identical coordinates.
///
/// Memory: O(N · k) for P and the neighbours, O(N) for the optimiser, and the repulsion's
/// scratch (quadtree O(N); FFT grids O(m²), m = intervals · nodes) — no N × N matrix
/// (`.exact` is O(N²) in time only).
public struct TSNE: Sendable {
    /// The run's settings.
    public var options: TSNEOptions

    /// A t-SNE with `options`.
    public init(options: TSNEOptions = TSNEOptions()) { self.options = options }

    /// Embeds the rows of `points` (N × d) into 2-d.
    ///
    /// `progress` hears after every block of the neighbour search (phase `nearest neighbours
    /// (exact)`, unit `blocks` of query rows, or `nearest neighbours (approximate)`, unit
    /// `passes`: trees then refinement rounds), once after the affinities (step 0, phase `affinities`) and after every
    /// iteration (phase `early exaggeration` or `optimization`, unit `iterations`; `loss` is
    /// KL(P‖Q) of the current embedding, the un-exaggerated objective, every `klEvery`
    /// iterations and at the last, nil otherwise); `.stop` ends the run and returns the
    /// coordinates reached (`stopped == true`; stopped during the neighbour search, the starting
    /// positions with `finalKL` NaN and no KL history).
    /// - Throws: `TSNEError` when N ≤ ⌊3·perplexity⌋, a row is not finite, d = 0 or an option is
    ///   out of range.
    public func embed(_ points: Matrix, progress: ProgressHandler = ProgressAction.ignore) throws(TSNEError) -> TSNEResult {
        try validate(points)
        let n = points.rows
        let method = options.resolvedMethod(count: n)
        let learningRate = options.resolvedLearningRate(count: n)
        let earlyLearningRate = options.resolvedLearningRate(count: n, exaggeration: options.earlyExaggeration)
        let iterations = options.iterations
        let search = options.resolvedNeighborSearch(count: n)
        let affinityStart = MonotonicClock.seconds()
        let phase = search == .exact ? "nearest neighbours (exact)" : "nearest neighbours (approximate)"
        let found = TSNEAffinities(
            points: points, perplexity: options.perplexity, threads: options.threads, search: search, forest: options.forest
        ) { done, total in
            progress(
                Progress(
                    phase: phase, step: done, total: total, unit: search == .exact ? "blocks" : "passes",
                    elapsedSeconds: MonotonicClock.since(affinityStart))) == .stop
        }
        let affinitySeconds = MonotonicClock.since(affinityStart)
        guard let p = found else {
            // Stopped during the neighbour search: the map is the start, no KL without P.
            let start = options.initialization.positions(for: points, seed: options.seed)
            var coordinates = Matrix(rows: n, cols: 2)
            for e in 0..<(2 * n) { coordinates.storage[e] = Float(start[e]) }
            return TSNEResult(
                coordinates: coordinates, klHistory: [], finalKL: .nan, completedIterations: 0, stopped: true,
                method: method, neighborSearch: search, learningRate: learningRate, earlyLearningRate: earlyLearningRate,
                affinitySeconds: affinitySeconds, optimizationSeconds: 0)
        }
        func report(_ step: Int, phase: String, kl: Double?) -> ProgressAction {
            progress(
                Progress(
                    phase: phase, step: step, total: iterations, unit: "iterations", loss: kl,
                    elapsedSeconds: MonotonicClock.since(affinityStart)))
        }
        var y = options.initialization.positions(for: points, seed: options.seed)
        var gradient = TSNEGradient(
            method: method, theta: options.theta, interpolation: options.interpolation, threads: options.threads)
        var history: [TSNEKLSample] = []
        var completed = 0
        var stopped = report(0, phase: "affinities", kl: nil) == .stop
        let optimizationStart = MonotonicClock.seconds()
        if !stopped && iterations > 0 {
            var g = [Double](repeating: 0, count: 2 * n)
            var step = [Double](repeating: 0, count: 2 * n)
            var gains = [Double](repeating: 1, count: 2 * n)
            for t in 0..<iterations {
                let early = t < options.earlyExaggerationIterations
                if t == options.earlyExaggerationIterations && t > 0 && options.resetsStepAfterExaggeration {
                    for e in 0..<(2 * n) { step[e] = 0 }
                }
                let evaluate = (t + 1) % options.klEvery == 0
                let kl = y.withUnsafeBufferPointer { py in
                    g.withUnsafeMutableBufferPointer { pg in
                        gradient.evaluate(
                            p, y: py.baseAddress!, exaggeration: early ? options.earlyExaggeration : 1,
                            into: pg.baseAddress!, evaluateKL: evaluate)
                    }
                }
                TSNE.descend(
                    y: &y, gradient: g, step: &step, gains: &gains,
                    momentum: early ? options.earlyMomentum : options.finalMomentum, learningRate: early ? earlyLearningRate : learningRate)
                completed = t + 1
                if let kl { history.append(TSNEKLSample(iteration: completed, kl: kl)) }
                let phase = early ? "early exaggeration" : "optimization"
                if report(completed, phase: phase, kl: kl) == .stop {
                    stopped = completed < iterations
                    break
                }
            }
        }
        // The KL of the returned coordinates (openTSNE also evaluates it after the last step).
        var scratch = [Double](repeating: 0, count: 2 * n)
        let finalKL =
            y.withUnsafeBufferPointer { py in
                scratch.withUnsafeMutableBufferPointer { pg in
                    gradient.evaluate(p, y: py.baseAddress!, exaggeration: 1, into: pg.baseAddress!, evaluateKL: true)
                }
            } ?? .nan
        if history.last?.iteration != completed { history.append(TSNEKLSample(iteration: completed, kl: finalKL)) }
        let optimizationSeconds = MonotonicClock.since(optimizationStart)
        var coordinates = Matrix(rows: n, cols: 2)
        for e in 0..<(2 * n) { coordinates.storage[e] = Float(y[e]) }
        return TSNEResult(
            coordinates: coordinates, klHistory: history, finalKL: finalKL,
            completedIterations: completed, stopped: stopped, method: method, neighborSearch: search,
            learningRate: learningRate, earlyLearningRate: earlyLearningRate, affinitySeconds: affinitySeconds,
            optimizationSeconds: optimizationSeconds)
    }

    /// One momentum/gains step (see the type), step-norm clipping at 5 and re-centring.
    static func descend(
        y: inout [Double], gradient g: [Double], step: inout [Double], gains: inout [Double],
        momentum: Double, learningRate: Double
    ) {
        let n = y.count / 2
        var meanX = 0.0, meanY = 0.0
        y.withUnsafeMutableBufferPointer { py in
            g.withUnsafeBufferPointer { pg in
                step.withUnsafeMutableBufferPointer { ps in
                    gains.withUnsafeMutableBufferPointer { pgain in
                        for e in 0..<(2 * n) {
                            if TSNE.sign(ps[e]) != TSNE.sign(pg[e]) {
                                pgain[e] += 0.2
                            } else {
                                pgain[e] = pgain[e] * 0.8 + 0.01
                            }
                            ps[e] = momentum * ps[e] - learningRate * pgain[e] * pg[e]
                        }
                        for i in 0..<n {
                            let norm = (ps[2 * i] * ps[2 * i] + ps[2 * i + 1] * ps[2 * i + 1]).squareRoot()
                            if norm > 5 {
                                ps[2 * i] *= 5 / norm
                                ps[2 * i + 1] *= 5 / norm
                            }
                            py[2 * i] += ps[2 * i]
                            py[2 * i + 1] += ps[2 * i + 1]
                            meanX += py[2 * i]
                            meanY += py[2 * i + 1]
                        }
                        meanX /= Double(n)
                        meanY /= Double(n)
                        for i in 0..<n {
                            py[2 * i] -= meanX
                            py[2 * i + 1] -= meanY
                        }
                    }
                }
            }
        }
    }

    @inline(__always)
    static func sign(_ x: Double) -> Int { x > 0 ? 1 : (x < 0 ? -1 : 0) }

    /// Checks the input and options; see `embed`.
    func validate(_ points: Matrix) throws(TSNEError) {
        guard options.perplexity > 0, options.perplexity.isFinite else {
            throw .invalidOption(name: "perplexity", reason: "must be a positive number, got \(options.perplexity)")
        }
        guard options.iterations >= 0 else {
            throw .invalidOption(name: "iterations", reason: "must be ≥ 0, got \(options.iterations)")
        }
        guard options.earlyExaggerationIterations >= 0 else {
            throw .invalidOption(name: "earlyExaggerationIterations", reason: "must be ≥ 0, got \(options.earlyExaggerationIterations)")
        }
        guard options.earlyExaggeration > 0, options.earlyExaggeration.isFinite else {
            throw .invalidOption(name: "earlyExaggeration", reason: "must be a positive number, got \(options.earlyExaggeration)")
        }
        if let rate = options.learningRate, !(rate > 0 && rate.isFinite) {
            throw .invalidOption(name: "learningRate", reason: "must be a positive number (or automatic), got \(rate)")
        }
        for (name, value) in [("earlyMomentum", options.earlyMomentum), ("finalMomentum", options.finalMomentum)]
        where !(value >= 0 && value < 1) {
            throw .invalidOption(name: name, reason: "must be in [0, 1) (0.5 or 0.8 is usual), got \(value)")
        }
        guard options.theta >= 0, options.theta.isFinite else {
            throw .invalidOption(name: "theta", reason: "must be ≥ 0 (0 = exact; 0.5 is usual), got \(options.theta)")
        }
        guard options.threads >= 1 else {
            throw .invalidOption(name: "threads", reason: "must be ≥ 1, got \(options.threads)")
        }
        let grid = options.interpolation
        guard (2...8).contains(grid.nodes) else {
            throw .invalidOption(name: "interpolation.nodes", reason: "must be 2 … 8 (3 is usual), got \(grid.nodes)")
        }
        guard grid.minIntervals >= 1, grid.minIntervals <= 10_000 else {
            throw .invalidOption(name: "interpolation.minIntervals", reason: "must be 1 … 10000 (50 is usual), got \(grid.minIntervals)")
        }
        guard grid.intervalWidth > 0, grid.intervalWidth.isFinite else {
            throw .invalidOption(
                name: "interpolation.intervalWidth", reason: "must be a positive number (1 is usual), got \(grid.intervalWidth)")
        }
        let forest = options.forest
        guard forest.trees >= 1, forest.cellSize >= 2, forest.probes >= 1, forest.probeShare >= 0, forest.probeShare <= 1,
            forest.lloydIterations >= 0,
            forest.refinementRounds >= 0, forest.refinementFanout >= 1
        else {
            throw .invalidOption(
                name: "forest",
                reason: """
                    needs trees ≥ 1, cellSize ≥ 2, probes ≥ 1, probeShare in 0 … 1, lloydIterations ≥ 0, refinementRounds ≥ 0, \
                    refinementFanout ≥ 1
                    """)
        }
        guard options.klEvery >= 1 else {
            throw .invalidOption(name: "klEvery", reason: "must be ≥ 1, got \(options.klEvery)")
        }
        guard points.cols > 0 else { throw .noDimensions }
        guard options.neighborCount >= 1, points.rows > options.neighborCount else {
            throw .tooFewPoints(count: points.rows, perplexity: options.perplexity)
        }
        for i in 0..<points.rows {
            for l in 0..<points.cols where !points.storage[i * points.cols + l].isFinite {
                throw .nonFinite(row: i)
            }
        }
    }

    /// The gradient g = ¼ ∂KL/∂y (2N Doubles, see `TSNEGradient`) of `coordinates` (N × 2) over
    /// `affinities` by `method` (not `.automatic`), and the KL estimate of that method; for
    /// differential tests against other implementations on the same P and Y.
    public static func gradient(
        _ affinities: TSNEAffinities, coordinates: [Double], method: TSNEMethod, theta: Double = 0.5,
        interpolation: TSNEInterpolation = TSNEInterpolation(), exaggeration: Double = 1, threads: Int = 1
    ) -> (gradient: [Double], kl: Double) {
        var g = [Double](repeating: 0, count: coordinates.count)
        var engine = TSNEGradient(
            method: method == .automatic ? .exact : method, theta: theta, interpolation: interpolation, threads: threads)
        let kl = coordinates.withUnsafeBufferPointer { py in
            g.withUnsafeMutableBufferPointer { pg in
                engine.evaluate(affinities, y: py.baseAddress!, exaggeration: exaggeration, into: pg.baseAddress!, evaluateKL: true)
            }
        }
        return (g, kl ?? .nan)
    }

    /// KL(P‖Q) of `coordinates` (N × 2) over `affinities`, with the exact Z (O(N²)); the
    /// yardstick for comparing embeddings made by different methods on the same P.
    public static func exactKL(_ affinities: TSNEAffinities, coordinates: Matrix) -> Double {
        let n = coordinates.rows
        var y = [Double](repeating: 0, count: 2 * n)
        for e in 0..<(2 * n) { y[e] = Double(coordinates.storage[e]) }
        var g = [Double](repeating: 0, count: 2 * n)
        var gradient = TSNEGradient(method: .exact, theta: 0)
        return y.withUnsafeBufferPointer { py in
            g.withUnsafeMutableBufferPointer { pg in
                gradient.evaluate(affinities, y: py.baseAddress!, exaggeration: 1, into: pg.baseAddress!, evaluateKL: true)
            }
        } ?? .nan
    }
}
