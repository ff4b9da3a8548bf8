import COpenBLAS

/// Shared plumbing for the LAPACKE wrappers (row-major calls, `info` handling).
enum LAPACKSupport {
    /// `LAPACK_ROW_MAJOR`: every wrapper passes row-major storage, so leading dimensions are
    /// the number of *columns* of each array.
    static let rowMajor = Int32(LAPACK_ROW_MAJOR)

    /// A LAPACK character argument (`'S'`, `'V'`, `'U'`, …).
    static func char(_ c: Unicode.Scalar) -> CChar { CChar(truncatingIfNeeded: c.value) }

    /// Throws `nonFiniteInput` when `matrix` has NaN or ±infinity (LAPACK may loop or return
    /// garbage on such input).
    static func requireFinite(_ matrix: Matrix, _ routine: String) throws(LinearAlgebraError) {
        guard matrix.isFinite else { throw .nonFiniteInput(routine: routine) }
    }

    /// Maps a negative `info` (illegal argument; -1010 is LAPACKE's out-of-memory) to an error.
    static func checkArguments(_ info: Int32, _ routine: String) throws(LinearAlgebraError) {
        if info < 0 { throw .illegalArgument(routine: routine, argument: Int(-info)) }
    }
}
