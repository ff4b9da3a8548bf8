#if canImport(Glibc)
import Glibc
#endif

/// The t-SNE gradient in openTSNE's scaling: g_i = ¼ ∂KL/∂y_i
/// = Σ_j (α·p_ij − q_ij) q̃_ij (y_i − y_j), with q̃_ij = 1 / (1 + ‖y_i − y_j‖²), Z = Σ_{k≠l} q̃_kl,
/// q_ij = q̃_ij / Z and α the exaggeration (van der Maaten & Hinton 2008, eq. 5; van der Maaten
/// 2014, eq. 4–6). The attraction runs over the sparse P; the repulsion
/// Σ_j q̃_ij² (y_i − y_j) / Z over all pairs, exactly or by Barnes-Hut.
///
/// Shapes: coordinates and gradients are 2N Doubles, point i at (2i, 2i + 1).
struct TSNEGradient {
    /// Exact or Barnes-Hut (never `.automatic`).
    let method: TSNEMethod
    /// Barnes-Hut accuracy θ.
    let theta: Double
    private var tree = QuadTree()
    private var repulsion: [Double] = []

    init(method: TSNEMethod, theta: Double) {
        self.method = method
        self.theta = theta
    }

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
                return TSNEBarnesHutRepulsion.compute(tree, theta: theta, into: rep.baseAddress!)
            }
        }
        let inverseZ = 1 / z
        repulsion.withUnsafeBufferPointer { rep in
            for e in 0..<(2 * n) { gradient[e] = -rep[e] * inverseZ }
        }
        let logSum = TSNEGradient.addAttraction(
            p, y: y, exaggeration: exaggeration, into: gradient,
            evaluateLog: evaluateKL)
        return evaluateKL ? p.entropyTerm - logSum + log(z) : nil
    }

    /// g_i += α Σ_j p_ij q̃_ij (y_i − y_j) over the stored entries of P; returns Σ p_ij log q̃_ij
    /// (un-exaggerated) when `evaluateLog`, else 0.
    static func addAttraction(
        _ p: TSNEAffinities, y: UnsafePointer<Double>, exaggeration: Double,
        into gradient: UnsafeMutablePointer<Double>, evaluateLog: Bool
    ) -> Double {
        var logSum = 0.0
        p.rowStart.withUnsafeBufferPointer { start in
            p.columns.withUnsafeBufferPointer { columns in
                p.values.withUnsafeBufferPointer { values in
                    for i in 0..<p.count {
                        let xi = y[2 * i], yi = y[2 * i + 1]
                        var gx = 0.0, gy = 0.0
                        for e in start[i]..<start[i + 1] {
                            let j = Int(columns[e])
                            let dx = xi - y[2 * j], dy = yi - y[2 * j + 1]
                            let q = 1 / (1 + dx * dx + dy * dy)
                            let w = values[e] * q
                            gx += w * dx
                            gy += w * dy
                            if evaluateLog { logSum += values[e] * log(q) }
                        }
                        gradient[2 * i] += exaggeration * gx
                        gradient[2 * i + 1] += exaggeration * gy
                    }
                }
            }
        }
        return logSum
    }
}
