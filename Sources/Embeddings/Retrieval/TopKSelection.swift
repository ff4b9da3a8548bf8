/// Partial top-k selection kernels over rows of a similarity tile (the hot loop of retrieval).
///
/// A top-k list is a descending array of at most `k` values (plus indices for rows), filled
/// so far `filled`; its threshold is the k-th value once full, −∞ before. Candidates are
/// screened 16 at a time with a SIMD compare against the threshold and only the (rare) lanes
/// above it are inserted, so a row costs ≈ one vector compare per 16 similarities.
///
/// Tie rule: candidates arrive in increasing index order and must be strictly greater than
/// the threshold to enter; on insertion they go after every value ≥ them. Hence among equal
/// scores the lower index always ranks first, as with a stable sort on (−score, index).
/// NaN candidates never enter.
enum TopKSelection {
    typealias Lanes = SIMD16<Float>
    static let width = 16

    /// Lane l's weight 2^l, for `bits`.
    static let laneWeights = SIMD16<Int32>(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768)

    /// The lanes of a comparison as a bit set (bit l = lane l), so that a screened group visits
    /// only its winners (iterate with `trailingZeroBitCount`, in increasing lane order).
    @inline(__always)
    static func bits(_ mask: SIMDMask<SIMD16<Int32>>) -> UInt32 {
        UInt32(truncatingIfNeeded: (SIMD16<Int32>(repeating: 0).replacing(with: laneWeights, where: mask)).wrappedSum())
    }

    /// The lanes of `x` whose sign bit is set, as a bit set (bit l = lane l): an arithmetic shift and
    /// a masked sum, cheaper on SSE2 than `bits` of a `SIMDMask` (no mask legalisation). With
    /// `above(s, t)` it screens s > t: for non-NaN floats t − s has its sign bit set exactly when
    /// s > t (a difference of two different floats is never ±0; t = −∞ gives −∞).
    @inline(__always)
    static func signBits(_ x: SIMD16<Int32>) -> UInt32 {
        UInt32(truncatingIfNeeded: ((x &>> 31) & laneWeights).wrappedSum())
    }

    /// The bits of t − s (see `signBits`).
    @inline(__always)
    static func above(_ s: Lanes, _ t: Lanes) -> SIMD16<Int32> {
        unsafeBitCast(t - s, to: SIMD16<Int32>.self)
    }

    /// Inserts (`value`, `index`) into the descending list (`values`, `indices`) of capacity
    /// `k` holding `filled` entries; the caller has checked it beats the threshold.
    @inline(__always)
    static func insert(
        _ value: Float, _ index: Int32, values: UnsafeMutablePointer<Float>,
        indices: UnsafeMutablePointer<Int32>, filled: inout Int, k: Int
    ) {
        var p = filled < k ? filled : k - 1
        while p > 0 && values[p - 1] < value {
            values[p] = values[p - 1]
            indices[p] = indices[p - 1]
            p -= 1
        }
        values[p] = value
        indices[p] = index
        if filled < k { filled += 1 }
    }

    /// Value-only variant of `insert`.
    @inline(__always)
    static func insert(_ value: Float, values: UnsafeMutablePointer<Float>, filled: inout Int, k: Int) {
        var p = filled < k ? filled : k - 1
        while p > 0 && values[p - 1] < value {
            values[p] = values[p - 1]
            p -= 1
        }
        values[p] = value
        if filled < k { filled += 1 }
    }

    @inline(__always)
    static func threshold(_ values: UnsafePointer<Float>, filled: Int, k: Int) -> Float {
        filled >= k ? values[k - 1] : -.infinity
    }

    /// Offers `row[0 ..< count]` (global indices `indexOffset + j`) to one row's top-k list.
    @inline(__always)
    static func scanRow(
        _ row: UnsafePointer<Float>, count: Int, indexOffset: Int,
        values: UnsafeMutablePointer<Float>, indices: UnsafeMutablePointer<Int32>,
        filled: inout Int, k: Int
    ) {
        var thr = threshold(values, filled: filled, k: k)
        var j = 0
        while j + width <= count {
            let v = UnsafeRawPointer(row + j).loadUnaligned(as: Lanes.self)
            if any(v .> Lanes(repeating: thr)) {
                for l in 0..<width where row[j + l] > thr {
                    insert(
                        row[j + l], Int32(truncatingIfNeeded: indexOffset + j + l),
                        values: values, indices: indices, filled: &filled, k: k)
                    thr = threshold(values, filled: filled, k: k)
                }
            }
            j += width
        }
        while j < count {
            if row[j] > thr {
                insert(
                    row[j], Int32(truncatingIfNeeded: indexOffset + j),
                    values: values, indices: indices, filled: &filled, k: k)
                thr = threshold(values, filled: filled, k: k)
            }
            j += 1
        }
    }

    /// Offers one tile row both to its row's value-only top-k list (`rowValues`, capacity
    /// `rowK`; skipped when `rowK == 0`) and, element j, to column `columnStart + j`'s
    /// value-only list (`columnValues[c * columnK ..]`, thresholds `columnThresholds[c]`,
    /// fill counts `columnFilled[c]`; skipped when `columnK == 0`).
    @inline(__always)
    static func scanRowAndColumns(
        _ row: UnsafePointer<Float>, count: Int,
        rowValues: UnsafeMutablePointer<Float>, rowFilled: inout Int, rowK: Int,
        columnStart: Int, columnValues: UnsafeMutablePointer<Float>,
        columnThresholds: UnsafeMutablePointer<Float>,
        columnFilled: UnsafeMutablePointer<Int32>, columnK: Int
    ) {
        sweep(
            row, count: count, rowThreshold: rowK > 0 ? threshold(rowValues, filled: rowFilled, k: rowK) : .infinity,
            columnStart: columnStart, columnValues: columnValues, columnThresholds: columnThresholds,
            columnFilled: columnFilled, columnK: columnK
        ) { _, x in
            insert(x, values: rowValues, filled: &rowFilled, k: rowK)
            return threshold(rowValues, filled: rowFilled, k: rowK)
        }
    }

    /// Indexed variant of `scanRowAndColumns`: the row's list keeps (value, index) pairs
    /// (`rowValues` / `rowIndices`, capacity `rowK ≥ 1`; global index `columnStart + j`), as
    /// needed for CSLS candidate lists. Same tie rule (strict `>` in increasing index order:
    /// among equal values the lower index is kept). Column lists as in `scanRowAndColumns`.
    @inline(__always)
    static func scanRowAndColumnsIndexed(
        _ row: UnsafePointer<Float>, count: Int,
        rowValues: UnsafeMutablePointer<Float>,
        rowIndices: UnsafeMutablePointer<Int32>,
        rowFilled: inout Int, rowK: Int,
        columnStart: Int, columnValues: UnsafeMutablePointer<Float>,
        columnThresholds: UnsafeMutablePointer<Float>,
        columnFilled: UnsafeMutablePointer<Int32>, columnK: Int
    ) {
        sweep(
            row, count: count, rowThreshold: threshold(rowValues, filled: rowFilled, k: rowK),
            columnStart: columnStart, columnValues: columnValues, columnThresholds: columnThresholds,
            columnFilled: columnFilled, columnK: columnK
        ) { j, x in
            insert(
                x, Int32(truncatingIfNeeded: columnStart + j), values: rowValues, indices: rowIndices,
                filled: &rowFilled, k: rowK)
            return threshold(rowValues, filled: rowFilled, k: rowK)
        }
    }

    /// The shared sweep of one tile row: SIMD-compares `width` values at a time against the
    /// row threshold and the columns' thresholds and offers only the rare winners: to the row
    /// through `offerRow(j, x)` (which stores x and returns the row's new threshold) and to
    /// column `columnStart + j`'s value-only list. Both callers inline it with their closure.
    @inline(__always)
    static func sweep(
        _ row: UnsafePointer<Float>, count: Int, rowThreshold: Float,
        columnStart: Int, columnValues: UnsafeMutablePointer<Float>,
        columnThresholds: UnsafeMutablePointer<Float>,
        columnFilled: UnsafeMutablePointer<Int32>, columnK: Int,
        offerRow: (Int, Float) -> Float
    ) {
        var thr = rowThreshold
        let ct = columnThresholds + columnStart
        @inline(__always) func offer(_ j: Int, _ x: Float) {
            if x > thr { thr = offerRow(j, x) }
            if x > ct[j] {
                let c = columnStart + j
                var filled = Int(columnFilled[c])
                let list = columnValues + c * columnK
                insert(x, values: list, filled: &filled, k: columnK)
                columnFilled[c] = Int32(filled)
                ct[j] = threshold(list, filled: filled, k: columnK)
            }
        }
        var j = 0
        while j + width <= count {
            let v = UnsafeRawPointer(row + j).loadUnaligned(as: Lanes.self)
            let t = UnsafeRawPointer(ct + j).loadUnaligned(as: Lanes.self)
            // Only the lanes above either threshold are offered, in increasing order (the row
            // threshold can only rise within the group, so `offer` re-tests it).
            var hits = bits((v .> Lanes(repeating: thr)) .| (v .> t))
            while hits != 0 {
                let l = hits.trailingZeroBitCount
                offer(j + l, row[j + l])
                hits &= hits &- 1
            }
            j += width
        }
        while j < count {
            offer(j, row[j])
            j += 1
        }
    }
}
