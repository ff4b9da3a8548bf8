#if canImport(Glibc)
import Glibc
#endif

/// The engine's worker threads (trainers, transfer): one pass over ranges of records, one POSIX thread per range,
/// without locks (Hogwild, Recht et al. 2011, when ranges share rows). The Hogwild split is
/// glove.c's: thread t of T takes the contiguous chunk `[t·⌊n/T⌋, (t+1)·⌊n/T⌋)`, the last thread
/// also the remainder; `StratifiedSchedule` gives conflict-free ranges instead.
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
    /// each result (index t).
    package static func run<Result: Sendable>(
        ranges: [Range<Int>], initial: Result,
        _ body: @escaping @Sendable (Int, Range<Int>) -> Result
    ) -> [Result] {
        let workers = ranges.count
        if workers <= 1 { return [body(0, ranges.first ?? 0..<0)] }
        let slots = ResultSlots(count: workers, initial: initial)
        var spawned: [pthread_t] = []
        for t in 1..<workers {
            let job = Unmanaged.passRetained(
                WorkerJob {
                    slots.set(t, body(t, ranges[t]))
                })
            var thread = pthread_t()
            if pthread_create(
                &thread, nil,
                { raw in
                    guard let raw else { return nil }
                    let job = Unmanaged<WorkerJob>.fromOpaque(raw).takeRetainedValue()
                    job.work()
                    return nil
                }, job.toOpaque()) == 0
            {
                spawned.append(thread)
            } else {
                job.takeRetainedValue().work() // no thread available: run the chunk here
            }
        }
        slots.set(0, body(0, ranges[0]))
        for thread in spawned { pthread_join(thread, nil) }
        return slots.values
    }
}

/// The work of one spawned thread.
private final class WorkerJob: @unchecked Sendable {
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
