import Testing

@testable import Embeddings

@Suite struct BLASTests {
    @Test func genericCoreIsReplacedFromCPUFlags() {
        let avx512: Set<String> = ["sse3", "avx2", "fma", "avx512f", "avx512bw", "avx512vl"]
        #expect(BLAS.recommendedCoreType(coreName: "Prescott", cpuFlags: avx512, override: nil) == "SkylakeX")
        #expect(BLAS.recommendedCoreType(coreName: "Prescott", cpuFlags: ["avx2", "fma"], override: nil) == "Haswell")
        #expect(BLAS.recommendedCoreType(coreName: "Prescott", cpuFlags: ["sse3"], override: nil) == nil)
    }

    @Test func avx512KernelsOnAMDZen4AreReplacedByHaswell() {
        let zen4: Set<String> = ["sse3", "avx2", "fma", "avx512f", "avx512bw", "avx512vl"]
        #expect(
            BLAS.recommendedCoreType(coreName: "Cooperlake", cpuFlags: zen4, vendor: "AuthenticAMD", family: 25, override: nil) == "Haswell"
        )
        #expect(
            BLAS.recommendedCoreType(coreName: "SkylakeX", cpuFlags: zen4, vendor: "AuthenticAMD", family: 25, override: nil) == "Haswell")
        #expect(
            BLAS.recommendedCoreType(coreName: "Prescott", cpuFlags: zen4, vendor: "AuthenticAMD", family: 25, override: nil) == "Haswell")
        // Intel's AVX-512, a later AMD family, an explicit choice or AMD's own Zen set stay.
        #expect(BLAS.recommendedCoreType(coreName: "Cooperlake", cpuFlags: zen4, vendor: "GenuineIntel", family: 6, override: nil) == nil)
        #expect(BLAS.recommendedCoreType(coreName: "Cooperlake", cpuFlags: zen4, vendor: "AuthenticAMD", family: 26, override: nil) == nil)
        #expect(
            BLAS.recommendedCoreType(coreName: "Cooperlake", cpuFlags: zen4, vendor: "AuthenticAMD", family: 25, override: "Cooperlake")
                == nil)
        #expect(
            BLAS.recommendedCoreType(coreName: "Zen", cpuFlags: ["avx2", "fma"], vendor: "AuthenticAMD", family: 25, override: nil) == nil)
    }

    @Test func recognisedCoreOrExplicitOverrideIsKept() {
        #expect(BLAS.recommendedCoreType(coreName: "Haswell", cpuFlags: ["avx512f", "avx512bw", "avx512vl"], override: nil) == nil)
        #expect(BLAS.recommendedCoreType(coreName: "Prescott", cpuFlags: ["avx2", "fma"], override: "Haswell") == nil)
    }

    @Test func cpuFlagsAreRead() {
        #expect(BLAS.cpuFlags().contains("sse2"))
        #expect(["AuthenticAMD", "GenuineIntel"].contains(BLAS.cpuVendor()) && (BLAS.cpuFamily() ?? 0) > 0)
        #expect(!BLAS.coreName.isEmpty && BLAS.threads >= 1)
    }

    @Test func sgemmMatchesHandComputedProduct() throws {
        let a = try Matrix(rows: 2, cols: 3, values: [1, 2, 3, 4, 5, 6])
        let b = try Matrix(rows: 3, cols: 2, values: [7, 8, 9, 10, 11, 12])
        #expect(try Matrix.product(a, b).storage == [58, 64, 139, 154])
        #expect(try Matrix.product(a, a, transposeB: true).storage == [14, 32, 32, 77])
        #expect(throws: ShapeError.self) { try Matrix.product(a, a) }
    }

    @Test func gemmBenchmarkReportsThroughput() {
        let sample = GEMMBenchmark.measure(size: 64, repeats: 2, seed: 1)
        #expect(sample != nil && sample!.gflops > 0)
        #expect(GEMMBenchmark.measure(size: 64, repeats: 2, seed: 1, progress: { _ in .stop }) == nil)
    }

    @Test func splitMixIsReproducible() {
        var a = SplitMix64(seed: 42), b = SplitMix64(seed: 42)
        #expect((0..<5).map { _ in a.next() } == (0..<5).map { _ in b.next() })
        #expect((0..<100).allSatisfy { _ in (0..<1).contains(a.nextFloat()) })
    }
}

/// `SIMDDot.dot` against a Double sum and the value of a 1 × d × 1 GEMM.
@Suite struct SIMDDotTests {
    @Test(arguments: [0, 1, 7, 8, 9, 300, 301])
    func matchesADoubleSum(d: Int) throws {
        var rng = SplitMix64(seed: UInt64(d) + 1)
        let a = (0..<d).map { _ in rng.nextFloat() - 0.5 }, b = (0..<d).map { _ in rng.nextFloat() - 0.5 }
        var exact = 0.0, magnitude = 0.0
        for i in 0..<d {
            exact += Double(a[i]) * Double(b[i])
            magnitude += abs(Double(a[i]) * Double(b[i]))
        }
        let got = a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in SIMDDot.dot(ap.baseAddress!, bp.baseAddress!, d) } }
        // fp32 accumulation in 8 lanes: error ≤ (d/8 + 8) ulps of Σ|aᵢbᵢ| (a loose bound).
        #expect(abs(Double(got) - exact) <= Double(d / 8 + 8) * Double(Float.ulpOfOne) * max(magnitude, 1e-30))
        if d > 0 {
            let gemm = try Matrix.product(Matrix(rows: 1, cols: d, values: a), Matrix(rows: 1, cols: d, values: b), transposeB: true)
            #expect(abs(got - gemm.storage[0]) <= Float(d) * Float.ulpOfOne * Float(max(magnitude, 1e-30)))
        }
    }
}
