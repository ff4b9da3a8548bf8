import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Lock-free parallel passes over shuffled records (Hogwild, Recht et al. 2011), split as
/// glove.c splits its records file: thread t of T takes the contiguous chunk
/// `[t·⌊n/T⌋, (t+1)·⌊n/T⌋)`, the last thread also the remainder.
public enum HogwildRunner {
    /// The default number of worker threads: the number of online CPUs (at least 1).
    public static var defaultThreads: Int {
        #if canImport(Glibc)
        return Swift.max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return 2
        #endif
    }

    /// The chunk of `count` records that thread `thread` of `threads` processes.
    static func chunk(_ thread: Int, of threads: Int, count: Int) -> Range<Int> {
        let size = count / threads
        let start = thread * size
        return start..<(thread == threads - 1 ? count : start + size)
    }

    /// Runs `body(t, chunk(t))` for every thread t in `0..<threads`, concurrently when
    /// `threads > 1`, and returns each thread's result (index t). One thread runs inline, so a
    /// single-threaded run is sequential and deterministic.
    static func run<Result: Sendable>(threads: Int, count: Int, initial: Result,
                                      _ body: @Sendable (Int, Range<Int>) -> Result) -> [Result] {
        let workers = Swift.max(1, Swift.min(threads, Swift.max(1, count)))
        if workers == 1 { return [body(0, 0..<count)] }
        let slots = ResultSlots(count: workers, initial: initial)
        DispatchQueue.concurrentPerform(iterations: workers) { t in
            slots.set(t, body(t, chunk(t, of: workers, count: count)))
        }
        return slots.values
    }
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
