/// A LAPACK factorisation or solve that could not produce a (trustworthy) result.
///
/// Shape mismatches are reported separately as `ShapeError`; this error is about the *values*:
/// singular or non-positive-definite systems, non-finite input, failed convergence.
public enum LinearAlgebraError: EngineError, Equatable {
    /// The system matrix is singular or numerically singular.
    ///
    /// `routine` is the LAPACK routine (e.g. `sgesv`); `detail` says how it was detected
    /// (an exactly zero pivot `U(i,i)`, or a reciprocal condition estimate below the tolerance).
    case singular(routine: String, detail: String)
    /// The matrix is not symmetric positive definite: the Cholesky factorisation (`spotrf`
    /// inside `sposv`) found a non-positive leading minor of order `order`, or a symmetric
    /// eigenvalue needed to be positive was not (`order` is then the 1-based eigenvalue index).
    case notPositiveDefinite(routine: String, order: Int, detail: String)
    /// The iterative part of the routine (e.g. the divide-and-conquer of `sgesdd` / `ssyevd`)
    /// did not converge; `info` is LAPACK's positive return code.
    case didNotConverge(routine: String, info: Int)
    /// LAPACK rejected argument number `argument` (its `info = -argument`); a bug in the caller.
    case illegalArgument(routine: String, argument: Int)
    /// The input contains NaN or ±infinity; LAPACK's results would be meaningless.
    case nonFiniteInput(routine: String)

    /// What went wrong, naming the LAPACK routine.
    public var problem: String {
        switch self {
        case let .singular(routine, detail):
            return "\(routine): matrix is singular (\(detail))"
        case let .notPositiveDefinite(routine, order, detail):
            return "\(routine): matrix is not symmetric positive definite (order \(order): \(detail))"
        case let .didNotConverge(routine, info):
            return "\(routine): did not converge (info = \(info))"
        case let .illegalArgument(routine, argument):
            return "\(routine): illegal value of argument \(argument)"
        case let .nonFiniteInput(routine):
            return "\(routine): input contains NaN or infinity"
        }
    }

    /// What usually helps.
    public var fix: String? {
        switch self {
        case .singular, .notPositiveDefinite:
            return "the data are degenerate (duplicate or constant vectors, fewer pairs than dimensions); "
                + "use more training pairs or a regulariser"
        case .didNotConverge:
            return "check the input for extreme values; normalising the vectors usually helps"
        case .illegalArgument:
            return "this is a bug in xling; please report it"
        case .nonFiniteInput:
            return "remove or repair the vectors holding NaN or infinity"
        }
    }
}
