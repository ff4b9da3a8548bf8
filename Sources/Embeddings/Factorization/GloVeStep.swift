#if canImport(Glibc)
import Glibc
#endif

/// One non-zero co-occurrence X_ij prepared for training: the word row, the context row, and
/// the two per-record constants of the GloVe loss, computed once in `Double` and rounded.
///
/// 16 bytes; `weight` = f(X_ij) = min(1, (X_ij / x_max)^α) (Pennington et al. 2014 eq. 9),
/// `logValue` = log X_ij.
struct GloVeRecord: Sendable, Equatable {
    /// The word's row (0-based).
    var word: Int32
    /// The context's row (0-based, before the shift past the words).
    var context: Int32
    /// log X_ij.
    var logValue: Float
    /// f(X_ij).
    var weight: Float

    /// The record of entry `value` at (`word`, `context`) with weighting `xMax`, `alpha`.
    init(word: Int32, context: Int32, value: Double, xMax: Double, alpha: Double) {
        self.word = word
        self.context = context
        logValue = Float(log(value))
        weight = value > xMax ? 1 : Float(pow(value / xMax, alpha))
    }
}

/// The GloVe update of one record, with glove.c's rules (src/glove.c, `glove_thread`):
///
///     diff  = w_i·c_j + b_i + b̃_j − log X_ij           (ε in Pennington et al. eq. 8)
///     fdiff = f(X_ij) · diff;   cost += ½ · fdiff · diff
///     g_w   = η · clip(fdiff · c_j, ±clip);  w_i −= g_w / √G_w;  G_w += g_w²   (same for c_j)
///     b_i  −= β · fdiff / √G_b;              G_b += (β · fdiff)²              (same for b̃_j)
///
/// where every gradient is taken at the parameters before the record (both vector updates use
/// the old w_i and c_j), and G (AdaGrad's squared-gradient sums) starts at 1. The vector
/// steps multiply by `FastMath.reciprocalSquareRoot(G)` (≤ 2 ulp from 1/√G) instead of
/// dividing by √G, which Swift does not vectorise on Linux; the bias steps divide exactly.
///
/// Bias step size β: glove.c applies neither η nor the clipping to the bias step (β = 1; an
/// open upstream pull request, stanfordnlp/GloVe#209, proposes adding both, and the
/// maintainers reported worse vectors with it). We follow glove.c (β = 1) by default, so our
/// costs match glove.c's, and offer β = η through `GloVeOptions.biasUsesLearningRate`.
///
/// The loss is `½ f diff²` — the cost glove.c reports — so the vector step with G = 1 is
/// η · ∂loss/∂w and the bias step is β · ∂loss/∂b: the finite-difference tests check exactly this.
struct GloVeStep: Sendable {
    /// η, AdaGrad's initial step size.
    var learningRate: Float
    /// The bound on each component of the vector gradient (glove.c `-grad-clip`, 100).
    var gradientClip: Float
    /// β, the factor on the bias gradient (1 = glove.c).
    var biasStep: Float

    /// Applies the update of record `r` to `word` and `context` (rows of tables with layout
    /// `layout`) and returns the record's loss ½·f·diff² before the update, in `Double`.
    @inline(__always)
    func apply(
        _ r: GloVeRecord, word w: UnsafeMutablePointer<Float>, context c: UnsafeMutablePointer<Float>,
        layout: ParameterTable
    ) -> Double {
        let padded = layout.paddedDimension
        let g = layout.gradsqOffset
        let wRaw = UnsafeMutableRawPointer(w), cRaw = UnsafeMutableRawPointer(c)
        var dot = SIMD8<Float>.zero
        var k = 0
        while k < padded {
            let at = k &* 4
            dot +=
                wRaw.loadUnaligned(fromByteOffset: at, as: SIMD8<Float>.self)
                * cRaw.loadUnaligned(fromByteOffset: at, as: SIMD8<Float>.self)
            k &+= 8
        }
        let bw = layout.biasOffset, gbw = layout.biasGradsqOffset
        let diff = dot.sum() + w[bw] + c[bw] - r.logValue
        let fdiff = r.weight * diff
        let lossValue = 0.5 * Double(fdiff) * Double(diff)

        let f8 = SIMD8<Float>(repeating: fdiff)
        let eta = SIMD8<Float>(repeating: learningRate)
        let clip = gradientClip
        k = 0
        while k < padded {
            let at = k &* 4, gat = (k &+ g) &* 4
            let wk = wRaw.loadUnaligned(fromByteOffset: at, as: SIMD8<Float>.self)
            let ck = cRaw.loadUnaligned(fromByteOffset: at, as: SIMD8<Float>.self)
            let gw = FastMath.clamp(f8 * ck, clip) * eta
            let gc = FastMath.clamp(f8 * wk, clip) * eta
            let sw = wRaw.loadUnaligned(fromByteOffset: gat, as: SIMD8<Float>.self)
            let sc = cRaw.loadUnaligned(fromByteOffset: gat, as: SIMD8<Float>.self)
            wRaw.storeBytes(of: wk - gw * FastMath.reciprocalSquareRoot(sw), toByteOffset: at, as: SIMD8<Float>.self)
            cRaw.storeBytes(of: ck - gc * FastMath.reciprocalSquareRoot(sc), toByteOffset: at, as: SIMD8<Float>.self)
            wRaw.storeBytes(of: sw + gw * gw, toByteOffset: gat, as: SIMD8<Float>.self)
            cRaw.storeBytes(of: sc + gc * gc, toByteOffset: gat, as: SIMD8<Float>.self)
            k &+= 8
        }
        let gb = biasStep * fdiff
        w[bw] -= gb / w[gbw].squareRoot()
        c[bw] -= gb / c[gbw].squareRoot()
        w[gbw] += gb * gb
        c[gbw] += gb * gb
        return lossValue
    }
}
