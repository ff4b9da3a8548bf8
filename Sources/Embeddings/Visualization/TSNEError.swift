/// Why a t-SNE run cannot start; every message names the problem and the fix.
public enum TSNEError: EngineError, Equatable {
    /// N points cannot support ⌊3·perplexity⌋ neighbours each (N must be > 3·perplexity).
    case tooFewPoints(count: Int, perplexity: Double)
    /// Row `row` of the input holds NaN or ±infinity.
    case nonFinite(row: Int)
    /// An option is outside its range; `name` is the option, `reason` what it must be.
    case invalidOption(name: String, reason: String)
    /// The input has no columns.
    case noDimensions

    /// What is wrong.
    public var problem: String {
        switch self {
        case let .tooFewPoints(count, perplexity):
            return "t-SNE with perplexity \(perplexity) needs more than \(Int((3 * perplexity).rounded(.down))) points "
                + "(3 × perplexity neighbours each), but got \(count)"
        case let .nonFinite(row):
            return "t-SNE input row \(row) contains NaN or infinity"
        case let .invalidOption(name, reason):
            return "t-SNE option \(name) \(reason)"
        case .noDimensions:
            return "t-SNE input has 0 columns"
        }
    }

    /// How to fix it (nil for an option out of range: `reason` says what it must be).
    public var fix: String? {
        switch self {
        case let .tooFewPoints(count, _):
            let most = max(0, Double(count - 1) / 3)
            let shown = (most * 100).rounded(.down) / 100
            return "lower perplexity to at most \(shown) or embed more points"
        case .nonFinite: return "remove or repair that vector first"
        case .invalidOption: return nil
        case .noDimensions: return "pass vectors with at least one dimension"
        }
    }
}
