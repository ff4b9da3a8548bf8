/// How the rows of X are split into shards that each fit one thread's share of the memory
/// limit, and which rows are accumulated densely.
///
/// A row that receives `n` pairs costs `min(4·n, 8·columns)` bytes: either its `n` 4-byte
/// records (column and weight code) to be summed row by row after the pass, or — when that is
/// not smaller — a dense `columns`-long Double row summed in place (frequent words). On top, a
/// row costs `perRowBytes` of bookkeeping and a worker needs `workerBytes` for its sparse
/// accumulator. Which rows are dense depends only on the counts, never on the limit, so the
/// numbers do not depend on the sharding.
struct CooccurrenceShardPlan: Equatable {
    /// Bookkeeping per row of a shard (slot, cursor, offset).
    static let perRowBytes = 24
    /// Fixed bytes a worker needs: a `columns`-long Double accumulator, the list of touched
    /// columns, and slack.
    static func workerBytes(columns: Int) -> Int { 12 * columns + 4096 }

    /// Contiguous row ranges covering `0..<rowCount` in order.
    var shards: [Range<Int>]
    /// `dense[r]`: row `r` is accumulated as a dense row.
    var dense: [Bool]

    /// Plans shards for `recordsPerRow` so that each of `threads` concurrent shards stays
    /// within `memoryLimit / threads`; with several threads, shards also hold at most about
    /// `1/threads` of the pairs so every thread gets work. Throws `memoryLimitTooSmall` when
    /// one row does not fit.
    init(recordsPerRow: [Int], columns: Int, threads: Int, memoryLimit: Int) throws(CooccurrenceError) {
        let denseBytes = 8 * columns
        let isDense = recordsPerRow.map { $0 > 0 && 4 * $0 >= denseBytes }
        dense = isDense
        func cost(_ r: Int) -> Int { (isDense[r] ? denseBytes : 4 * recordsPerRow[r]) + Self.perRowBytes }
        let share = memoryLimit / threads
        let budget = share - Self.workerBytes(columns: columns)
        let largest = recordsPerRow.indices.map(cost).max() ?? 0
        guard budget >= largest else {
            throw .memoryLimitTooSmall(limit: memoryLimit, needed: threads * (Self.workerBytes(columns: columns) + largest))
        }
        let total = recordsPerRow.reduce(0, +)
        let target = threads > 1 ? (total + threads - 1) / threads : Int.max
        var shards: [Range<Int>] = []
        var start = 0, bytes = 0, records = 0
        for r in recordsPerRow.indices {
            let c = cost(r)
            if r > start, bytes + c > budget || records >= target {
                shards.append(start..<r)
                start = r
                bytes = 0
                records = 0
            }
            bytes += c
            records += recordsPerRow[r]
        }
        if start < recordsPerRow.count { shards.append(start..<recordsPerRow.count) }
        self.shards = shards
    }
}
