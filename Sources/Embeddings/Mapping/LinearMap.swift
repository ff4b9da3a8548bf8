/// A fitted linear map on row vectors: y = (x − μ) · W.
///
/// Shapes: `weights` W is d_src × d_out; `sourceMean` μ (optional) has length d_src and is
/// subtracted from every input row before multiplying. Inputs are n×d_src matrices whose rows
/// are words; outputs are n×d_out.
///
/// `method` and `parameters` record how the map was fitted (e.g. `procrustes`,
/// `["pairs": "5000"]`) so that mapped spaces and notebooks can say what was done.
public struct LinearMap: Sendable, Equatable {
    /// W: d_src × d_out.
    public var weights: Matrix
    /// μ: length d_src, subtracted from each input row first; nil for a purely linear map.
    public var sourceMean: [Float]?
    /// The fitting method, e.g. `least-squares`, `procrustes`, `cca-source`, `svd-target`.
    public var method: String
    /// Method parameters as text (regulariser, number of pairs, kept dimensions, …).
    public var parameters: [String: String]

    /// A map with the given weights and optional mean; throws `ShapeError` when
    /// `sourceMean.count != weights.rows`.
    public init(weights: Matrix, sourceMean: [Float]? = nil, method: String, parameters: [String: String] = [:]) throws(ShapeError) {
        if let sourceMean, sourceMean.count != weights.rows {
            throw ShapeError("mean of length \(sourceMean.count) does not fit a \(weights.shapeDescription) map")
        }
        self.weights = weights
        self.sourceMean = sourceMean
        self.method = method
        self.parameters = parameters
    }

    /// The identity map on d-dimensional vectors (W = I_d, no mean).
    public static func identity(_ d: Int, method: String = "identity") -> LinearMap {
        LinearMap(unchecked: .identity(d), sourceMean: nil, method: method, parameters: [:])
    }

    init(unchecked weights: Matrix, sourceMean: [Float]?, method: String, parameters: [String: String]) {
        self.weights = weights
        self.sourceMean = sourceMean
        self.method = method
        self.parameters = parameters
    }

    /// d_src, the input dimension (`weights.rows`).
    public var inputDimension: Int { weights.rows }
    /// d_out, the output dimension (`weights.cols`).
    public var outputDimension: Int { weights.cols }

    /// Whether W has orthonormal columns (WᵀW ≈ I, max entry error ≤ `tolerance`), i.e. W is
    /// orthogonal when square. Such a map preserves dot products and lengths (after the mean).
    public func isOrthogonal(tolerance: Float = 1e-4) -> Bool {
        weights.hasOrthonormalColumns(tolerance: tolerance)
    }

    /// (X − 1μᵀ)·W for X: n×d_src (rows are words) → n×d_out. Throws `ShapeError` naming both
    /// shapes when `x.cols != d_src`.
    public func apply(to x: Matrix) throws(ShapeError) -> Matrix {
        guard x.cols == weights.rows else {
            throw ShapeError("cannot apply a \(weights.shapeDescription) map to a \(x.shapeDescription) matrix")
        }
        let input = try sourceMean.map { (mean: [Float]) throws(ShapeError) in try x.subtractingFromRows(mean) } ?? x
        return try Matrix.product(input, weights)
    }

    /// The space with every vector mapped (n×d_src → n×d_out); vocabulary, language and the
    /// recorded normalisations are kept (a map is not a normalisation; note that only an
    /// orthogonal map without mean keeps unit-length rows unit-length).
    public func apply(to space: EmbeddingSpace) throws(ShapeError) -> EmbeddingSpace {
        try EmbeddingSpace(
            vocabulary: space.vocabulary, vectors: apply(to: space.vectors),
            language: space.language, normalizations: space.normalizations)
    }

    /// The map back from the output space: x = y·W⁻¹ + μ, written in the same form
    /// (y − μ′)·W′ with W′ = W⁻¹ and μ′ = −μ·W.
    ///
    /// - Orthogonal W (square, WᵀW ≈ I within 1e-4): W⁻¹ = Wᵀ exactly (no solve).
    /// - Other square W: W⁻¹ from an LU solve (`LinearSolve.inverse`, LAPACK `sgesv`).
    /// - Throws: `MappingError.notInvertible` for a non-square W (a dimension-reducing map) or
    ///   a singular / numerically singular W (the underlying `LinearAlgebraError` text is
    ///   included).
    public func inverse() throws -> LinearMap {
        guard weights.isSquare else {
            throw MappingError.notInvertible("W is \(weights.shapeDescription); only square maps can be inverted")
        }
        let inverseWeights: Matrix
        let how: String
        if isOrthogonal() {
            inverseWeights = weights.transposed()
            how = "transpose"
        } else {
            do {
                inverseWeights = try LinearSolve.inverse(weights)
            } catch let error as LinearAlgebraError {
                throw MappingError.notInvertible("W (\(weights.shapeDescription)) is singular: \(error)")
            }
            how = "lu"
        }
        let mean = try sourceMean.map { (mu: [Float]) throws(ShapeError) -> [Float] in
            try Matrix.product(.rowVector(mu), weights).storage.map { -$0 }
        }
        var parameters = self.parameters
        parameters["inverse"] = how
        return LinearMap(unchecked: inverseWeights, sourceMean: mean, method: "inverse(\(method))", parameters: parameters)
    }
}

/// The result of a method that may map both sides into a shared space: `source` maps the
/// source language, `target` the target language (nil = the target space is used unchanged,
/// as for least squares and Procrustes).
///
/// `singularValues` is the spectrum behind the fit where there is one: the canonical
/// correlations for CCA, the singular values of XᵀY for Procrustes and the SVD mapping (only
/// the kept ones after reduction); empty for least squares.
public struct BilingualMapping: Sendable, Equatable {
    /// Maps source vectors (d_src → d_shared).
    public var source: LinearMap
    /// Maps target vectors (d_tgt → d_shared), or nil when the target space is kept as is.
    public var target: LinearMap?
    /// Descending spectrum of the fit (see the type's documentation).
    public var singularValues: [Float]

    /// A mapping from its parts.
    public init(source: LinearMap, target: LinearMap? = nil, singularValues: [Float] = []) {
        self.source = source
        self.target = target
        self.singularValues = singularValues
    }

    /// Maps both spaces (the target is returned unchanged when `target` is nil).
    public func apply(source sourceSpace: EmbeddingSpace, target targetSpace: EmbeddingSpace) throws(ShapeError) -> (
        source: EmbeddingSpace, target: EmbeddingSpace
    ) {
        let mappedSource = try source.apply(to: sourceSpace)
        let mappedTarget = try target.map { (map: LinearMap) throws(ShapeError) in try map.apply(to: targetSpace) } ?? targetSpace
        return (mappedSource, mappedTarget)
    }
}
