/// The exact t-SNE repulsion over all N(N−1) ordered pairs: r_i = Σ_{j≠i} q̃_ij² (y_i − y_j)
/// and Z = Σ_{i≠j} q̃_ij, with q̃_ij = 1 / (1 + ‖y_i − y_j‖²). O(N²) per call; each unordered
/// pair is visited once (i < j) and its force added to i and subtracted from j.
enum TSNEExactRepulsion {
    /// Writes r (2N Doubles) into `repulsion` and returns Z.
    static func compute(
        _ y: UnsafePointer<Double>, count n: Int,
        into repulsion: UnsafeMutablePointer<Double>
    ) -> Double {
        repulsion.update(repeating: 0, count: 2 * n)
        var z = 0.0
        for i in 0..<n {
            let xi = y[2 * i], yi = y[2 * i + 1]
            var rx = 0.0, ry = 0.0
            for j in (i + 1)..<max(i + 1, n) {
                let dx = xi - y[2 * j], dy = yi - y[2 * j + 1]
                let q = 1 / (1 + dx * dx + dy * dy)
                z += 2 * q
                let f = q * q
                rx += f * dx
                ry += f * dy
                repulsion[2 * j] -= f * dx
                repulsion[2 * j + 1] -= f * dy
            }
            repulsion[2 * i] += rx
            repulsion[2 * i + 1] += ry
        }
        return z
    }
}
