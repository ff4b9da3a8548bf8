/// Why a t-SNE run cannot start; every message names the problem and the fix.
public enum TSNEError: Error, Equatable, CustomStringConvertible {
    /// N points cannot support ⌊3·perplexity⌋ neighbours each (N must be > 3·perplexity).
    case tooFewPoints(count: Int, perplexity: Double)
    /// Row `row` of the input holds NaN or ±infinity.
    case nonFinite(row: Int)
    /// An option is outside its range; `name` is the option, `reason` what it must be.
    case invalidOption(name: String, reason: String)
    /// The input has no columns.
    case noDimensions

    public var description: String {
        switch self {
        case let .tooFewPoints(count, perplexity):
            let most = max(0, Double(count - 1) / 3)
            let shown = (most * 100).rounded(.down) / 100
            return "t-SNE with perplexity \(perplexity) needs more than \(Int((3 * perplexity).rounded(.down))) points "
                + "(3 × perplexity neighbours each), but got \(count); lower perplexity to at most \(shown) "
                + "or embed more points"
        case let .nonFinite(row):
            return "t-SNE input row \(row) contains NaN or infinity; remove or repair that vector first"
        case let .invalidOption(name, reason):
            return "t-SNE option \(name) \(reason)"
        case .noDimensions:
            return "t-SNE input has 0 columns; pass vectors with at least one dimension"
        }
    }
}
