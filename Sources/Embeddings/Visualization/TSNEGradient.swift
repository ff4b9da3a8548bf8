#if canImport(Glibc)
import Glibc
#endif

/// The t-SNE gradient in openTSNE's scaling: g_i = ¼ ∂KL/∂y_i
/// = Σ_j (α·p_ij − q_ij) q̃_ij (y_i − y_j), with q̃_ij = 1 / (1 + ‖y_i − y_j‖²), Z = Σ_{k≠l} q̃_kl,
/// q_ij = q̃_ij / Z and α the exaggeration (van der Maaten & Hinton 2008, eq. 5; van der Maaten
/// 2014, eq. 4–6). The attraction runs over the sparse P; the repulsion
/// Σ_j q̃_ij² (y_i − y_j) / Z over all pairs, exactly, by Barnes-Hut or by interpolation (FFT).
///
/// Shapes: coordinates and gradients are 2N Doubles, point i at (2i, 2i + 1).
/// Threads: the attraction is split into `threads` contiguous row ranges (each writes its own
/// rows; the log-sums are added in range order), as are the Barnes-Hut and interpolation
/// repulsions, so the same input and thread count give bit-identical gradients.
struct TSNEGradient {
    /// Exact, Barnes-Hut or FFT (never `.automatic`).
    let method: TSNEMethod
    /// Barnes-Hut accuracy θ.
    let theta: Double
    /// Worker threads (≥ 1).
    let threads: Int
    private var tree = QuadTree()
    private var repulsion: [Double] = []
    private let interpolation: TSNEInterpolationRepulsion?

    init(method: TSNEMethod, theta: Double, interpolation: TSNEInterpolation = TSNEInterpolation(), threads: Int = 1) {
        self.method = method
        self.theta = theta
        self.threads = max(1, threads)
        self.interpolation = method == .fft ? TSNEInterpolationRepulsion(settings: interpolation, threads: threads) : nil
    }

    /// Bytes held by the repulsion's scratch (tree, grids, FFT buffers).
    var scratchBytes: Int { 8 * repulsion.count + (interpolation?.bytes ?? 0) + tree.bytes }

    /// Intervals per dimension of the last interpolation (0 for other methods).
    var lastIntervals: Int { interpolation?.lastIntervals ?? 0 }

    /// Writes g (see the type) into `gradient` and returns KL(P‖Q) of the un-exaggerated P when
    /// `evaluateKL` (Z estimated by the same method as the gradient), else nil.
    mutating func evaluate(
        _ p: TSNEAffinities, y: UnsafePointer<Double>, exaggeration: Double,
        into gradient: UnsafeMutablePointer<Double>, evaluateKL: Bool
    ) -> Double? {
        let n = p.count
        if repulsion.count != 2 * n { repulsion = [Double](repeating: 0, count: 2 * n) }
        let z: Double = repulsion.withUnsafeMutableBufferPointer { rep in
            switch method {
            case .exact, .automatic:
                return TSNEExactRepulsion.compute(y, count: n, into: rep.baseAddress!)
            case .barnesHut:
                tree.build(y, count: n)
                return TSNEBarnesHutRepulsion.compute(tree, theta: theta, threads: threads, into: rep.baseAddress!)
            case .fft:
                return interpolation?.compute(y, count: n, into: rep.baseAddress!) ?? .nan
            }
        }
        let inverseZ = 1 / z
        repulsion.withUnsafeBufferPointer { rep in
            for e in 0..<(2 * n) { gradient[e] = -rep[e] * inverseZ }
        }
        let logSum = TSNEGradient.addAttraction(
            p, y: y, exaggeration: exaggeration, into: gradient,
            evaluateLog: evaluateKL, threads: threads)
        return evaluateKL ? p.entropyTerm - logSum + log(z) : nil
    }

    /// g_i += α Σ_j p_ij q̃_ij (y_i − y_j) over the stored entries of P; returns Σ p_ij log q̃_ij
    /// (un-exaggerated) when `evaluateLog`, else 0. Rows are split into `threads` ranges.
    static func addAttraction(
        _ p: TSNEAffinities, y: UnsafePointer<Double>, exaggeration: Double,
        into gradient: UnsafeMutablePointer<Double>, evaluateLog: Bool, threads: Int = 1
    ) -> Double {
        let workers = min(max(1, threads), max(1, p.count / 1024))
        return p.rowStart.withUnsafeBufferPointer { start in
            p.columns.withUnsafeBufferPointer { columns in
                p.values.withUnsafeBufferPointer { values in
                    let s = SharedBuffer(reading: start.baseAddress!), c = SharedBuffer(reading: columns.baseAddress!)
                    let v = SharedBuffer(reading: values.baseAddress!), yy = SharedBuffer(reading: y)
                    let g = SharedBuffer(gradient)
                    let sums = WorkerThreads.run(threads: workers, count: p.count, initial: 0.0) { _, range in
                        attraction(
                            rows: range, start: s, columns: c, values: v, y: yy, exaggeration: exaggeration, into: g,
                            evaluateLog: evaluateLog)
                    }
                    return sums.reduce(0, +)
                }
            }
        }
    }

    /// The attraction of rows `rows` (see `addAttraction`).
    private static func attraction(
        rows: Range<Int>, start: SharedBuffer<Int>, columns: SharedBuffer<Int32>, values: SharedBuffer<Double>,
        y: SharedBuffer<Double>, exaggeration: Double, into gradient: SharedBuffer<Double>, evaluateLog: Bool
    ) -> Double {
        var logSum = 0.0
        for i in rows {
            let xi = y[2 * i], yi = y[2 * i + 1]
            let first = start[i], end = start[i + 1]
            // Four edges at a time (independent divisions), then the rest.
            var gx4 = SIMD4<Double>.zero, gy4 = SIMD4<Double>.zero
            var e = first
            while e + 4 <= end {
                let j0 = Int(columns[e]), j1 = Int(columns[e + 1]), j2 = Int(columns[e + 2]), j3 = Int(columns[e + 3])
                let dx = SIMD4(xi - y[2 * j0], xi - y[2 * j1], xi - y[2 * j2], xi - y[2 * j3])
                let dy = SIMD4(yi - y[2 * j0 + 1], yi - y[2 * j1 + 1], yi - y[2 * j2 + 1], yi - y[2 * j3 + 1])
                let q = 1 / (1 + dx * dx + dy * dy)
                let w = SIMD4(values[e], values[e + 1], values[e + 2], values[e + 3]) * q
                gx4 += w * dx
                gy4 += w * dy
                e += 4
            }
            var gx = gx4.sum(), gy = gy4.sum()
            while e < end {
                let j = Int(columns[e])
                let dx = xi - y[2 * j], dy = yi - y[2 * j + 1]
                let w = values[e] / (1 + dx * dx + dy * dy)
                gx += w * dx
                gy += w * dy
                e += 1
            }
            if evaluateLog {
                for e in first..<end {
                    let j = Int(columns[e])
                    let dx = xi - y[2 * j], dy = yi - y[2 * j + 1]
                    logSum -= values[e] * log(1 + dx * dx + dy * dy)
                }
            }
            gradient[2 * i] += exaggeration * gx
            gradient[2 * i + 1] += exaggeration * gy
        }
        return logSum
    }
}
