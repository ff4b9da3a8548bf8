import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Process-wide counters of data-parallel steps (`WorkerStores.step`), for benchmarks on a shared
/// machine: the CPU time the workers spent on their shards (each worker's thread CPU clock), and
/// the critical path, Σ over steps of the slowest worker's CPU time. On an idle machine with a core
/// per worker a run's wall time is about its process CPU time − `workerSeconds` + `criticalSeconds`
/// (the serial rest — optimizer steps, the pool's spinning — counted in full, so the estimate errs
/// high); thread CPU clocks barely move under load, where wall clocks measure the scheduler.
public enum DataParallelProfile {
    private static let worker = Atomic<Int>(0)
    private static let critical = Atomic<Int>(0)

    /// Σ of the workers' thread CPU seconds since the last `reset`.
    public static var workerSeconds: Double { Double(worker.load(ordering: .relaxed)) * 1e-9 }
    /// Σ over steps of the slowest worker's thread CPU seconds since the last `reset`.
    public static var criticalSeconds: Double { Double(critical.load(ordering: .relaxed)) * 1e-9 }

    /// Sets both counters to zero.
    public static func reset() {
        worker.store(0, ordering: .relaxed)
        critical.store(0, ordering: .relaxed)
    }

    /// Adds one step's per-worker CPU nanoseconds.
    static func record(_ nanoseconds: [Int]) {
        worker.add(nanoseconds.reduce(0, +), ordering: .relaxed)
        critical.add(nanoseconds.max() ?? 0, ordering: .relaxed)
    }

    /// The calling thread's CPU clock in nanoseconds.
    static func threadNanoseconds() -> Int {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return t.tv_sec * 1_000_000_000 + t.tv_nsec
    }
}
