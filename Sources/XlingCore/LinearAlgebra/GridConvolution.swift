import CFFTW
import Synchronization

/// Discrete convolution of m × m grids with translation-invariant kernels, by FFTW's
/// single-precision real FFTs (r2c / c2r) over the zero-padded 2m × 2m grid (circulant
/// embedding of the two-level Toeplitz matrix):
///
///     out[a, b] = Σ_{a′, b′ < m} K(a − a′, b − b′) · in[a′, b′],   0 ≤ a, b < m.
///
/// Cost per convolution: two FFTs of 2m × 2m reals, O(m² log m); memory: per lane three
/// 2m × 2m buffers (floats, half-spectrum complex), per kernel one half spectrum.
///
/// Threads: `kernels` spectra are shared and read-only while convolving; each of `lanes`
/// owns its buffers, so different lanes may run at the same time (`setKernel` uses a lane's
/// buffers too). Plans are made with `FFTW_ESTIMATE`, which picks the algorithm by rule rather
/// than by timing: the same size gives the same arithmetic in every run and on every lane,
/// so results are bit-identical whichever lane or thread computes them. FFTW's planner is not
/// thread-safe; plan creation and destruction are serialised by one process-wide lock.
///
/// Accuracy: single precision; the error of an output is about 1e-6 of the largest
/// |K| · Σ|in| (FFT round-off is relative to the signal's norm, not to each entry).
public final class GridConvolution: @unchecked Sendable {
    /// m, the grid side.
    public let size: Int
    /// 2m, the padded side.
    private let padded: Int
    /// Complex entries per half spectrum: 2m × (m + 1).
    private let spectrumCount: Int
    private let forward: fftwf_plan
    private let backward: fftwf_plan
    private let spectra: [UnsafeMutablePointer<Float>]
    private let real: [UnsafeMutablePointer<Float>]
    private let spectrum: [UnsafeMutablePointer<Float>]
    private let product: [UnsafeMutablePointer<Float>]

    /// Serialises FFTW's planner (not thread-safe).
    private static let planner = Mutex(())

    /// A convolution of `size` × `size` grids with room for `kernels` kernels and `lanes`
    /// concurrent users (all ≥ 1).
    public init(size: Int, kernels: Int, lanes: Int) {
        precondition(size >= 1 && kernels >= 1 && lanes >= 1, "GridConvolution needs size, kernels and lanes ≥ 1")
        self.size = size
        padded = 2 * size
        spectrumCount = padded * (size + 1)
        let realCount = 4 * size * size
        let complexFloats = 2 * 2 * size * (size + 1)
        spectra = (0..<kernels).map { _ in GridConvolution.floats(complexFloats) }
        real = (0..<lanes).map { _ in GridConvolution.floats(realCount) }
        spectrum = (0..<lanes).map { _ in GridConvolution.floats(complexFloats) }
        product = (0..<lanes).map { _ in GridConvolution.floats(complexFloats) }
        let plans = GridConvolution.plan(side: 2 * size, real: real[0], complex: spectrum[0])
        forward = plans.forward
        backward = plans.backward
    }

    /// `count` zeroed floats from `fftwf_malloc` (FFTW's SIMD alignment).
    private static func floats(_ count: Int) -> UnsafeMutablePointer<Float> {
        guard let raw = fftwf_malloc(count * MemoryLayout<Float>.stride) else {
            fatalError("GridConvolution: fftwf_malloc of \(count) floats failed")
        }
        let pointer = raw.bindMemory(to: Float.self, capacity: count)
        pointer.initialize(repeating: 0, count: count)
        return pointer
    }

    /// A forward and a backward plan, made under the planner lock.
    private struct Plans: @unchecked Sendable {
        let forward: fftwf_plan
        let backward: fftwf_plan
    }

    /// Plans the `side` × `side` r2c and c2r transforms on the given buffers.
    private static func plan(side: Int, real: UnsafeMutablePointer<Float>, complex: UnsafeMutablePointer<Float>) -> Plans {
        let n = Int32(side)
        let buffers = (UInt(bitPattern: real), UInt(bitPattern: complex))
        return planner.withLock { _ -> Plans in
            guard let r = UnsafeMutablePointer<Float>(bitPattern: buffers.0),
                let c = UnsafeMutablePointer<fftwf_complex>(bitPattern: buffers.1),
                let f = fftwf_plan_dft_r2c_2d(n, n, r, c, UInt32(FFTW_ESTIMATE)),
                let b = fftwf_plan_dft_c2r_2d(n, n, c, r, UInt32(FFTW_ESTIMATE))
            else { fatalError("GridConvolution: FFTW could not plan a \(n) × \(n) transform") }
            return Plans(forward: f, backward: b)
        }
    }

    deinit {
        let plans = Plans(forward: forward, backward: backward)
        GridConvolution.planner.withLock { _ in
            fftwf_destroy_plan(plans.forward)
            fftwf_destroy_plan(plans.backward)
        }
        for pointer in spectra + real + spectrum + product { fftwf_free(pointer) }
    }

    /// Sets kernel `index` from its values K(dx, dy), dx, dy ∈ −(m − 1) … m − 1, using lane
    /// `lane`'s buffers. The 1 / (2m)² of the inverse FFT is folded into the stored spectrum.
    public func setKernel(_ index: Int, lane: Int = 0, _ value: (Int, Int) -> Float) {
        let m = size, p = padded
        let r = real[lane]
        for i in 0..<p {
            let dx = i < m ? i : i - p
            for j in 0..<p {
                let dy = j < m ? j : j - p
                r[i * p + j] = (i == m || j == m) ? 0 : value(dx, dy)
            }
        }
        fftwf_execute_dft_r2c(forward, r, complex(spectra[index]))
        let scale = 1 / Float(p * p)
        let k = spectra[index]
        for e in 0..<(2 * spectrumCount) { k[e] *= scale }
    }

    /// Transforms `input` (m × m, row-major) into lane `lane`'s spectrum, ready for
    /// `apply(kernel:lane:into:)` with any number of kernels.
    public func transform(_ input: UnsafePointer<Float>, lane: Int) {
        let m = size, p = padded
        let r = real[lane]
        r.update(repeating: 0, count: p * p)
        for a in 0..<m { (r + a * p).update(from: input + a * m, count: m) }
        fftwf_execute_dft_r2c(forward, r, complex(spectrum[lane]))
    }

    /// Writes the convolution of lane `lane`'s transformed input with kernel `kernel` into
    /// `output` (m × m, row-major).
    public func apply(kernel: Int, lane: Int, into output: UnsafeMutablePointer<Float>) {
        let m = size, p = padded
        let k = spectra[kernel], s = spectrum[lane], q = product[lane]
        for e in 0..<spectrumCount {
            let (kr, ki) = (k[2 * e], k[2 * e + 1])
            let (sr, si) = (s[2 * e], s[2 * e + 1])
            q[2 * e] = kr * sr - ki * si
            q[2 * e + 1] = kr * si + ki * sr
        }
        let r = real[lane]
        fftwf_execute_dft_c2r(backward, complex(q), r)
        for a in 0..<m { (output + a * m).update(from: r + a * p, count: m) }
    }

    /// Bytes held (buffers and spectra), for memory reports.
    public var bytes: Int {
        4 * (spectra.count * 2 * spectrumCount + real.count * padded * padded + 2 * spectrum.count * 2 * spectrumCount)
    }

    private func complex(_ pointer: UnsafeMutablePointer<Float>) -> UnsafeMutablePointer<fftwf_complex> {
        UnsafeMutablePointer<fftwf_complex>(OpaquePointer(pointer))
    }
}
