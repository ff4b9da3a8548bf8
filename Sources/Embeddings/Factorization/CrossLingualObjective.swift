/// The cross-lingual term L_cross of Shi et al. 2015 eq. 1, which ties the two languages'
/// word vectors W^l1 and W^l2 together.
public enum CrossLingualObjective: Sendable {
    /// CLC (§4.1, CLC-WA from eq. 4 or CLC+WA from eq. 5): eq. 2's weighted least squares on
    /// the PMI of the bilingual counts X^bi (n1 × n2, l1 words × l2 words), fitted by
    /// w^l1_j · w^l2_k + b^×_j + b^×_k + b^× with its own word biases and matrix bias, weighted
    /// by f with `CofactorOptions.crossXMax` (100 in the paper).
    case cooccurrence(CooccurrenceMatrix)
    /// CLSim (§4.2, eq. 7): Σ sim(j, k) · ‖w^l1_j − w^l2_k‖² over the given pairs
    /// (`source` < n1, `target` < n2, similarity finite and ≥ 0, e.g. translation probabilities).
    case similarity([(source: Int32, target: Int32, similarity: Float)])
    /// No cross-lingual term: two independent monolingual factorizations (ω_c unused).
    case none

    /// The number of non-zero elements this term contributes per iteration.
    var count: Int {
        switch self {
        case .cooccurrence(let m): return m.count
        case .similarity(let pairs): return pairs.count
        case .none: return 0
        }
    }
}
