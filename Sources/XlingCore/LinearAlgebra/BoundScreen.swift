import CBFloat16

/// The screens of a low-rank sketch's rows (`LowRankCSLSDictionary`): for sketch row s, per-column
/// spreads σ and optional per-column offsets h,
///
///     v_j = (s[j] + (r·σ[j] + add)) − (own + h[j])      (fp32, each operation rounded on its own)
///
/// `screen` returns the j whose v_j + slack reaches the row's threshold or column j's; `maximum`
/// returns max_j v_j and raises every column's running maximum to v_j. In C (`CBFloat16`), 16 lanes
/// at a time in AVX-512 where the CPU has it (`RowScreen.isAvailable`), one at a time elsewhere or
/// when `vector` is false (tests run both), with the same arithmetic.
package enum BoundScreen {
    /// Entries `out` needs beyond the row's count (whole vectors are stored).
    package static let padding = 16

    /// Writes the passing columns (0-based, increasing) to `out` (capacity ≥ count + `padding`) and
    /// returns how many. `offsets` nil: no h term.
    @inline(__always)
    package static func screen(
        _ row: UnsafePointer<Float>, sigma: UnsafePointer<Float>, offsets: UnsafePointer<Float>?, count: Int, r: Float,
        add: Float, own: Float = 0, rowThreshold: Float, columnThresholds: UnsafePointer<Float>, slack: Float,
        into out: UnsafeMutablePointer<Int32>, vector: Bool = true
    ) -> Int {
        xl_bound_screen(row, sigma, offsets, count, r, add, own, rowThreshold, columnThresholds, slack, out, vector ? 1 : 0)
    }

    /// max_j v_j (−∞ for an empty row), raising `columnMax[j]` to v_j.
    @inline(__always)
    package static func maximum(
        _ row: UnsafePointer<Float>, sigma: UnsafePointer<Float>, offsets: UnsafePointer<Float>?, count: Int, r: Float,
        add: Float, own: Float = 0, columnMax: UnsafeMutablePointer<Float>, vector: Bool = true
    ) -> Float {
        xl_bound_max(row, sigma, offsets, count, r, add, own, columnMax, vector ? 1 : 0)
    }
}
