#if canImport(Glibc)
import Glibc
#endif

/// The engine's worker threads (trainers, transfer, t-SNE): one pass over ranges of records, one
/// worker per range, without locks (Hogwild, Recht et al. 2011, when ranges share rows). The Hogwild
/// split is glove.c's: thread t of T takes the contiguous chunk `[t·⌊n/T⌋, (t+1)·⌊n/T⌋)`, the last
/// thread also the remainder; `StratifiedSchedule` gives conflict-free ranges instead.
///
/// Workers are the persistent POSIX threads of `WorkerPool` (created on first use, reused by every
/// later run); the caller is worker 0. A run from inside a running worker (nested) runs its ranges
/// one after the other on that thread; a run while another thread holds the pool gets threads of
/// its own for that run.
public enum WorkerThreads {
    /// The default number of worker threads: the number of online CPUs (at least 1).
    public static var defaultThreads: Int {
        #if canImport(Glibc)
        return Swift.max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return 2
        #endif
    }

    /// The chunk of `count` records that thread `thread` of `threads` processes.
    package static func chunk(_ thread: Int, of threads: Int, count: Int) -> Range<Int> {
        let size = count / threads
        let start = thread * size
        return start..<(thread == threads - 1 ? count : start + size)
    }

    /// Runs `body(t, chunk(t))` for every thread t in `0..<threads`, concurrently when
    /// `threads > 1`, and returns each thread's result (index t). Workers are POSIX threads
    /// (not the Dispatch pool, which may run fewer at a time on a busy machine); thread 0 is
    /// the caller, so a single-threaded run is sequential and deterministic.
    package static func run<Result: Sendable>(
        threads: Int, count: Int, initial: Result,
        _ body: @escaping @Sendable (Int, Range<Int>) -> Result
    ) -> [Result] {
        let workers = Swift.max(1, Swift.min(threads, Swift.max(1, count)))
        return run(ranges: (0..<workers).map { chunk($0, of: workers, count: count) }, initial: initial, body)
    }

    /// Runs `body(t, ranges[t])` for every t concurrently (thread 0 is the caller) and returns
    /// each result (index t). Which thread runs which range never changes a result: `body(t, ranges[t])`
    /// is called exactly once per t, and its result lands at index t.
    package static func run<Result: Sendable>(
        ranges: [Range<Int>], initial: Result,
        _ body: @escaping @Sendable (Int, Range<Int>) -> Result
    ) -> [Result] {
        let workers = ranges.count
        if workers <= 1 { return [body(0, ranges.first ?? 0..<0)] }
        if WorkerPool.insideRun { // nested: this thread already is one of a run's workers
            return ranges.enumerated().map { body($0.offset, $0.element) }
        }
        let slots = ResultSlots(count: workers, initial: initial)
        let task: @Sendable (Int) -> Void = { t in slots.set(t, body(t, ranges[t])) }
        if !WorkerPool.shared.run(workers: workers, task) {
            spawnPerRun(workers: workers, task)
        }
        return slots.values
    }

    /// The run for a caller that found the pool held by another thread: one POSIX thread per
    /// worker 1…, joined at the end (worker 0 is the caller); what every run did before the pool
    /// (`xling-bench worker-threads` compares the two).
    package static func spawnPerRun(workers: Int, _ task: @escaping @Sendable (Int) -> Void) {
        var spawned: [pthread_t] = []
        for t in 1..<workers {
            let job = Unmanaged.passRetained(WorkerJob { task(t) })
            var thread = pthread_t()
            if pthread_create(
                &thread, nil,
                { raw in
                    guard let raw else { return nil }
                    let job = Unmanaged<WorkerJob>.fromOpaque(raw).takeRetainedValue()
                    WorkerPool.markInsideRun(true)
                    job.work()
                    return nil
                }, job.toOpaque()) == 0
            {
                spawned.append(thread)
            } else {
                job.takeRetainedValue().work() // no thread available: run the chunk here
            }
        }
        WorkerPool.markInsideRun(true)
        task(0)
        WorkerPool.markInsideRun(false)
        for thread in spawned { pthread_join(thread, nil) }
    }
}

/// The work of one spawned thread.
final class WorkerJob: @unchecked Sendable {
    let work: () -> Void
    init(_ work: @escaping () -> Void) { self.work = work }
}

/// One result slot per worker, written once by its own worker (no sharing while running);
/// raw storage, so concurrent writes to different slots need no exclusive access to an array.
private final class ResultSlots<Result: Sendable>: @unchecked Sendable {
    private let storage: UnsafeMutablePointer<Result>
    private let count: Int
    init(count: Int, initial: Result) {
        self.count = count
        storage = .allocate(capacity: count)
        storage.initialize(repeating: initial, count: count)
    }
    deinit {
        storage.deinitialize(count: count)
        storage.deallocate()
    }
    func set(_ index: Int, _ value: Result) { storage[index] = value }
    var values: [Result] { Array(UnsafeBufferPointer(start: storage, count: count)) }
}
