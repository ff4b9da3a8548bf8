import Testing

@testable import Embeddings

/// A seeded m×n matrix with entries uniform in [-1, 1).
fileprivate func randomMatrix(_ m: Int, _ n: Int, seed: UInt64) -> Matrix {
    var generator = SplitMix64(seed: seed)
    var a = Matrix(rows: m, cols: n)
    for k in 0..<a.storage.count { a.storage[k] = 2 * generator.nextFloat() - 1 }
    return a
}

fileprivate func relativeError(_ a: Matrix, _ b: Matrix) throws -> Float {
    try a.subtracting(b).frobeniusNorm() / max(b.frobeniusNorm(), .leastNormalMagnitude)
}

fileprivate func isIdentity(_ m: Matrix, tolerance: Float) throws -> Bool {
    try m.maxAbsoluteDifference(.identity(m.rows)) <= tolerance
}

@Suite struct MatrixOperationsTests {
    @Test func transposeIdentityAndProducts() throws {
        let a = try Matrix(rows: 2, cols: 3, values: [1, 2, 3, 4, 5, 6])
        #expect(a.transposed().storage == [1, 4, 2, 5, 3, 6])
        #expect(a.transposed().transposed() == a)
        #expect(try Matrix.product(a, .identity(3)) == a)
        // AᵀA (3×3), AAᵀ (2×2), and Aᵀ·Bᵀ against the explicit transposes.
        #expect(try Matrix.product(a, a, transposeA: true) == Matrix.product(a.transposed(), a))
        #expect(try Matrix.product(a, a, transposeB: true).storage == [14, 32, 32, 77])
        let b = randomMatrix(4, 2, seed: 3)
        let expected = try Matrix.product(a.transposed(), b.transposed())
        #expect(try Matrix.product(a, b, transposeA: true, transposeB: true).maxAbsoluteDifference(expected) < 1e-6)
        let error = #expect(throws: ShapeError.self) { try Matrix.product(a, b, transposeA: true) }
        #expect(error?.description.contains("2×3ᵀ") == true && error?.description.contains("4×2") == true)
    }

    @Test func elementwiseOperationsCheckShapes() throws {
        let a = try Matrix(rows: 2, cols: 2, values: [1, 2, 3, 4])
        let b = try Matrix(rows: 2, cols: 2, values: [4, 3, 2, 1])
        #expect(try a.adding(b).storage == [5, 5, 5, 5])
        #expect(try a.subtracting(b).storage == [-3, -1, 1, 3])
        #expect(a.scaled(by: 2).storage == [2, 4, 6, 8])
        #expect(try a.scalingColumns(by: [1, 10]).storage == [1, 20, 3, 40])
        #expect(try a.scalingRows(by: [1, 10]).storage == [1, 2, 30, 40])
        #expect(try a.subtractingFromRows([1, 2]).storage == [0, 0, 2, 2])
        let c = Matrix(rows: 3, cols: 2)
        let error = #expect(throws: ShapeError.self) { try a.adding(c) }
        #expect(error?.description == "cannot add 2×2 and 3×2 matrices")
        #expect(throws: ShapeError.self) { try a.subtractingFromRows([1, 2, 3]) }
        #expect(Matrix.identity(3).frobeniusNorm() == Float(3).squareRoot())
        #expect(Matrix.diagonal([1, 2]).storage == [1, 0, 0, 2])
    }

    @Test func rowSelectionAndStatistics() throws {
        let a = try Matrix(rows: 3, cols: 2, values: [3, 4, 0, 0, 6, 8])
        #expect(try a.selectingRows([2, 0, 2]).storage == [6, 8, 3, 4, 6, 8])
        #expect(try a.selectingColumns([1]).storage == [4, 0, 8])
        let error = #expect(throws: ShapeError.self) { try a.selectingRows([0, 3]) }
        #expect(error?.description.contains("3×2") == true)
        #expect(a.rowNorms() == [5, 0, 10])
        #expect(a.normalizedRows().storage == [0.6, 0.8, 0, 0, 0.6, 0.8])
        #expect(a.meanRow() == [3, 4])
        #expect(a.centeredColumns().meanRow() == [0, 0])
        let std = a.columnStandardDeviations()
        #expect(abs(std[0] - Float(6).squareRoot()) < 1e-6) // population std of {3, 0, 6}
        let unit = a.unitVarianceColumns().columnStandardDeviations()
        #expect(unit.allSatisfy { abs($0 - 1) < 1e-6 })
        #expect(a.normalizedColumns().columnNorms().allSatisfy { abs($0 - 1) < 1e-6 })
        #expect(a.row(2) == [6, 8] && a.column(1) == [4, 0, 8])
    }
}

@Suite struct SVDTests {
    @Test(arguments: [(30, 12), (12, 30), (20, 20)])
    func reconstructsWithOrthonormalFactors(shape: (Int, Int)) throws {
        let (m, n) = shape
        let a = randomMatrix(m, n, seed: UInt64(m * 100 + n))
        let svd = try SVD(a)
        let k = min(m, n)
        #expect(svd.u.rows == m && svd.u.cols == k && svd.vt.rows == k && svd.vt.cols == n)
        #expect(svd.singularValues.count == k)
        #expect(zip(svd.singularValues, svd.singularValues.dropFirst()).allSatisfy { $0 >= $1 })
        #expect(svd.singularValues.allSatisfy { $0 >= 0 })
        #expect(try relativeError(svd.reconstructed(), a) < 1e-4)
        #expect(try isIdentity(Matrix.product(svd.u, svd.u, transposeA: true), tolerance: 1e-4))
        #expect(try isIdentity(Matrix.product(svd.vt, svd.vt, transposeB: true), tolerance: 1e-4))
    }

    @Test func knownSingularValuesAndSignConvention() throws {
        // diag(3, 2) with a negative U column: σ = (3, 2); sign-normalised U has positive maxima.
        let a = try Matrix(rows: 2, cols: 2, values: [0, -2, 3, 0])
        let svd = try SVD(a)
        #expect(abs(svd.singularValues[0] - 3) < 1e-6 && abs(svd.singularValues[1] - 2) < 1e-6)
        let fixed = svd.signNormalized()
        #expect(try relativeError(fixed.reconstructed(), a) < 1e-6)
        for j in 0..<2 {
            let column = fixed.u.column(j)
            let largest = column.max { abs($0) < abs($1) } ?? 0
            #expect(largest > 0)
        }
        let fixedRandom = try SVD(randomMatrix(9, 5, seed: 11)).signNormalized()
        #expect(try relativeError(fixedRandom.reconstructed(), randomMatrix(9, 5, seed: 11)) < 1e-4)
        #expect(fixedRandom.truncated(to: 2).u.cols == 2 && fixedRandom.truncated(to: 2).vt.rows == 2)
        #expect(fixedRandom.count(atLeast: fixedRandom.singularValues[1]) == 2)
    }

    @Test func emptyAndNonFiniteInput() throws {
        let empty = try SVD(Matrix(rows: 0, cols: 4))
        #expect(empty.singularValues.isEmpty && empty.vt.rows == 0 && empty.vt.cols == 4)
        var bad = randomMatrix(3, 3, seed: 1)
        bad[1, 1] = .nan
        #expect(throws: LinearAlgebraError.nonFiniteInput(routine: "sgesdd")) { try SVD(bad) }
    }
}

@Suite struct SymmetricEigenTests {
    @Test func reconstructsSymmetricMatrix() throws {
        let b = randomMatrix(40, 15, seed: 5)
        let a = try Matrix.product(b, b, transposeA: true) // 15×15 SPD
        let eigen = try SymmetricEigen(a)
        #expect(eigen.eigenvalues.count == 15 && eigen.eigenvectors.rows == 15)
        #expect(zip(eigen.eigenvalues, eigen.eigenvalues.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(try relativeError(eigen.reconstructed(), a) < 1e-4)
        #expect(try isIdentity(Matrix.product(eigen.eigenvectors, eigen.eigenvectors, transposeA: true), tolerance: 1e-4))
        // A·v = λ·v for the largest eigenpair.
        let v = try eigen.eigenvectors.selectingColumns([14])
        let av = try Matrix.product(a, v)
        #expect(try av.maxAbsoluteDifference(v.scaled(by: eigen.eigenvalues[14])) < 1e-3 * eigen.eigenvalues[14])
        // A^{-1/2} · A · A^{-1/2} = I.
        let k = try eigen.inverseSquareRoot()
        #expect(try isIdentity(Matrix.product(Matrix.product(k, a), k), tolerance: 1e-3))
    }

    @Test func knownEigenvaluesAndErrors() throws {
        let a = try Matrix(rows: 2, cols: 2, values: [2, 1, 1, 2])
        let eigen = try SymmetricEigen(a)
        #expect(abs(eigen.eigenvalues[0] - 1) < 1e-6 && abs(eigen.eigenvalues[1] - 3) < 1e-6)
        #expect(throws: ShapeError.self) { try SymmetricEigen(Matrix(rows: 2, cols: 3)) }
        let singular = try Matrix(rows: 2, cols: 2, values: [1, 1, 1, 1])
        let error = #expect(throws: LinearAlgebraError.self) { try SymmetricEigen(singular).inverseSquareRoot() }
        if case .notPositiveDefinite = error {} else { Issue.record("expected notPositiveDefinite, got \(String(describing: error))") }
    }
}

@Suite struct LinearSolveTests {
    @Test func choleskySolvesKnownSystem() throws {
        // [[4, 2], [2, 3]] · [1, 2]ᵀ = [8, 8]ᵀ
        let a = try Matrix(rows: 2, cols: 2, values: [4, 2, 2, 3])
        let b = try Matrix(rows: 2, cols: 1, values: [8, 8])
        let x = try LinearSolve.cholesky(a, b)
        #expect(try x.maxAbsoluteDifference(Matrix(rows: 2, cols: 1, values: [1, 2])) < 1e-5)
        // Random SPD system with several right-hand sides.
        let m = randomMatrix(50, 10, seed: 21)
        let spd = try Matrix.product(m, m, transposeA: true)
        let known = randomMatrix(10, 3, seed: 22)
        let solved = try LinearSolve.cholesky(spd, Matrix.product(spd, known))
        #expect(try solved.maxAbsoluteDifference(known) < 1e-3)
    }

    @Test func luSolvesKnownSystem() throws {
        // x = [1, -2, 3]: [[2, 1, 1], [1, 3, 2], [1, 0, 0]]·x = [3, 1, 1]
        let a = try Matrix(rows: 3, cols: 3, values: [2, 1, 1, 1, 3, 2, 1, 0, 0])
        let b = try Matrix(rows: 3, cols: 1, values: [3, 1, 1])
        let x = try LinearSolve.lu(a, b)
        #expect(try x.maxAbsoluteDifference(Matrix(rows: 3, cols: 1, values: [1, -2, 3])) < 1e-5)
        let r = randomMatrix(12, 12, seed: 31)
        let inverse = try LinearSolve.inverse(r)
        #expect(try isIdentity(Matrix.product(r, inverse), tolerance: 1e-3))
    }

    @Test func singularAndIndefiniteInputsGiveTypedErrors() throws {
        let indefinite = try Matrix(rows: 2, cols: 2, values: [1, 2, 2, 1])
        let rhs = Matrix(rows: 2, cols: 1, repeating: 1)
        #expect(
            throws: LinearAlgebraError.notPositiveDefinite(
                routine: "sposv", order: 2,
                detail: "the leading minor of order 2 is not positive")
        ) {
            try LinearSolve.cholesky(indefinite, rhs)
        }
        let zero = Matrix(rows: 2, cols: 2)
        #expect(throws: LinearAlgebraError.singular(routine: "sgesv", detail: "pivot U(1,1) is exactly zero")) {
            try LinearSolve.lu(zero, rhs)
        }
        // Rank 1 but rounding may leave a tiny pivot: either way it must be reported as singular.
        let rankOne = try Matrix(rows: 3, cols: 3, values: [1, 2, 3, 2, 4, 6, 3, 6, 9.000001])
        let error = #expect(throws: LinearAlgebraError.self) { try LinearSolve.lu(rankOne, Matrix(rows: 3, cols: 1, repeating: 1)) }
        if case .singular = error {} else { Issue.record("expected singular, got \(String(describing: error))") }
        let semidefinite = try Matrix(rows: 2, cols: 2, values: [1, 1, 1, 1])
        let spdError = #expect(throws: LinearAlgebraError.self) { try LinearSolve.cholesky(semidefinite, rhs) }
        #expect(spdError.map { "\($0)" }?.contains("sposv") == true)
    }

    @Test func shapeErrorsNameBothShapes() throws {
        let a = Matrix.identity(3)
        let error = #expect(throws: ShapeError.self) { try LinearSolve.lu(a, Matrix(rows: 2, cols: 1)) }
        #expect(error?.description.contains("3×3") == true && error?.description.contains("2×1") == true)
        #expect(throws: ShapeError.self) { try LinearSolve.cholesky(Matrix(rows: 2, cols: 3), Matrix(rows: 2, cols: 1)) }
        #expect(throws: ShapeError.self) { try LinearSolve.inverse(Matrix(rows: 2, cols: 3)) }
    }
}
