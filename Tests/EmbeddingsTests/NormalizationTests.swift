import Testing

@testable import Embeddings

@Suite struct NormalizationTests {
    func english() throws -> EmbeddingSpace { try Word2VecText.load(path: RealData.englishVec).0 }

    func rowNorm(_ m: Matrix, _ i: Int) -> Double {
        (0..<m.cols).reduce(0.0) { $0 + Double(m[i, $1]) * Double(m[i, $1]) }.squareRoot()
    }

    func columnStats(_ m: Matrix, _ j: Int) -> (mean: Double, std: Double) {
        let mean = (0..<m.rows).reduce(0.0) { $0 + Double(m[$1, j]) } / Double(m.rows)
        let variance = (0..<m.rows).reduce(0.0) { $0 + (Double(m[$1, j]) - mean) * (Double(m[$1, j]) - mean) } / Double(m.rows)
        return (mean, variance.squareRoot())
    }

    @Test func unitRowsHaveNormOneAndZeroRowsStayZero() throws {
        var space = try english()
        space.vectors.storage.replaceSubrange(0..<300, with: repeatElement(0, count: 300))
        space.normalize([.unit])
        #expect(space.normalizations == [.unit])
        #expect(space.vectors.storage[0..<300].allSatisfy { $0 == 0 })
        #expect((1..<space.count).allSatisfy { abs(rowNorm(space.vectors, $0) - 1) < 1e-5 })
    }

    @Test func centeredColumnsHaveMeanZero() throws {
        let space = try english().normalized([.center])
        #expect((0..<300).allSatisfy { abs(columnStats(space.vectors, $0).mean) < 1e-6 })
    }

    @Test func unitdimColumnsHaveUnitStdAndConstantColumnsStay() throws {
        var space = try english()
        for i in 0..<space.count { space.vectors[i, 7] = 0.25 }
        space.normalize([.unitdim])
        #expect((0..<300).filter { $0 != 7 }.allSatisfy { abs(columnStats(space.vectors, $0).std - 1) < 1e-4 })
        #expect((0..<space.count).allSatisfy { space.vectors[$0, 7] == 0.25 })
    }

    /// The threaded chain (`apply(_:threads:)`: centre and the unit step after it in one row pass,
    /// column means over fixed 64-row blocks) gives the same matrix for any thread count and the
    /// sequential chain's values to within an ulp or two (only the column sums' order differs).
    @Test func threadedChainEqualsTheSequentialOne() throws {
        let vectors = try english().vectors
        for steps: [EmbeddingSpace.Normalization] in [[.unit, .center, .unit], [.center], [.unit], [.center, .unitdim, .unit]] {
            var sequential = vectors
            sequential.apply(steps)
            var one = vectors, three = vectors
            one.apply(steps, threads: 1)
            three.apply(steps, threads: 3)
            #expect(one == three, "\(steps)")
            let worst = zip(one.storage, sequential.storage).map { abs($0 - $1) }.max() ?? 0
            #expect(worst <= 2e-7, "\(steps): \(worst)")
        }
    }

    @Test func chainIsAppliedAndRecordedInOrder() throws {
        let space = try english().normalized([.unit, .center, .unit])
        #expect(space.normalizations == [.unit, .center, .unit])
        #expect((0..<space.count).allSatisfy { abs(rowNorm(space.vectors, $0) - 1) < 1e-5 })
        let again = space.normalized([.unitdim])
        #expect(again.normalizations == [.unit, .center, .unit, .unitdim])
        #expect(try EmbeddingSpace.Normalization.chain("unit,center, unit").get() == [.unit, .center, .unit])
        if case .failure(let error) = EmbeddingSpace.Normalization.chain("unit,whiten") {
            #expect(error.step == "whiten" && error.description.contains("unit, center or unitdim"))
        } else {
            Issue.record("an unknown step must fail")
        }
    }
}
