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
    /// (after one warm-up). `progress` hears of every multiplication (phase `measuring`, unit
    /// `multiplications`); nil when it answers `.stop`.
    public static func measure(
        size: Int, repeats: Int, seed: UInt64,
        progress: ProgressHandler = ProgressAction.ignore
    ) -> Sample? {
        var generator = SplitMix64(seed: seed)
        var a = Matrix(rows: size, cols: size)
        var b = Matrix(rows: size, cols: size)
        for i in 0..<a.storage.count {
            a.storage[i] = generator.nextFloat() - 0.5
            b.storage[i] = generator.nextFloat() - 0.5
        }
        _ = multiply(a, b)
        var best = Double.infinity
        let total = max(1, repeats), started = MonotonicClock.seconds()
        for done in 0..<total {
            let report = Progress(
                phase: "measuring", step: done, total: total, unit: "multiplications",
                elapsedSeconds: MonotonicClock.since(started))
            if progress(report) == .stop { return nil }
            let start = MonotonicClock.seconds()
            _ = multiply(a, b)
            best = min(best, MonotonicClock.since(start))
        }
        let flops = 2 * Double(size) * Double(size) * Double(size)
        return Sample(size: size, seconds: best, gflops: flops / max(best, 1e-12) / 1e9)
    }

    /// A·B of two n×n matrices (shapes agree by construction).
    private static func multiply(_ a: Matrix, _ b: Matrix) -> Matrix {
        do {
            return try Matrix.product(a, b)
        } catch {
            preconditionFailure("square matrices of one size always multiply: \(error)")
        }
    }
}
