/// The accumulator of one shard of rows `rows`: dense rows are summed in place in a
/// `denseRowCount × columns` Double block; every other row's pairs are appended as 4-byte
/// records (`column << 8 | code`) into that row's slice of one buffer, and summed per row by
/// `collect`. Within a row, values are summed in the order the pairs arrived, so the result
/// does not depend on the sharding. Memory: as `CooccurrenceShardPlan` prices it.
final class CooccurrenceShardAccumulator: CooccurrencePairSink {
    let rows: Range<Int>
    let columns: Int
    private let weights: UnsafeMutableBufferPointer<Double>
    /// Per local row: index of its dense row, or -1.
    private let slot: UnsafeMutableBufferPointer<Int32>
    /// Per local row: start of its records (sparse rows) ...
    private let offset: UnsafeMutableBufferPointer<Int>
    /// ... and the next free record.
    private let cursor: UnsafeMutableBufferPointer<Int>
    private let dense: UnsafeMutableBufferPointer<Double>
    private let records: UnsafeMutableBufferPointer<UInt32>

    /// An empty accumulator for `rows`, with `recordsPerRow` (indexed by global row) and the
    /// plan's dense flags.
    init(rows: Range<Int>, columns: Int, weights: [Double], recordsPerRow: [Int], dense isDense: [Bool]) {
        self.rows = rows
        self.columns = columns
        self.weights = .allocate(capacity: weights.count)
        _ = self.weights.initialize(from: weights)
        slot = .allocate(capacity: rows.count)
        offset = .allocate(capacity: rows.count)
        cursor = .allocate(capacity: rows.count)
        var denseCount = 0, recordCount = 0
        for (local, r) in rows.enumerated() {
            offset[local] = recordCount
            cursor[local] = recordCount
            if isDense[r] {
                slot[local] = Int32(denseCount)
                denseCount += 1
            } else {
                slot[local] = -1
                recordCount += recordsPerRow[r]
            }
        }
        dense = .allocate(capacity: denseCount * columns)
        dense.initialize(repeating: 0)
        records = .allocate(capacity: recordCount)
    }

    deinit {
        weights.deallocate()
        slot.deallocate()
        offset.deallocate()
        cursor.deallocate()
        dense.deallocate()
        records.deallocate()
    }

    @inline(__always)
    func add(row: Int, column: Int, code: Int) {
        let local = row &- rows.lowerBound
        let s = Int(slot[local])
        if s >= 0 {
            dense[s &* columns &+ column] += weights[code]
        } else {
            records[cursor[local]] = UInt32(truncatingIfNeeded: column) << 8 | UInt32(truncatingIfNeeded: code)
            cursor[local] &+= 1
        }
    }

    /// Appends the shard's non-zero entries, sorted by (row, column), to `out`.
    ///
    /// A sparse row is summed into a `columns`-long Double accumulator while its touched
    /// columns are noted in a list and a bitmap; it is emitted by scanning the bitmap when
    /// many columns were touched, else by sorting the list.
    func collect(into out: inout CooccurrenceEntries) {
        let words = (columns + 63) / 64
        let sum = UnsafeMutableBufferPointer<Double>.allocate(capacity: columns)
        let bits = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: words)
        sum.initialize(repeating: 0)
        bits.initialize(repeating: 0)
        defer {
            sum.deallocate()
            bits.deallocate()
        }
        var touched: [Int32] = []
        touched.reserveCapacity(min(columns, 1 << 16))
        for (local, r) in rows.enumerated() {
            let row = Int32(r)
            let s = Int(slot[local])
            if s >= 0 {
                let base = s * columns
                for c in 0..<columns where dense[base + c] != 0 { out.append(row, Int32(c), dense[base + c]) }
                continue
            }
            touched.removeAll(keepingCapacity: true)
            for i in offset[local]..<cursor[local] {
                let record = records[i]
                let c = Int(record >> 8)
                if sum[c] == 0 {
                    touched.append(Int32(c))
                    bits[c >> 6] |= 1 << UInt64(c & 63)
                }
                sum[c] += weights[Int(record & 0xff)]
            }
            if touched.count * 16 >= words {
                for w in 0..<words where bits[w] != 0 {
                    var word = bits[w]
                    bits[w] = 0
                    while word != 0 {
                        let c = w << 6 | word.trailingZeroBitCount
                        word &= word - 1
                        out.append(row, Int32(c), sum[c])
                        sum[c] = 0
                    }
                }
            } else {
                touched.sort()
                for c in touched {
                    out.append(row, c, sum[Int(c)])
                    sum[Int(c)] = 0
                    bits[Int(c) >> 6] = 0
                }
            }
        }
    }
}

/// Entries of a co-occurrence matrix being built: parallel arrays, appended in
/// (row, column) order.
struct CooccurrenceEntries {
    var rows: [Int32] = []
    var columns: [Int32] = []
    var values: [Double] = []

    var count: Int { values.count }

    @inline(__always)
    mutating func append(_ row: Int32, _ column: Int32, _ value: Double) {
        rows.append(row)
        columns.append(column)
        values.append(value)
    }

    /// Appends all of `other` (which must follow this buffer in (row, column) order).
    mutating func append(contentsOf other: CooccurrenceEntries) {
        rows.append(contentsOf: other.rows)
        columns.append(contentsOf: other.columns)
        values.append(contentsOf: other.values)
    }
}
