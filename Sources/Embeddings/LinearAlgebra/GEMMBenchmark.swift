#if canImport(Glibc)
import Glibc
#endif

/// Measures single-precision GEMM throughput (C = A·B, n×n) on the BLAS this process uses.
/// Shows whether OpenBLAS picked fast kernels (see `BLAS.recommendedCoreType`).
public enum GEMMBenchmark {
    /// One measurement.
    public struct Sample: Sendable, Equatable {
        /// Matrix side n (A, B and C are n×n).
        public var size: Int
        /// Best wall time of one multiplication, seconds.
        public var seconds: Double
        /// 2n³ / seconds / 1e9.
        public var gflops: Double
    }

    /// Times `repeats` multiplications of two seeded n×n matrices and keeps the fastest
    /// (after one warm-up). `shouldStop` is polled between multiplications; nil when stopped.
    public static func measure(size: Int, repeats: Int, seed: UInt64, shouldStop: () -> Bool = { false }) -> Sample? {
        var generator = SplitMix64(seed: seed)
        var a = Matrix(rows: size, cols: size)
        var b = Matrix(rows: size, cols: size)
        for i in 0..<a.storage.count {
            a.storage[i] = generator.nextFloat() - 0.5
            b.storage[i] = generator.nextFloat() - 0.5
        }
        _ = try? Matrix.multiply(a, b)
        var best = Double.infinity
        for _ in 0..<max(1, repeats) {
            if shouldStop() { return nil }
            let start = monotonicSeconds()
            _ = try? Matrix.multiply(a, b)
            best = min(best, monotonicSeconds() - start)
        }
        let flops = 2 * Double(size) * Double(size) * Double(size)
        return Sample(size: size, seconds: best, gflops: flops / max(best, 1e-12) / 1e9)
    }

    static func monotonicSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
    }
}

/// SplitMix64: a small, fast, seedable generator (Steele et al. 2014), the project's
/// reproducible source of randomness.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits; see `RandomNumberGenerator.next`.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform Float in [0, 1) with 24 random bits.
    public mutating func nextFloat() -> Float { Float(next() >> 40) * (1.0 / 16_777_216.0) }
}
