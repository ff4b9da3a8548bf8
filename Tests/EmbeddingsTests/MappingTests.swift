import Testing

@testable import Embeddings

/// A seeded m×n matrix with entries uniform in [-1, 1).
fileprivate func randomMatrix(_ m: Int, _ n: Int, seed: UInt64) -> Matrix {
    var generator = SplitMix64(seed: seed)
    var a = Matrix(rows: m, cols: n)
    for k in 0..<a.storage.count { a.storage[k] = 2 * generator.nextFloat() - 1 }
    return a
}

/// A seeded random orthogonal d×d matrix: the U factor of the SVD of a random matrix.
fileprivate func randomOrthogonal(_ d: Int, seed: UInt64) throws -> Matrix {
    try SVD(randomMatrix(d, d, seed: seed)).u
}

fileprivate func isIdentity(_ m: Matrix, tolerance: Float) throws -> Bool {
    try m.maxAbsoluteDifference(.identity(m.rows)) <= tolerance
}

/// Pearson correlation of two equally long columns (Double).
fileprivate func correlation(_ a: [Float], _ b: [Float]) -> Double {
    let n = Double(a.count)
    let ma = a.reduce(0.0) { $0 + Double($1) } / n, mb = b.reduce(0.0) { $0 + Double($1) } / n
    var sab = 0.0, saa = 0.0, sbb = 0.0
    for (x, y) in zip(a, b) {
        let dx = Double(x) - ma, dy = Double(y) - mb
        sab += dx * dy
        saa += dx * dx
        sbb += dy * dy
    }
    return sab / (saa * sbb).squareRoot()
}

@Suite struct ProcrustesTests {
    @Test func recoversKnownRotation() throws {
        let x = randomMatrix(500, 20, seed: 2024)
        let q = try randomOrthogonal(20, seed: 7)
        let y = try Matrix.product(x, q)
        let map = try Procrustes.fit(x: x, y: y)
        #expect(map.weights.rows == 20 && map.weights.cols == 20 && map.sourceMean == nil)
        #expect(try map.weights.maxAbsoluteDifference(q) < 1e-4)
        #expect(try isIdentity(Matrix.product(map.weights, map.weights, transposeA: true), tolerance: 1e-4))
        #expect(map.isOrthogonal())
        #expect(map.method == "procrustes" && map.parameters["pairs"] == "500")
        #expect(try map.apply(to: x).maxAbsoluteDifference(y) < 1e-4)
    }

    @Test func orthogonalEvenWithNoise() throws {
        let x = randomMatrix(300, 10, seed: 1)
        let y = try Matrix.product(x, randomOrthogonal(10, seed: 2)).adding(randomMatrix(300, 10, seed: 3).scaled(by: 0.3))
        let w = try Procrustes.fit(x: x, y: y).weights
        #expect(try isIdentity(Matrix.product(w, w, transposeA: true), tolerance: 1e-4))
        #expect(throws: ShapeError.self) { try Procrustes.fit(x: x, y: Matrix(rows: 299, cols: 10)) }
        #expect(throws: MappingError.emptyDictionary(method: "procrustes")) {
            try Procrustes.fit(x: Matrix(rows: 0, cols: 10), y: Matrix(rows: 0, cols: 10))
        }
    }
}

@Suite struct LeastSquaresTests {
    @Test(arguments: LeastSquares.Solver.allCases)
    func recoversNoiselessMap(solver: LeastSquares.Solver) throws {
        let x = randomMatrix(500, 20, seed: 11)
        let a = randomMatrix(20, 15, seed: 12)
        let y = try Matrix.product(x, a)
        let map = try LeastSquares.fit(x: x, y: y, solver: solver)
        #expect(map.weights.rows == 20 && map.weights.cols == 15)
        #expect(try map.weights.maxAbsoluteDifference(a) < 1e-3)
        #expect(map.parameters["solver"] == solver.rawValue)
    }

    @Test func noisyDataMatchesNormalEquations() throws {
        let x = randomMatrix(400, 12, seed: 13)
        let y = try Matrix.product(x, randomMatrix(12, 12, seed: 14)).adding(randomMatrix(400, 12, seed: 15).scaled(by: 0.5))
        let w = try LeastSquares.fit(x: x, y: y).weights
        // Closed form (XᵀX)⁻¹XᵀY, solved here independently by Cholesky.
        let closed = try LinearSolve.cholesky(Matrix.product(x, x, transposeA: true), Matrix.product(x, y, transposeA: true))
        #expect(try w.maxAbsoluteDifference(closed) < 1e-4)
        #expect(try LeastSquares.fit(x: x, y: y, solver: .normalEquations).weights.maxAbsoluteDifference(closed) < 1e-5)
        // Optimality: the residual is orthogonal to the columns of X.
        let residual = try Matrix.product(x, w).subtracting(y)
        let gradient = try Matrix.product(x, residual, transposeA: true)
        #expect(gradient.frobeniusNorm() < 1e-3 * x.frobeniusNorm() * y.frobeniusNorm())
    }

    @Test func rankDeficientSourceIsHandled() throws {
        // Column 3 duplicates column 0: XᵀX is singular.
        var x = randomMatrix(100, 4, seed: 16)
        for i in 0..<x.rows { x[i, 3] = x[i, 0] }
        let y = randomMatrix(100, 2, seed: 17)
        let pinv = try LeastSquares.fit(x: x, y: y)
        #expect(pinv.parameters["rank"] == "3")
        // The minimum-norm solution splits the weight equally between the duplicated columns.
        for j in 0..<2 { #expect(abs(pinv.weights[0, j] - pinv.weights[3, j]) < 1e-4) }
        let ridged = try LeastSquares.fit(x: x, y: y, solver: .normalEquations)
        #expect(ridged.parameters["ridge"] != "0")
        #expect(try ridged.apply(to: x).maxAbsoluteDifference(pinv.apply(to: x)) < 1e-2)
    }
}

@Suite struct CCATests {
    /// n pairs sharing a 3-dim latent component z: X = [z, noise]·Mx, Y = [z, noise′]·My.
    static func sharedComponentData(n: Int = 2000, d: Int = 8) throws -> (x: Matrix, y: Matrix) {
        let z = randomMatrix(n, 3, seed: 41)
        let nx = randomMatrix(n, d - 3, seed: 42), ny = randomMatrix(n, d - 3, seed: 43)
        var lx = Matrix(rows: n, cols: d), ly = Matrix(rows: n, cols: d)
        for i in 0..<n {
            for j in 0..<3 {
                lx[i, j] = z[i, j]
                ly[i, j] = z[i, j]
            }
            for j in 3..<d {
                lx[i, j] = nx[i, j - 3]
                ly[i, j] = ny[i, j - 3]
            }
        }
        var x = try Matrix.product(lx, randomMatrix(d, d, seed: 44))
        var y = try Matrix.product(ly, randomMatrix(d, d, seed: 45))
        x = try x.adding(Matrix(rows: n, cols: d, repeating: 2)) // non-zero means
        y = try y.subtractingFromRows([Float](repeating: 1, count: d))
        return (x, y)
    }

    @Test func findsSharedComponent() throws {
        let (x, y) = try Self.sharedComponentData()
        let mapping = try CCA.fit(x: x, y: y)
        let rho = mapping.singularValues
        #expect(rho.count == 8)
        #expect(rho.prefix(3).allSatisfy { $0 > 0.99 })
        #expect(rho.dropFirst(3).allSatisfy { $0 < 0.2 })
        guard let target = mapping.target else {
            Issue.record("CCA must map the target")
            return
        }
        #expect(mapping.source.method == "cca-source" && target.method == "cca-target")
        #expect(mapping.source.sourceMean != nil && target.sourceMean != nil)
        let mx = try mapping.source.apply(to: x), my = try target.apply(to: y)
        // The i-th mapped columns correlate with the i-th canonical correlation.
        for i in 0..<8 { #expect(abs(correlation(mx.column(i), my.column(i)) - Double(rho[i])) < 1e-3) }
        // Aligned pairs are more correlated after the map than any original column pair.
        let mappedMean = (0..<3).map { correlation(mx.column($0), my.column($0)) }.reduce(0, +) / 3
        let originalBest = (0..<8).map { abs(correlation(x.column($0), y.column($0))) }.max() ?? 1
        #expect(mappedMean > originalBest)
        #expect(mappedMean > 0.99)
    }

    @Test func mapsWhiten() throws {
        let (x, y) = try Self.sharedComponentData()
        let mapping = try CCA.fit(x: x, y: y, epsilon: 1e-4)
        guard let target = mapping.target else {
            Issue.record("CCA must map the target")
            return
        }
        for (space, map) in [(x, mapping.source), (y, target)] {
            let mapped = try map.apply(to: space)
            #expect(mapped.meanRow().allSatisfy { abs($0) < 1e-3 })
            let covariance = try Matrix.product(mapped, mapped, transposeA: true, alpha: 1 / Float(mapped.rows))
            #expect(try isIdentity(covariance, tolerance: 1e-2))
        }
    }

    @Test func reducedDimensionAndSignsAndErrors() throws {
        let (x, y) = try Self.sharedComponentData(n: 500, d: 6)
        let mapping = try CCA.fit(x: x, y: y, dim: 3)
        #expect(mapping.source.outputDimension == 3 && mapping.target?.outputDimension == 3)
        #expect(mapping.singularValues.count == 3)
        #expect(throws: MappingError.self) { try CCA.fit(x: x, y: y, dim: 7) }
        #expect(throws: MappingError.self) { try CCA.fit(x: x, y: y, epsilon: -1) }
        // Reproducible: refitting gives the same maps to rounding. OpenBLAS's thread count is
        // process-wide and suites running in parallel change it (`%set threads=`, BlockedGEMM's
        // single-thread sections), so two fits may split their sums differently. The third
        // canonical pair of this data is weakly determined: its weights moved by 0.013 between
        // 1 and 2 OpenBLAS threads (measured), its correlation by 3e-5. A real reproducibility
        // bug (a random start, a sign flip) moves weights by O(1).
        let again = try CCA.fit(x: x, y: y, dim: 3)
        #expect(try again.source.weights.maxAbsoluteDifference(mapping.source.weights) < 0.05)
        #expect(zip(again.singularValues, mapping.singularValues).allSatisfy { abs($0 - $1) < 1e-4 })
        // With fewer pairs than dimensions, ε keeps the covariances invertible; ε = 0 fails.
        let few = randomMatrix(4, 6, seed: 50), fewY = randomMatrix(4, 6, seed: 51)
        #expect(try CCA.fit(x: few, y: fewY, epsilon: 1e-3).singularValues.count == 6)
        #expect(throws: LinearAlgebraError.self) { try CCA.fit(x: few, y: fewY, epsilon: 0) }
    }
}

@Suite struct SVDMappingTests {
    static func pairs() throws -> (x: Matrix, y: Matrix) {
        let x = randomMatrix(300, 16, seed: 61)
        let y = try Matrix.product(x, randomOrthogonal(16, seed: 62)).adding(randomMatrix(300, 16, seed: 63).scaled(by: 0.2))
        return (x, y)
    }

    @Test func bothMapsOrthogonalWithoutReduction() throws {
        let (x, y) = try Self.pairs()
        let mapping = try SVDMapping.fit(x: x, y: y)
        guard let target = mapping.target else {
            Issue.record("the SVD mapping maps the target")
            return
        }
        #expect(mapping.source.outputDimension == 16 && target.outputDimension == 16)
        #expect(mapping.source.isOrthogonal() && target.isOrthogonal())
        #expect(try isIdentity(Matrix.product(mapping.source.weights, mapping.source.weights, transposeB: true), tolerance: 1e-4))
        // Same similarities as Procrustes on the unit-normalised pairs: U·Vᵀ = W_procrustes.
        let xs = x.normalizedRows(), ys = y.normalizedRows()
        let procrustes = try Procrustes.fit(x: xs, y: ys).weights
        let uvt = try Matrix.product(mapping.source.weights, target.weights, transposeB: true)
        #expect(try uvt.maxAbsoluteDifference(procrustes) < 1e-4)
        // Sign convention: the largest-|.| entry of each source column is positive.
        for j in 0..<16 {
            let column = mapping.source.weights.column(j)
            #expect((column.max { abs($0) < abs($1) } ?? 0) > 0)
        }
        #expect(zip(mapping.singularValues, mapping.singularValues.dropFirst()).allSatisfy { $0 >= $1 })
    }

    @Test func reducesToDimOrThreshold() throws {
        let (x, y) = try Self.pairs()
        let full = try SVDMapping.fit(x: x, y: y)
        let reduced = try SVDMapping.fit(x: x, y: y, dim: 5)
        #expect(reduced.source.outputDimension == 5 && reduced.target?.outputDimension == 5)
        #expect(reduced.singularValues == Array(full.singularValues.prefix(5)))
        #expect(reduced.source.weights.hasOrthonormalColumns())
        // A threshold halfway between σ₈ and σ₉ keeps exactly 8 components.
        let sigma = full.singularValues
        let threshold = (sigma[7] + sigma[8]) / 2
        let kept = sigma.filter { $0 >= threshold }.count
        let thresholded = try SVDMapping.fit(x: x, y: y, threshold: threshold)
        #expect(kept == 8)
        #expect(thresholded.source.outputDimension == kept && thresholded.singularValues.count == kept)
        #expect(thresholded.source.parameters["threshold"] == "\(threshold)")
        #expect(try SVDMapping.fit(x: x, y: y, dim: 3, threshold: threshold).source.outputDimension == 3)
        #expect(throws: MappingError.self) { try SVDMapping.fit(x: x, y: y, dim: 0) }
        #expect(throws: MappingError.self) { try SVDMapping.fit(x: x, y: y, dim: 17) }
        #expect(throws: MappingError.self) { try SVDMapping.fit(x: x, y: y, threshold: sigma[0] * 2) }
    }
}

@Suite struct LinearMapTests {
    @Test func inverseRoundTripsForOrthogonalMaps() throws {
        let q = try randomOrthogonal(12, seed: 71)
        let mean = randomMatrix(1, 12, seed: 72).storage
        let map = try LinearMap(weights: q, sourceMean: mean, method: "procrustes", parameters: ["pairs": "10"])
        let inverse = try map.inverse()
        #expect(inverse.parameters["inverse"] == "transpose" && inverse.method == "inverse(procrustes)")
        #expect(inverse.weights == q.transposed())
        let x = randomMatrix(50, 12, seed: 73)
        #expect(try inverse.apply(to: map.apply(to: x)).maxAbsoluteDifference(x) < 1e-5)
    }

    @Test func inverseOfGeneralAndNonInvertibleMaps() throws {
        let w = randomMatrix(8, 8, seed: 74)
        let map = try LinearMap(weights: w, method: "least-squares")
        let inverse = try map.inverse()
        #expect(inverse.parameters["inverse"] == "lu")
        let x = randomMatrix(20, 8, seed: 75)
        #expect(try inverse.apply(to: map.apply(to: x)).maxAbsoluteDifference(x) < 1e-3)
        let wide = try LinearMap(weights: Matrix(rows: 8, cols: 4), method: "svd-source")
        #expect(throws: MappingError.self) { try wide.inverse() }
        let singular = try LinearMap(weights: Matrix(rows: 3, cols: 3), method: "zero")
        let error = #expect(throws: MappingError.self) { try singular.inverse() }
        #expect(error.map { "\($0)" }?.contains("singular") == true)
        #expect(throws: ShapeError.self) { try LinearMap(weights: w, sourceMean: [1, 2], method: "bad") }
        #expect(throws: ShapeError.self) { try map.apply(to: Matrix(rows: 2, cols: 7)) }
    }

    @Test func appliesToSpacesKeepingVocabulary() throws {
        let vocabulary = Vocabulary(["a", "b", "c"])
        let space = try EmbeddingSpace(
            vocabulary: vocabulary, vectors: randomMatrix(3, 4, seed: 76),
            language: "en", normalizations: [.unit])
        let map = try LinearMap(weights: randomMatrix(4, 2, seed: 77), method: "test")
        let mapped = try map.apply(to: space)
        #expect(mapped.vocabulary == vocabulary && mapped.language == "en" && mapped.dimension == 2)
        #expect(mapped.normalizations == [.unit])
        #expect(try mapped.vectors == map.apply(to: space.vectors))
    }
}

@Suite struct DictionaryPairsTests {
    @Test func gathersTrainingMatrices() throws {
        let source = try EmbeddingSpace(
            vocabulary: Vocabulary(["cat", "dog", "42"]),
            vectors: Matrix(rows: 3, cols: 2, values: [1, 1, 2, 2, 3, 3]), language: "en")
        let target = try EmbeddingSpace(
            vocabulary: Vocabulary(["perro", "gato", "42", "dog"]),
            vectors: Matrix(rows: 4, cols: 1, values: [10, 20, 30, 40]), language: "es")
        let (pairs, missing) = TrainingPairs.lookUp(
            [("cat", "gato"), ("dog", "perro"), ("cow", "vaca")],
            source: source.vocabulary, target: target.vocabulary)
        #expect(pairs == TrainingPairs(sourceRows: [0, 1], targetRows: [1, 0]) && missing == 1)
        let (x, y) = try trainingMatrices(source: source, target: target, pairs: pairs)
        #expect(x.storage == [1, 1, 2, 2] && y.storage == [20, 10])
        #expect(throws: ShapeError.self) {
            try trainingMatrices(source: source, target: target, pairs: TrainingPairs(sourceRows: [0], targetRows: [9]))
        }
        #expect(throws: ShapeError.self) {
            try trainingMatrices(source: source, target: target, pairs: TrainingPairs(sourceRows: [0, 1], targetRows: [0]))
        }
        // Identical strings: "dog" and "42"; within the top 3 of each only "42".
        #expect(IdenticalStrings.pairs(source: source, target: target) == TrainingPairs(sourceRows: [1, 2], targetRows: [3, 2]))
        #expect(IdenticalStrings.pairs(source: source, target: target, topN: 3) == TrainingPairs(sourceRows: [2], targetRows: [2]))
        #expect(IdenticalStrings.pairs(source: source, target: target, topN: 0).isEmpty)
    }

    @Test func fitsFromSpacesAndPairs() throws {
        let words = (0..<200).map { "w\($0)" }
        let x = randomMatrix(200, 6, seed: 81)
        let q = try randomOrthogonal(6, seed: 82)
        let source = try EmbeddingSpace(vocabulary: Vocabulary(words), vectors: x, language: "en")
        let target = try EmbeddingSpace(
            vocabulary: Vocabulary(words.reversed()),
            vectors: Matrix.product(x, q).selectingRows(Array((0..<200).reversed())), language: "de")
        let pairs = IdenticalStrings.pairs(source: source, target: target, topN: 200)
        #expect(pairs.count == 200)
        let map = try Procrustes.fit(source: source, target: target, pairs: pairs)
        #expect(try map.weights.maxAbsoluteDifference(q) < 1e-4)
        #expect(try LeastSquares.fit(source: source, target: target, pairs: pairs).weights.maxAbsoluteDifference(q) < 1e-3)
        #expect(try SVDMapping.fit(source: source, target: target, pairs: pairs).target != nil)
        #expect(try CCA.fit(source: source, target: target, pairs: pairs).singularValues.count == 6)
        let mapped = try BilingualMapping(source: map).apply(source: source, target: target)
        #expect(mapped.target.vectors == target.vectors && mapped.source.language == "en")
    }
}
