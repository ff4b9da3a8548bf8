#if canImport(Glibc)
import Glibc
#endif

/// The distribution p(a_j = i | j, l, m) over which word generates word j of an m-word
/// sentence from an l-word sentence (i = 0 is NULL).
///
/// - `uniform`: IBM Model 1, 1 / (l + 1) (1 / l without a NULL word).
/// - `diagonal`: the reparameterisation of Dyer, Chahuneau & Smith (2013, "A simple, fast, and
///   effective reparameterization of IBM Model 2", fast_align): NULL gets `nullProbability`
///   p0; source word i (1-based) gets (1 − p0) · exp(−λ |i/l − j/m|) / Z_λ(j, l, m) with j
///   1-based and Z the sum over i = 1…l, so words near the diagonal are favoured (λ =
///   `tension`; fast_align's defaults λ = 4, p0 = 0.08). Without a NULL word the source words
///   share the whole mass. λ stays fixed here (fast_align's `-o` tension optimisation is not
///   implemented).
public enum AlignmentPrior: Sendable, Equatable {
    /// IBM Model 1: every generator equally likely.
    case uniform
    /// fast_align: NULL gets `nullProbability`, source words exp(−tension · distance from the diagonal).
    case diagonal(tension: Double, nullProbability: Double)

    /// fast_align's `-d` defaults: λ = 4, p0 = 0.08.
    public static let fastAlign = AlignmentPrior.diagonal(tension: 4, nullProbability: 0.08)

    /// Writes p(a_j = g) for every generator g into `weights` (count l + 1 with NULL first, else
    /// l), for generated word `j` (0-based) of `generatedLength` words and `sourceLength` = l.
    /// The weights sum to 1.
    @inline(__always)
    func fill(_ weights: inout [Double], j: Int, generatedLength m: Int, sourceLength l: Int, nullWord: Bool) {
        weights.removeAll(keepingCapacity: true)
        switch self {
        case .uniform:
            let w = 1 / Double(l + (nullWord ? 1 : 0))
            for _ in 0..<(l + (nullWord ? 1 : 0)) { weights.append(w) }
        case .diagonal(let tension, let p0):
            if nullWord { weights.append(l > 0 ? p0 : 1) }
            guard l > 0 else { return }
            let position = Double(j + 1) / Double(m)
            var z = 0.0
            for i in 1...l {
                let w = exp(-tension * abs(Double(i) / Double(l) - position))
                weights.append(w)
                z += w
            }
            let scale = (nullWord ? 1 - p0 : 1) / z
            for g in (nullWord ? 1 : 0)..<weights.count { weights[g] *= scale }
        }
    }
}
