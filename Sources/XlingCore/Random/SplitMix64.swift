/// SplitMix64: a small, fast, seedable generator (Steele et al. 2014), the project's
/// reproducible source of randomness: every random choice of a run comes from one generator
/// seeded by the run's seed (`%set seed=…`), so the same seed and thread count give the same
/// numbers. `uniform(stream:_:_:)` gives keyed draws for choices whose order is not fixed.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits; see `RandomNumberGenerator.next`.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// A uniform Float in [0, 1) with 24 random bits.
    public mutating func nextFloat() -> Float { Float(next() >> 40) * (1.0 / 16_777_216.0) }

    /// SplitMix64's output function: a bijection of UInt64 that scatters nearby inputs.
    @inlinable
    public static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform Float in [0, 1) with 24 random bits that depends only on (`stream`, `a`, `b`):
    /// a *keyed* draw, for random choices that must not depend on the order in which they are
    /// made (which worker reaches them first, or which code path). Distinct (a, b) give distinct
    /// inner keys (`mix` is a bijection); the stream is added before a second mix.
    @inlinable
    public static func uniform(stream: UInt64, _ a: UInt32, _ b: UInt32) -> Float {
        let key = mix(stream &+ mix(UInt64(a) << 32 | UInt64(b)) &+ 0x9E37_79B9_7F4A_7C15)
        return Float(key >> 40) * (1.0 / 16_777_216.0)
    }
}
