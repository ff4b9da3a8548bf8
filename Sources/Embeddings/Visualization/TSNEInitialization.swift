#if canImport(Glibc)
import Glibc
#endif

/// How the 2-d starting positions are chosen.
public enum TSNEInitialization: String, Sendable, CaseIterable {
    /// The first two principal components of the centred data, rescaled so that the first
    /// coordinate has standard deviation 1e-4 (openTSNE's and scikit-learn's convention).
    case pca
    /// Independent N(0, 1e-4²) coordinates drawn from `SplitMix64(seed)`.
    case random
}

extension TSNEInitialization {
    /// The starting coordinates for `points` (N × d, finite): 2N Doubles, point i at (2i, 2i+1),
    /// centred, first coordinate with standard deviation 1e-4 (second scaled by the same factor
    /// for `.pca`, so the PCA aspect ratio is kept). `.pca` falls back to `.random` when the
    /// data have no spread. PCA signs are fixed so each component's largest-magnitude loading
    /// is positive (deterministic across runs).
    func positions(for points: Matrix, seed: UInt64) -> [Double] {
        let n = points.rows
        if self == .pca, let y = TSNEInitialization.principalComponents(points) { return y }
        var generator = SplitMix64(seed: seed)
        var y = [Double](repeating: 0, count: 2 * n)
        for e in 0..<(2 * n) { y[e] = 1e-4 * TSNEInitialization.gaussian(&generator) }
        return y
    }

    /// The first two principal components scaled to std 1e-4 (first column), or nil when the
    /// covariance has no positive eigenvalue or the decomposition fails.
    static func principalComponents(_ points: Matrix) -> [Double]? {
        let n = points.rows, d = points.cols
        guard n >= 2, d >= 1 else { return nil }
        var mean = [Double](repeating: 0, count: d)
        for i in 0..<n { for l in 0..<d { mean[l] += Double(points.storage[i * d + l]) } }
        for l in 0..<d { mean[l] /= Double(n) }
        // Xcᵀ (d × N), then C = Xcᵀ·Xc (d × d) by sgemm.
        var centredT = Matrix(rows: d, cols: n)
        for i in 0..<n { for l in 0..<d { centredT.storage[l * n + i] = Float(Double(points.storage[i * d + l]) - mean[l]) } }
        guard let covariance = try? Matrix.product(centredT, centredT, transposeB: true),
            let eigen = try? SymmetricEigen(covariance),
            let top = eigen.eigenvalues.last, top > 0
        else { return nil }
        var y = [Double](repeating: 0, count: 2 * n)
        for component in 0..<2 {
            let column = d - 1 - component // eigenvalues ascend: the last is the largest
            var vector = (0..<d).map { Double(eigen.eigenvectors.storage[$0 * d + max(column, 0)]) }
            if column < 0 { vector = [Double](repeating: 0, count: d) }
            var largest = 0.0
            for v in vector where abs(v) > abs(largest) { largest = v }
            if largest < 0 { vector = vector.map { -$0 } }
            for i in 0..<n {
                var s = 0.0
                for l in 0..<d { s += (Double(points.storage[i * d + l]) - mean[l]) * vector[l] }
                y[2 * i + component] = s
            }
        }
        var sum = 0.0, squares = 0.0
        for i in 0..<n { sum += y[2 * i] }
        let mean0 = sum / Double(n)
        for i in 0..<n { squares += (y[2 * i] - mean0) * (y[2 * i] - mean0) }
        let std = (squares / Double(n)).squareRoot()
        guard std > 0, std.isFinite else { return nil }
        let scale = 1e-4 / std
        var mean1 = 0.0
        for i in 0..<n { mean1 += y[2 * i + 1] }
        mean1 /= Double(n)
        for i in 0..<n {
            y[2 * i] = (y[2 * i] - mean0) * scale
            y[2 * i + 1] = (y[2 * i + 1] - mean1) * scale
        }
        return y
    }

    /// A standard normal draw (Box–Muller) from `generator`.
    static func gaussian(_ generator: inout SplitMix64) -> Double {
        let u1 = (Double(generator.next() >> 11) + 1) * 0x1p-53 // (0, 1]
        let u2 = Double(generator.next() >> 11) * 0x1p-53
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}
