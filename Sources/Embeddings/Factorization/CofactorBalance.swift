/// How the cross-lingual term of a co-factorization is weighed against the monolingual ones
/// (Shi et al. 2015 eq. 1, ω_c) when `CofactorOptions.balanceCross` is on.
///
/// The terms of eq. 1 are sums over very different numbers of elements with very different
/// weights: at 0.7 M tokens per language (Europarl + WMT 10k, en–de) a window matrix has ~2.5 M
/// non-zeros with Σf ≈ 150 k, a CLSim term 21 k translation pairs with Σsim ≈ 2.9 k (~50× less),
/// a CLC-WA term (eq. 4) 1.3 M counts with Σf ≈ 71 k. With a plain ω_c = 1 a CLSim term is then a
/// few per cent of the objective and the two spaces barely meet. Balanced, the cross
/// term's element weights are multiplied by `scale` = mean(F1, F2) / Fc, where F1, F2 are the
/// monolingual masses Σ f(X_jk) and Fc the cross mass (Σ f for CLC elements, Σ sim for CLSim):
/// ω_c = 1 then means "as much weight as one language's monolingual term".
///
/// Constant-rate SGD is stable only while η·weight stays small, so the scaled cross elements are
/// not given weights of 10–50: each is put `repeats` = ⌈ω_c·scale⌉ times (at most
/// `maximumRepeats`) into the shuffled list with weight ω_c·scale·base / repeats, which has the
/// same objective (the sum of the copies) and the same expected gradient per pass, with steps
/// no larger than an unscaled element's.
public struct CofactorBalance: Sendable, Equatable {
    /// Σ f(X_jk) of the first language's monolingual term (before ω1).
    public var firstMass: Double
    /// Σ f(X_jk) of the second language's monolingual term (before ω2).
    public var secondMass: Double
    /// Σ of the cross term's element base weights (f for CLC, sim for CLSim; before ω_c).
    public var crossMass: Double
    /// The factor applied to the cross term's weights besides ω_c (1 when not balanced).
    public var scale: Double
    /// How many copies of each cross element one pass visits.
    public var repeats: Int

    /// The largest number of copies of a cross element.
    public static let maximumRepeats = 16

    /// Creates a balance.
    public init(firstMass: Double, secondMass: Double, crossMass: Double, scale: Double, repeats: Int) {
        self.firstMass = firstMass
        self.secondMass = secondMass
        self.crossMass = crossMass
        self.scale = scale
        self.repeats = repeats
    }

    /// The balance for the given masses: `scale` = mean(first, second) / cross when `balanced`
    /// and the cross mass is positive (else 1); `repeats` = ⌈crossWeight·scale⌉ in
    /// 1…`maximumRepeats` when balanced, else 1.
    static func make(first: Double, second: Double, cross: Double, crossWeight: Double, balanced: Bool) -> CofactorBalance {
        guard balanced, cross > 0 else {
            return CofactorBalance(firstMass: first, secondMass: second, crossMass: cross, scale: 1, repeats: 1)
        }
        let scale = (first + second) / 2 / cross
        let wanted = (crossWeight * scale).rounded(.up)
        let repeats = wanted.isFinite ? Int(Swift.min(Double(maximumRepeats), Swift.max(1, wanted))) : 1
        return CofactorBalance(firstMass: first, secondMass: second, crossMass: cross, scale: scale, repeats: repeats)
    }
}
