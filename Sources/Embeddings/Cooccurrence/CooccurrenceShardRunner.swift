import Dispatch
import Synchronization

/// Counts a `CooccurrencePairSource` shard by shard (one pass over the source per shard) on
/// up to `threads` threads, each shard in its own `CooccurrenceShardAccumulator`, and joins
/// the shards' entries in row order. The result is identical for any thread count and any
/// memory limit that lets counting run.
enum CooccurrenceShardRunner {
    /// How many sentences a source counts between two polls of the progress handler.
    static let pollInterval = 1024

    /// X as a sorted COO matrix. Throws for invalid limits, a too-small memory limit, or a stop.
    static func count<Source: CooccurrencePairSource>(
        _ source: Source, memoryLimit: Int, threads: Int,
        progress: ProgressHandler
    ) throws(CooccurrenceError) -> CooccurrenceMatrix {
        guard threads >= 1 else { throw .invalidArgument("threads=\(threads); use 1 or more threads") }
        guard memoryLimit > 0 else { throw .invalidArgument("memory limit \(memoryLimit) bytes; give a positive limit") }
        guard source.columnCount < 1 << 24 else { throw .tooManyColumns(source.columnCount) }
        let perRow = source.recordsPerRow()
        let plan = try CooccurrenceShardPlan(
            recordsPerRow: perRow, columns: source.columnCount,
            threads: threads, memoryLimit: memoryLimit)
        let report = Progress(phase: "counting co-occurrences", step: 0, total: 1, unit: "passes")
        let entries: CooccurrenceEntries? = withoutActuallyEscaping(progress) { escapable in
            let job = CooccurrenceShardJob(
                source: source, plan: plan, recordsPerRow: perRow,
                stop: ProgressPoll(escapable, report: report))
            let workers = min(threads, plan.shards.count)
            if workers <= 1 {
                var out = CooccurrenceEntries()
                for index in plan.shards.indices {
                    guard job.count(shard: index, into: &out) else { return nil }
                }
                return out
            }
            DispatchQueue.concurrentPerform(iterations: workers) { _ in job.work() }
            return job.joined()
        }
        guard let entries else { throw .stopped }
        return CooccurrenceMatrix(
            rowCount: source.rowCount, columnCount: source.columnCount,
            rows: entries.rows, columns: entries.columns, values: entries.values)
    }
}

/// The shared state of one parallel count: shards are dealt in order to whichever worker is
/// free; each shard's entries are kept until all are done.
private final class CooccurrenceShardJob<Source: CooccurrencePairSource>: @unchecked Sendable {
    let source: Source
    let plan: CooccurrenceShardPlan
    let recordsPerRow: [Int]
    let stop: ProgressPoll
    private let next = Mutex(0)
    private let results: Mutex<[CooccurrenceEntries?]>

    init(source: Source, plan: CooccurrenceShardPlan, recordsPerRow: [Int], stop: ProgressPoll) {
        self.source = source
        self.plan = plan
        self.recordsPerRow = recordsPerRow
        self.stop = stop
        results = Mutex(Array(repeating: nil, count: plan.shards.count))
    }

    /// Appends the entries of shard `index` to `out`; false when stopped.
    func count(shard index: Int, into out: inout CooccurrenceEntries) -> Bool {
        let accumulator = CooccurrenceShardAccumulator(
            rows: plan.shards[index], columns: source.columnCount,
            weights: source.weights, recordsPerRow: recordsPerRow,
            dense: plan.dense)
        guard source.enumerate(rows: plan.shards[index], into: accumulator, stop: stop) else { return false }
        accumulator.collect(into: &out)
        return true
    }

    /// A worker: takes shards until none are left or counting stops.
    func work() {
        while true {
            let index = next.withLock { value in
                defer { value += 1 }
                return value
            }
            var entries = CooccurrenceEntries()
            guard index < plan.shards.count, !stop.wasStopped, count(shard: index, into: &entries) else { return }
            results.withLock { [entries] in $0[index] = entries }
        }
    }

    /// All shards' entries in row order, or nil when stopped.
    func joined() -> CooccurrenceEntries? {
        var parts = results.withLock { value in
            let taken = value
            value = []
            return taken
        }
        guard !stop.wasStopped else { return nil }
        var out = CooccurrenceEntries()
        let total = parts.reduce(0) { $0 + ($1?.count ?? 0) }
        out.rows.reserveCapacity(total)
        out.columns.reserveCapacity(total)
        out.values.reserveCapacity(total)
        for i in parts.indices {
            guard let part = parts[i] else { return nil }
            out.append(contentsOf: part)
            parts[i] = nil
        }
        return out
    }
}
