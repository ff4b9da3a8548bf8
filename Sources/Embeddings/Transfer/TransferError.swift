/// Bad input to the cross-task transfer engine (`LocallyLinearMapping`, `LinearProjection`,
/// `NeighborhoodTuning`). Every message names the problem and how to fix it.
public enum TransferError: EngineError, Equatable {
    /// k ≤ 0 neighbours were asked for.
    case nonPositiveK(Int)
    /// k exceeds the number of source words available as neighbours (`available` is the source
    /// size, or the source size − 1 for leave-self-out tuning).
    case kExceedsSource(k: Int, available: Int, leaveSelfOut: Bool)
    /// A matrix that needs at least one row (or column) has none; `what` names it.
    case empty(what: String)
    /// The general source and general target vectors have different dimensions.
    case dimensionMismatch(source: Int, target: Int)
    /// The general and task-specific source matrices do not have the same rows (words).
    case rowCountMismatch(general: Int, specific: Int)
    /// A matrix contains NaN or ±infinity; `row` is the first bad row (0-based).
    case nonFinite(what: String, row: Int)
    /// The regularisation δ (or ridge) is negative or not finite.
    case invalidRegularization(what: String, value: Double)
    /// The regularised local Gram matrix of target row `row` is not positive definite (only
    /// possible with δ = 0, i.e. when duplicate neighbours or k > dim make C singular).
    case singularNeighborhood(row: Int, regularization: Double)
    /// A word (row) index outside the vocabulary of `count` rows.
    case wordOutOfRange(index: Int, count: Int)
    /// `NeighborhoodTuning` got no candidate k.
    case noCandidates
    /// The caller's score for candidate k was NaN or infinite.
    case nonFiniteScore(k: Int, score: Double)

    /// What is wrong.
    public var problem: String {
        switch self {
        case let .nonPositiveK(k):
            return "k = \(k) neighbours is not possible"
        case let .kExceedsSource(k, available, leaveSelfOut):
            let side =
                leaveSelfOut
                ? "the source side has only \(available) other words per word (leave-self-out)"
                : "the source side has only \(available) words"
            return "k = \(k) neighbours is too many: \(side)"
        case let .empty(what):
            return "\(what) is empty"
        case let .dimensionMismatch(source, target):
            return "general source vectors have \(source) dimensions but general target vectors have \(target)"
        case let .rowCountMismatch(general, specific):
            return "the general source matrix has \(general) words but the task-specific one has \(specific)"
        case let .nonFinite(what, row):
            return "\(what) contains NaN or infinity (row \(row))"
        case let .invalidRegularization(what, value):
            return "\(what) = \(value) is not allowed"
        case let .singularNeighborhood(row, regularization):
            return "the neighbours of target row \(row) give a singular local Gram matrix with regularization \(regularization) "
                + "(duplicate neighbours or k > dimension)"
        case let .wordOutOfRange(index, count):
            return "word index \(index) is outside the \(count)-word vocabulary"
        case .noCandidates:
            return "no candidate k to tune"
        case let .nonFiniteScore(k, score):
            return "the score for k = \(k) is \(score)"
        }
    }

    /// How to fix it.
    public var fix: String? {
        switch self {
        case .nonPositiveK: return "use k ≥ 1 (e.g. k=3)"
        case let .kExceedsSource(_, available, _): return "use k ≤ \(available) or a larger source vocabulary"
        case .empty: return "load vectors with at least one word (and one dimension) first"
        case .dimensionMismatch: return "both sides must live in one cross-lingual space (align them first, e.g. %align)"
        case .rowCountMismatch: return "row i of both must be the same source word (restrict both to their shared vocabulary)"
        case .nonFinite: return "remove or retrain that vector"
        case .invalidRegularization: return "use a finite value ≥ 0 (default 1e-3)"
        case .singularNeighborhood: return "use regularization > 0, e.g. 1e-3"
        case let .wordOutOfRange(_, count): return "use an index in 0..<\(count)"
        case .noCandidates: return "pass a range such as 1...10"
        case .nonFiniteScore: return "the scoring function must return a finite number"
        }
    }
}

extension TransferError {
    /// Throws `.nonFinite(what:row:)` for the first row of `matrix` holding NaN or ±∞.
    static func requireFinite(_ matrix: Matrix, _ what: String) throws(TransferError) {
        let d = matrix.cols
        guard d > 0 else { return }
        for (offset, x) in matrix.storage.enumerated() where !x.isFinite {
            throw .nonFinite(what: what, row: offset / d)
        }
    }

    /// Throws `.empty` when `matrix` has no rows or no columns.
    static func requireNonEmpty(_ matrix: Matrix, _ what: String) throws(TransferError) {
        guard matrix.rows > 0, matrix.cols > 0 else { throw .empty(what: "\(what) (\(matrix.shapeDescription))") }
    }
}
