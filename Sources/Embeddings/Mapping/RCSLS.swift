/// Relaxed CSLS (Joulin et al. 2018, "Loss in Translation", fastText `alignment/align.py`): a
/// supervised linear map W that maximises the CSLS criterion of the dictionary pairs directly.
///
/// Row-vector convention (x ↦ x·W, W is d × d; fastText's R is Wᵀ). For n pairs (x_i, y_i) and
/// the negatives Z_S (source rows) and Z_T (target rows, VecMap/fastText: the whole vocabulary):
///
///     L(W) = −(1/n) Σ_i [ 2·⟨x_i W, y_i⟩ − (1/k) Σ_{z ∈ N_T(x_i W)} ⟨x_i W, z⟩ − (1/k) Σ_{z ∈ N_S(y_i)} ⟨z W, y_i⟩ ]
///
/// where N_T(q) are the k rows of Z_T with the largest dot product with q and N_S(y) the k rows
/// z of Z_S with the largest ⟨z W, y⟩ (plain dot products: align.py does not renormalise X W).
/// Holding the neighbour sets fixed (they are piecewise constant in W),
///
///     ∇_W L = −(1/n) [ 2·XᵀY − (1/k)·Xᵀ·A_T − (1/k)·A_Sᵀ·Y ],
///
/// A_T (n × d) the sum of each x_i's k target neighbours, A_S (n × d) the sum of each y_i's k
/// source neighbours. Neighbours come from blocked top-k sweeps (`NeighborSearch`), so memory is
/// O(n·k + tiles), never n × |vocabulary|.
///
/// Optimisation as align.py's full-batch mode: W₀ = Procrustes, then `iterations` gradient steps
/// W ← W − η·∇L (optionally followed by the spectral projection, singular values clipped to
/// [0, 1]); when the loss rises, η is halved and the previous iterate restored; η < 1e-4 stops.
public enum RCSLS {
    /// Optional constraint after each step (align.py `--model`).
    public enum Projection: String, Sendable, CaseIterable {
        /// Unconstrained (align.py default).
        case none
        /// Singular values clipped to [0, 1] (align.py `spectral`).
        case spectral
        /// Projected onto the orthogonal maps (singular values set to 1).
        case orthogonal
    }

    /// The knobs, with align.py's defaults.
    public struct Options: Sendable {
        /// Neighbourhood size k (align.py `--knn` 10).
        public var k = 10
        /// Gradient steps (align.py `--niter` 10).
        public var iterations = 10
        /// Initial step size η (align.py `--lr` 1.0).
        public var learningRate = 1.0
        /// Constraint after each step.
        public var projection = Projection.none
        /// Negatives: the first `negatives` rows of each space (align.py `--maxneg` 200,000).
        public var negatives = 200_000
        /// Blocking and threads of the neighbour sweeps.
        public var search = NeighborSearch()

        /// align.py's defaults.
        public init() {}
    }

    /// L(W) and ∇_W L.
    public struct Evaluation: Sendable {
        /// The loss (lower is better).
        public var loss: Double
        /// d × d.
        public var gradient: Matrix
    }

    /// One step of the run.
    public struct Step: Sendable, Equatable {
        /// 0-based step (align.py's `it`).
        public var iteration: Int
        /// The loss at the iterate before the step.
        public var loss: Double
        /// The step size used.
        public var learningRate: Double
    }

    /// L(W) and its gradient for pairs X (n × d), Y (n × d) and negatives Z_S, Z_T.
    /// - Throws: `ShapeError` for mismatched shapes.
    public static func evaluate(
        x: Matrix, y: Matrix, sourceNegatives zs: Matrix, targetNegatives zt: Matrix, w: Matrix, k: Int = 10,
        search: NeighborSearch = NeighborSearch()
    ) throws -> Evaluation {
        try requireAlignedPairs(x, y, method: "rcsls")
        let n = x.rows
        let xw = try Matrix.product(x, w)
        let zsw = try Matrix.product(zs, w)
        let kt = min(k, zt.rows), ks = min(k, zs.rows)
        let forward = try search.search(queries: xw, target: zt, k: kt, method: .nn)
        let backward = try search.search(queries: y, target: zsw, k: ks, method: .nn)
        var f = 0.0
        for i in 0..<(n * xw.cols) { f += 2 * Double(xw.storage[i]) * Double(y.storage[i]) }
        var fk0 = 0.0, fk1 = 0.0
        for v in forward.scores { fk0 += Double(v) }
        for v in backward.scores { fk1 += Double(v) }
        f -= fk0 / Double(kt) + fk1 / Double(ks)
        let sumT = try neighbourSums(forward, rows: zt), sumS = try neighbourSums(backward, rows: zs)
        var g = try Matrix.product(x, y, transposeA: true, alpha: 2)
        let a = try Matrix.product(x, sumT, transposeA: true, alpha: 1 / Float(kt))
        let b = try Matrix.product(sumS, y, transposeA: true, alpha: 1 / Float(ks))
        g = try g.subtracting(a).subtracting(b).scaled(by: -1 / Float(n))
        return Evaluation(loss: -f / Double(n), gradient: g)
    }

    /// Row i = Σ of the rows of `rows` that are query i's neighbours.
    static func neighbourSums(_ found: NeighborSearch.Neighbors, rows: Matrix) throws -> Matrix {
        let d = rows.cols
        var out = Matrix(rows: found.queryCount, cols: d)
        for i in 0..<found.queryCount {
            for l in 0..<found.k {
                let j = found.indices[i * found.k + l]
                guard j >= 0 else { continue }
                for c in 0..<d { out.storage[i * d + c] += rows.storage[j * d + c] }
            }
        }
        return out
    }

    /// Fits W on the pairs of two normalised spaces of equal dimension. `progress` hears phase
    /// `rcsls` per step (loss, extra `lr`); `.stop` keeps the best iterate so far.
    public static func fit(
        source: Matrix, target: Matrix, pairs: TrainingPairs, options: Options = Options(),
        progress: ProgressHandler = ProgressAction.ignore
    ) throws -> (map: LinearMap, steps: [Step], interrupted: Bool) {
        guard source.cols == target.cols else {
            throw ShapeError("rcsls needs equal dimensions: source \(source.cols), target \(target.cols)")
        }
        let x = try source.selectingRows(pairs.sourceRows), y = try target.selectingRows(pairs.targetRows)
        try requireAlignedPairs(x, y, method: "rcsls")
        let zs = try source.rows <= options.negatives ? source : source.selectingRows(Array(0..<options.negatives))
        let zt = try target.rows <= options.negatives ? target : target.selectingRows(Array(0..<options.negatives))
        var w = try Procrustes.fit(x: x, y: y).weights
        var previous: (loss: Double, w: Matrix)? = nil
        var lr = options.learningRate
        var steps: [Step] = []
        let started = MonotonicClock.seconds()
        var interrupted = false
        for iteration in 0...max(0, options.iterations) {
            if lr < 1e-4 { break }
            let eval = try evaluate(x: x, y: y, sourceNegatives: zs, targetNegatives: zt, w: w, k: options.k, search: options.search)
            if let previous, eval.loss > previous.loss {
                // The last step made things worse: halve η and go back.
                lr /= 2
                w = previous.w
                steps.append(Step(iteration: iteration, loss: eval.loss, learningRate: lr))
            } else {
                previous = (eval.loss, w)
                steps.append(Step(iteration: iteration, loss: eval.loss, learningRate: lr))
                if iteration == options.iterations { break }
                w = try w.subtracting(eval.gradient.scaled(by: Float(lr)))
                w = try project(w, options.projection)
            }
            let report = Progress(
                phase: "rcsls", step: iteration, total: max(1, options.iterations), unit: "steps", loss: eval.loss,
                elapsedSeconds: MonotonicClock.since(started), extras: [.init("lr", lr)])
            if progress(report) == .stop {
                interrupted = true
                break
            }
        }
        let best = previous?.w ?? w
        let map = try LinearMap(
            weights: best, method: "rcsls",
            parameters: ["pairs": "\(x.rows)", "k": "\(options.k)", "projection": options.projection.rawValue])
        return (map, steps, interrupted)
    }

    /// W after the constraint: spectral clips singular values to [0, 1], orthogonal sets them to 1.
    static func project(_ w: Matrix, _ projection: Projection) throws -> Matrix {
        switch projection {
        case .none: return w
        case .spectral:
            let svd = try SVD(w)
            return try Matrix.product(svd.u.scalingColumns(by: svd.singularValues.map { min(1, max(0, $0)) }), svd.vt)
        case .orthogonal:
            let svd = try SVD(w)
            return try Matrix.product(svd.u, svd.vt)
        }
    }
}
