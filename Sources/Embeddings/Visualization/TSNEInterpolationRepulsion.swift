/// The interpolation-based t-SNE repulsion (Linderman et al. 2019, FIt-SNE, §2 and
/// Algorithm 1 in 2-d): the sums over all pairs
///
///     φ_i = Σ_j q̃_ij² · (1, x_j, y_j),   ψ_i = Σ_j q̃_ij,   q̃_ij = 1 / (1 + ‖y_i − y_j‖²),
///
/// (j = i included) are computed by (1) spreading each point's charges (1, x_j, y_j) onto the
/// Lagrange nodes of its box of a regular grid, (2) convolving the node charges with the
/// kernels q̃² and q̃ sampled on the grid, by FFT (`GridConvolution`), (3) interpolating the
/// node potentials back to the points with the same Lagrange weights. Then
/// r_i = Σ_j q̃_ij² (y_i − y_j) = y_i·φ_i⁽¹⁾ − (φ_i⁽ˣ⁾, φ_i⁽ʸ⁾) and Z = Σ_i ψ_i − N.
/// O(N · nodes²) for (1) and (3), O(m² log m) for (2), m = intervals · nodes.
///
/// FIt-SNE obtains Z from a fourth charge ‖y_j‖² with the q̃² kernel, which cancels
/// catastrophically in single precision; here ψ has its own kernel (one more spectrum per
/// iteration, no cancellation). Charges are taken relative to the grid centre for the same
/// reason.
///
/// Threads: points are spread by `threads` workers into private Double grids (summed in thread
/// order), the FFTs run on two lanes, points are gathered in chunks; Z is summed per chunk and
/// the chunks in order. The same input and thread count give bit-identical output.
/// Memory: threads × 3 m² Doubles of spreading grids + 7 m² floats + the convolution's
/// buffers (≈ 2 lanes × 3 × (2m)² floats); nothing grows with N beyond the output.
final class TSNEInterpolationRepulsion {
    /// Grid settings.
    let settings: TSNEInterpolation
    /// Worker threads (≥ 1).
    let threads: Int
    private var convolution: GridConvolution?
    private var charges: [Float] = []
    private var potentials: [Float] = []
    private var partial: [Double] = []
    /// The interval count of the last call (for reports).
    private(set) var lastIntervals = 0

    init(settings: TSNEInterpolation, threads: Int) {
        self.settings = settings
        self.threads = max(1, threads)
    }

    /// Bytes held by the grids and the FFT buffers.
    var bytes: Int {
        8 * partial.count + 4 * (charges.count + potentials.count) + (convolution?.bytes ?? 0)
    }

    /// Writes r (2N Doubles, see the type) into `repulsion` and returns Z.
    func compute(_ y: UnsafePointer<Double>, count n: Int, into repulsion: UnsafeMutablePointer<Double>) -> Double {
        guard n > 0 else { return 0 }
        var minX = Double.infinity, maxX = -Double.infinity, minY = Double.infinity, maxY = -Double.infinity
        for i in 0..<n {
            minX = min(minX, y[2 * i])
            maxX = max(maxX, y[2 * i])
            minY = min(minY, y[2 * i + 1])
            maxY = max(maxY, y[2 * i + 1])
        }
        var span = max(maxX - minX, maxY - minY)
        if !(span > 0) { span = 1 }
        let boxes = settings.intervals(span: span)
        lastIntervals = boxes
        let p = settings.nodes
        let m = boxes * p
        let width = span / Double(boxes)
        let delta = width / Double(p)
        let geometry = Geometry(
            minX: minX, minY: minY, centerX: minX + span / 2, centerY: minY + span / 2,
            width: width, boxes: boxes, nodes: p, side: m)
        let lanes = min(threads, 2)
        if convolution?.size != m {
            convolution = GridConvolution(size: m, kernels: 2, lanes: lanes)
            charges = [Float](repeating: 0, count: 3 * m * m)
            potentials = [Float](repeating: 0, count: 4 * m * m)
        }
        let workers = min(threads, max(1, n / 2048))
        if partial.count != workers * 3 * m * m { partial = [Double](repeating: 0, count: workers * 3 * m * m) }
        guard let convolution else { return 0 }
        let yShared = SharedBuffer(reading: y)
        partial.withUnsafeMutableBufferPointer { partialBuffer in
            charges.withUnsafeMutableBufferPointer { chargeBuffer in
                let grids = SharedBuffer(partialBuffer.baseAddress!)
                let summed = SharedBuffer(chargeBuffer.baseAddress!)
                _ = WorkerThreads.run(threads: workers, count: n, initial: 0) { t, range in
                    TSNEInterpolationRepulsion.spread(yShared, range, geometry, into: grids.base + t * 3 * m * m)
                    return 0
                }
                let cells = 3 * m * m
                _ = WorkerThreads.run(threads: workers, count: cells, initial: 0) { _, range in
                    for g in range {
                        var s = 0.0
                        for t in 0..<workers { s += grids[t * cells + g] }
                        summed[g] = Float(s)
                    }
                    return 0
                }
            }
        }
        // The kernels on the grid offsets, then the four convolutions, on up to two lanes.
        let squared: (Int, Int) -> Float = { dx, dy in
            let q = 1 / (1 + delta * delta * Double(dx * dx + dy * dy))
            return Float(q * q)
        }
        let plain: (Int, Int) -> Float = { dx, dy in Float(1 / (1 + delta * delta * Double(dx * dx + dy * dy))) }
        charges.withUnsafeBufferPointer { chargeBuffer in
            potentials.withUnsafeMutableBufferPointer { potentialBuffer in
                let c = SharedBuffer(reading: chargeBuffer.baseAddress!)
                let out = SharedBuffer(potentialBuffer.baseAddress!)
                let cells = m * m
                if lanes == 1 {
                    convolution.setKernel(0, lane: 0, squared)
                    convolution.setKernel(1, lane: 0, plain)
                    convolution.transform(c.base, lane: 0)
                    convolution.apply(kernel: 0, lane: 0, into: out.base)
                    convolution.apply(kernel: 1, lane: 0, into: out.base + 3 * cells)
                    for channel in 1..<3 {
                        convolution.transform(c.base + channel * cells, lane: 0)
                        convolution.apply(kernel: 0, lane: 0, into: out.base + channel * cells)
                    }
                } else {
                    let kernels = SendableKernels(squared: squared, plain: plain)
                    _ = WorkerThreads.run(threads: 2, count: 2, initial: 0) { t, _ in
                        convolution.setKernel(t, lane: t, t == 0 ? kernels.squared : kernels.plain)
                        return 0
                    }
                    _ = WorkerThreads.run(threads: 2, count: 2, initial: 0) { t, _ in
                        if t == 0 {
                            convolution.transform(c.base, lane: 0)
                            convolution.apply(kernel: 0, lane: 0, into: out.base)
                            convolution.apply(kernel: 1, lane: 0, into: out.base + 3 * cells)
                        } else {
                            for channel in 1..<3 {
                                convolution.transform(c.base + channel * cells, lane: 1)
                                convolution.apply(kernel: 0, lane: 1, into: out.base + channel * cells)
                            }
                        }
                        return 0
                    }
                }
            }
        }
        let sums = potentials.withUnsafeBufferPointer { potentialBuffer in
            let grid = SharedBuffer(reading: potentialBuffer.baseAddress!)
            let r = SharedBuffer(repulsion)
            return WorkerThreads.run(threads: workers, count: n, initial: 0.0) { _, range in
                TSNEInterpolationRepulsion.gather(yShared, range, geometry, potentials: grid.base, into: r.base)
            }
        }
        var z = 0.0
        for s in sums { z += s }
        return z - Double(n)
    }

    /// The grid's placement: lower corner, centre (the origin of the charges), box width,
    /// boxes and nodes per side, m = boxes · nodes.
    struct Geometry: Sendable {
        let minX: Double, minY: Double, centerX: Double, centerY: Double
        let width: Double
        let boxes: Int, nodes: Int, side: Int

        /// The box of coordinate `v` from `low` and the position in it (0 … 1).
        @inline(__always)
        func locate(_ v: Double, from low: Double) -> (box: Int, t: Double) {
            let s = (v - low) / width
            let box = min(max(Int(s), 0), boxes - 1)
            return (box, s - Double(box))
        }

        /// The `nodes` Lagrange weights at position t of a box, nodes at (k + ½) / nodes.
        @inline(__always)
        func weights(_ t: Double, into w: UnsafeMutablePointer<Double>) {
            let p = nodes
            for k in 0..<p {
                let tk = (Double(k) + 0.5) / Double(p)
                var value = 1.0
                for l in 0..<p where l != k {
                    let tl = (Double(l) + 0.5) / Double(p)
                    value *= (t - tl) / (tk - tl)
                }
                w[k] = value
            }
        }

        /// The boxes of point (x, v) and its Lagrange weights along each axis (`nodes` each,
        /// into `wx` and `wy`): the stencil both `spread` and `gather` walk.
        @inline(__always)
        func stencil(_ x: Double, _ v: Double, wx: UnsafeMutablePointer<Double>, wy: UnsafeMutablePointer<Double>) -> (bx: Int, by: Int) {
            let (bx, tx) = locate(x, from: minX)
            let (by, ty) = locate(v, from: minY)
            weights(tx, into: wx)
            weights(ty, into: wy)
            return (bx, by)
        }
    }

    /// Adds the charges (1, x − cx, y − cy) of points `range` to three m × m Double grids at
    /// `grids` (zeroed first).
    static func spread(_ y: SharedBuffer<Double>, _ range: Range<Int>, _ g: Geometry, into grids: UnsafeMutablePointer<Double>) {
        let m = g.side, p = g.nodes, cells = m * m
        grids.update(repeating: 0, count: 3 * cells)
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * p) { w in
            let wx = w.baseAddress!, wy = w.baseAddress! + p
            for i in range {
                let x = y[2 * i], v = y[2 * i + 1]
                let (bx, by) = g.stencil(x, v, wx: wx, wy: wy)
                let cx = x - g.centerX, cy = v - g.centerY
                for k in 0..<p {
                    let row = (bx * p + k) * m + by * p
                    for l in 0..<p {
                        let weight = wx[k] * wy[l]
                        grids[row + l] += weight
                        grids[cells + row + l] += weight * cx
                        grids[2 * cells + row + l] += weight * cy
                    }
                }
            }
        }
    }

    /// Interpolates the potentials (φ¹, φˣ, φʸ, ψ: four m × m grids) at points `range`, writes
    /// their repulsion and returns Σ ψ_i over the range.
    static func gather(
        _ y: SharedBuffer<Double>, _ range: Range<Int>, _ g: Geometry,
        potentials: UnsafeMutablePointer<Float>, into repulsion: UnsafeMutablePointer<Double>
    ) -> Double {
        let m = g.side, p = g.nodes, cells = m * m
        var z = 0.0
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * p) { w in
            let wx = w.baseAddress!, wy = w.baseAddress! + p
            for i in range {
                let x = y[2 * i], v = y[2 * i + 1]
                let (bx, by) = g.stencil(x, v, wx: wx, wy: wy)
                var one = 0.0, px = 0.0, py = 0.0, psi = 0.0
                for k in 0..<p {
                    let row = (bx * p + k) * m + by * p
                    for l in 0..<p {
                        let weight = wx[k] * wy[l]
                        one += weight * Double(potentials[row + l])
                        px += weight * Double(potentials[cells + row + l])
                        py += weight * Double(potentials[2 * cells + row + l])
                        psi += weight * Double(potentials[3 * cells + row + l])
                    }
                }
                repulsion[2 * i] = (x - g.centerX) * one - px
                repulsion[2 * i + 1] = (v - g.centerY) * one - py
                z += psi
            }
        }
        return z
    }
}

/// The two kernel closures, handed to the lane threads.
private struct SendableKernels: @unchecked Sendable {
    let squared: (Int, Int) -> Float
    let plain: (Int, Int) -> Float
}
