import CBFloat16

/// The screen of one similarity row against the thresholds of a top-k sweep, 16 lanes at a time in
/// AVX-512 (`CBFloat16`'s `xl_screen`): the columns a visitor must offer, in increasing order.
///
/// For row values x (count entries) and s = x[j] + raise, column j passes when
///
///     s > rowS  or  s > columnS[j]  or  2s − columnBound[j] > rowU  or  2s − rowBound > columnV[j]
///
/// (fp32; 2s is exact, so these are the same comparisons as any other evaluation of them). A caller
/// screens a whole row with its starting thresholds and then offers the passing columns in order:
/// thresholds only rise while a row is offered, so this finds every column a running screen finds.
/// Only where `isAvailable` (x86-64 with AVX512F).
package enum RowScreen {
    /// Whether this CPU and OS run the screen.
    package static var isAvailable: Bool { xl_avx512_available() != 0 }

    /// Entries `out` needs beyond the row's count (whole vectors are stored).
    package static let padding = 16

    /// Writes the passing columns (0-based, increasing) to `out` (capacity ≥ count + `padding`) and
    /// returns how many.
    @inline(__always)
    package static func screen(
        _ row: UnsafePointer<Float>, count: Int, raise: Float, rowS: Float, rowU: Float, rowBound: Float,
        columnBound: UnsafePointer<Float>, columnS: UnsafePointer<Float>, columnV: UnsafePointer<Float>,
        into out: UnsafeMutablePointer<Int32>
    ) -> Int {
        xl_screen(row, count, raise, rowS, rowU, rowBound, columnBound, columnS, columnV, out)
    }
}
