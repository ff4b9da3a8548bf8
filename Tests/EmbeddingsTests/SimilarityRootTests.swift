import Testing

@testable import Embeddings

/// `SimilarityRoot` (√(X·Xᵀ) through the Gram's eigendecomposition and `ssyrk`) against U·S·Uᵀ
/// from the SVD, on real fastText vectors and on a rank-deficient matrix; and `LargeArray`'s
/// parallel fill.
@Suite struct SimilarityRootTests {
    /// U·S·Uᵀ from `SVD`, the formulation VecMap writes.
    static func svdRoot(_ x: Matrix) throws -> Matrix {
        let svd = try SVD(x)
        return try Matrix.product(svd.u.scalingColumns(by: svd.singularValues), svd.u, transposeB: true)
    }

    static func maxDifference(_ a: Matrix, _ b: Matrix) -> Float {
        zip(a.storage, b.storage).map { abs($0 - $1) }.max() ?? 0
    }

    static func english(rows: Int) throws -> Matrix {
        try Matrix(rows: rows, cols: 300, values: BFloat16TilesTests.space("en", rows: rows, dimension: 300))
    }

    @Test func equalsTheSVDRootOnRealVectors() throws {
        let x = try Self.english(rows: 756)
        let root = try SimilarityRoot.compute(x, threads: 2)
        #expect(root.rows == 756 && root.cols == 756)
        #expect(try Self.maxDifference(root, Self.svdRoot(x)) < 2e-6)
        #expect(root == root.transposed(), "both triangles hold the same values")
        // Its square is X·Xᵀ.
        let square = try Matrix.product(root, root), gram = try Matrix.product(x, x, transposeB: true)
        #expect(Self.maxDifference(square, gram) < 1e-4)
    }

    @Test func rankDeficientInputDropsItsNullDirections() throws {
        // 60 × 12 of rank 3: its Gram has 9 zero eigenvalues.
        var rng = SplitMix64(seed: 5)
        var left = Matrix(rows: 60, cols: 3), right = Matrix(rows: 3, cols: 12)
        for k in left.storage.indices { left.storage[k] = 2 * rng.nextFloat() - 1 }
        for k in right.storage.indices { right.storage[k] = 2 * rng.nextFloat() - 1 }
        let x = try Matrix.product(left, right)
        let root = try SimilarityRoot.compute(x)
        #expect(root.storage.allSatisfy { $0.isFinite })
        let square = try Matrix.product(root, root), gram = try Matrix.product(x, x, transposeB: true)
        #expect(Self.maxDifference(square, gram) < 1e-3 * gram.storage.map(abs).max()!)
        #expect(try Self.maxDifference(root, Self.svdRoot(x)) < 1e-4)
    }

    @Test func resultDoesNotDependOnThreads() throws {
        let x = try Self.english(rows: 300)
        let one = try SimilarityRoot.compute(x, threads: 1)
        #expect(try SimilarityRoot.compute(x, threads: 3) == one)
    }

    @Test func emptyAndNonFiniteInputs() throws {
        #expect(try SimilarityRoot.compute(Matrix(rows: 0, cols: 4)).storage.isEmpty)
        var bad = Matrix(rows: 3, cols: 2)
        bad[1, 1] = .nan
        #expect(throws: LinearAlgebraError.nonFiniteInput(routine: "dsyevd")) { try SimilarityRoot.compute(bad) }
    }

    @Test func largeArraysAreFilledCompletely() {
        let count = LargeArray.threshold / MemoryLayout<Float>.stride + 17
        let m = Matrix(rows: 1, cols: count, repeating: 2.5)
        #expect(m.storage.count == count && m.storage.allSatisfy { $0 == 2.5 })
        for threads in [1, 2, 3] {
            let filled = LargeArray.floats(repeating: -1, count: count, threads: threads)
            #expect(filled.count == count && filled.allSatisfy { $0 == -1 }, "\(threads) threads")
        }
    }
}
