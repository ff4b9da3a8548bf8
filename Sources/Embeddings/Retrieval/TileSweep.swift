import Synchronization

/// Per-thread consumer of similarity tiles produced by `TileSweep`.
///
/// A visitor sees the row blocks assigned to its thread one after another; within a row
/// block it sees the column tiles in increasing column order (so a strict `>` comparison
/// against a running top-k threshold keeps the lower index on ties).
protocol TileVisitor: AnyObject, SendableMetatype {
    /// A new block of query rows `rowStart ..< rowStart + rowCount` starts.
    func beginRowBlock(rowStart: Int, rowCount: Int)
    /// One tile: `tile[i * columnCount + j]` = similarity of query `rowStart + i` and target
    /// `columnStart + j`. The buffer belongs to this thread and may be overwritten.
    func visit(
        tile: UnsafeMutablePointer<Float>, rowStart: Int, rowCount: Int,
        columnStart: Int, columnCount: Int)
    /// The row block is complete (all columns seen).
    func endRowBlock(rowStart: Int, rowCount: Int)
}

/// The blocked S = Q · Tᵀ sweep: queries in blocks of `rowBlock` rows, targets in tiles of
/// `columnBlock` columns; each tile (`rowBlock × columnBlock` floats per thread, a few MB at
/// most) is produced by one single-threaded `cblas_sgemm` and handed to the thread's visitor
/// while it is still in cache. Row blocks are dealt dynamically to `threads` workers
/// (`WorkerThreads`: POSIX threads, all running at once even on a busy machine). Memory: O(threads × rowBlock × columnBlock); the
/// m × n similarity matrix never exists.
struct TileSweep: Sendable {
    /// Query rows per block (≥ 1).
    var rowBlock: Int
    /// Target columns per tile (≥ 1).
    var columnBlock: Int
    /// Worker threads (≥ 1). With more than one, OpenBLAS is set to one thread for the
    /// duration of the sweep (see `BlockedGEMM.withSingleThreadedBLAS`).
    var threads: Int

    /// Runs the sweep. `visitors.count` must be `≥ threads` (one per worker); the effective
    /// number of workers is `min(threads, visitors.count, number of row blocks)`.
    ///
    /// - Parameters:
    ///   - queries: `queryCount × dimension` row-major.
    ///   - targets: `targetCount × dimension` row-major.
    ///   - bfloat16: the same rows packed by `BFloat16Tiles`: tiles are then its bfloat16 estimates
    ///     (within its `slack` of the fp32 dot products), and row blocks and tiles start on its panels
    ///     (row blocks rounded down to a multiple of 12 rows, at least 12, so visitors must take
    ///     `max(rowBlock, 12)` rows; tiles to a multiple of 32 columns, at least 32).
    func run<V: TileVisitor>(
        queries: UnsafePointer<Float>, queryCount: Int,
        targets: UnsafePointer<Float>, targetCount: Int,
        dimension: Int, visitors: [V], bfloat16: BFloat16Tiles? = nil
    ) {
        guard queryCount > 0, targetCount > 0, !visitors.isEmpty else { return }
        let wanted = max(1, min(threads, visitors.count))
        func aligned(_ value: Int, _ panel: Int) -> Int { bfloat16 == nil ? value : max(panel, value / panel * panel) }
        // Enough row blocks that every worker gets one.
        let rows = aligned(max(1, min(rowBlock, (queryCount + wanted - 1) / wanted)), BFloat16Tiles.queryPanel)
        let columns = aligned(max(1, min(columnBlock, targetCount)), BFloat16Tiles.targetPanel)
        let blockCount = (queryCount + rows - 1) / rows
        let workers = min(wanted, blockCount)
        let job = SweepJob(
            queries: queries, queryCount: queryCount, targets: targets,
            targetCount: targetCount, dimension: dimension, rows: rows,
            columns: columns, blockCount: blockCount, visitors: visitors, bfloat16: bfloat16)
        if workers == 1 {
            job.work(0)
        } else {
            BlockedGEMM.withSingleThreadedBLAS {
                _ = WorkerThreads.run(threads: workers, count: workers, initial: 0) { worker, _ in
                    job.work(worker)
                    return 0
                }
            }
        }
    }

    /// The default number of worker threads: the number of online CPUs (at least 1).
    static var defaultThreads: Int {
        #if canImport(Glibc)
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return 2
        #endif
    }
}

/// The shared state of one sweep: inputs, the next row block to hand out, one visitor per
/// worker. Workers touch only their own visitor and tile buffer.
private final class SweepJob<V: TileVisitor>: @unchecked Sendable {
    let q: UnsafePointer<Float>, t: UnsafePointer<Float>
    let queryCount: Int, targetCount: Int, dimension: Int
    let rows: Int, columns: Int, blockCount: Int
    let visitors: [V]
    let bfloat16: BFloat16Tiles?
    let next = Mutex(0)

    init(
        queries: UnsafePointer<Float>, queryCount: Int, targets: UnsafePointer<Float>, targetCount: Int,
        dimension: Int, rows: Int, columns: Int, blockCount: Int, visitors: [V], bfloat16: BFloat16Tiles?
    ) {
        q = queries
        t = targets
        self.queryCount = queryCount
        self.targetCount = targetCount
        self.dimension = dimension
        self.rows = rows
        self.columns = columns
        self.blockCount = blockCount
        self.visitors = visitors
        self.bfloat16 = bfloat16
    }

    func work(_ worker: Int) {
        let visitor = visitors[worker]
        let tile = UnsafeMutablePointer<Float>.allocate(capacity: rows * columns)
        defer { tile.deallocate() }
        while true {
            let block = next.withLock { value -> Int in
                let current = value
                value += 1
                return current
            }
            if block >= blockCount { break }
            let rowStart = block * rows
            let rowCount = min(rows, queryCount - rowStart)
            visitor.beginRowBlock(rowStart: rowStart, rowCount: rowCount)
            var columnStart = 0
            while columnStart < targetCount {
                let columnCount = min(columns, targetCount - columnStart)
                if let bfloat16 {
                    bfloat16.tile(
                        rowStart: rowStart, rowCount: rowCount, columnStart: columnStart, columnCount: columnCount,
                        into: tile, ldc: columnCount)
                } else {
                    BlockedGEMM.similarityTile(
                        q: q + rowStart * dimension, queryCount: rowCount,
                        t: t + columnStart * dimension, targetCount: columnCount,
                        dimension: dimension, into: tile, ldc: columnCount)
                }
                visitor.visit(
                    tile: tile, rowStart: rowStart, rowCount: rowCount,
                    columnStart: columnStart, columnCount: columnCount)
                columnStart += columnCount
            }
            visitor.endRowBlock(rowStart: rowStart, rowCount: rowCount)
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
