import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The persistent POSIX threads behind `WorkerThreads.run`: pool thread i (i ≥ 1) runs worker i of
/// every run that has more than i workers; worker 0 is the caller. Threads are created when a run
/// first needs them (at most `maximumThreads`) and live as long as the process.
///
/// One run at a time: a caller takes the pool with `busy`, publishes the task and the run's worker
/// count in one atomic word (`state` = generation << 20 | workers), runs worker 0 itself, then waits
/// for `remaining` (workers 1… still running) to reach zero. Idle threads and the waiting caller spin
/// a few microseconds on the atomic (steps of a t-SNE iteration come back to back), then sleep on a
/// condition variable. The task is written before `state` is published (release) and read after it
/// is seen (acquire); it is replaced only after every worker of the run has finished with it.
final class WorkerPool: @unchecked Sendable {
    /// The process's pool.
    static let shared = WorkerPool()
    /// Pool threads at most (workers beyond are run by a caller that spawns threads for its run).
    static let maximumThreads = 255
    /// Loads of the atomic before yielding, then yields before sleeping.
    private static let spinLoads = 1 << 14
    private static let spinYields = 8
    private static let workerBits = 20

    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let wake: UnsafeMutablePointer<pthread_cond_t>
    private let done: UnsafeMutablePointer<pthread_cond_t>
    private let state = Atomic<Int>(0)
    private let remaining = Atomic<Int>(0)
    private let busy = Atomic<Bool>(false)
    /// The current run's task (worker index → its work); set while `busy` is held.
    private var task: (@Sendable (Int) -> Void)?
    /// Pool threads created so far (they are workers 1…started).
    private var started = 0

    private init() {
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        wake = .allocate(capacity: 1)
        pthread_cond_init(wake, nil)
        done = .allocate(capacity: 1)
        pthread_cond_init(done, nil)
    }

    /// Runs `task(t)` for t in `0..<workers`, t = 0 on the calling thread, the others on pool
    /// threads, and returns when all have finished. Returns false without running anything when
    /// the pool is held by another run or its threads cannot be created.
    func run(workers: Int, _ task: @escaping @Sendable (Int) -> Void) -> Bool {
        precondition(workers >= 2 && workers < 1 << Self.workerBits)
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return false }
        defer { busy.store(false, ordering: .releasing) }
        guard workers - 1 <= Self.maximumThreads, grow(to: workers - 1) else { return false }
        self.task = task
        remaining.store(workers - 1, ordering: .relaxed)
        pthread_mutex_lock(mutex)
        let generation = state.load(ordering: .relaxed) >> Self.workerBits
        state.store(((generation + 1) << Self.workerBits) | workers, ordering: .releasing)
        pthread_cond_broadcast(wake)
        pthread_mutex_unlock(mutex)
        Self.markInsideRun(true)
        task(0)
        Self.markInsideRun(false)
        waitForWorkers()
        self.task = nil
        return true
    }

    /// Waits until `remaining` is zero: spinning first, then on `done`.
    private func waitForWorkers() {
        if Self.spin({ remaining.load(ordering: .acquiring) == 0 }) { return }
        pthread_mutex_lock(mutex)
        while remaining.load(ordering: .acquiring) != 0 { pthread_cond_wait(done, mutex) }
        pthread_mutex_unlock(mutex)
    }

    /// Creates pool threads until there are `count` (the caller holds `busy`).
    private func grow(to count: Int) -> Bool {
        while started < count {
            let start = Unmanaged.passRetained(WorkerStart(index: started + 1, seen: state.load(ordering: .acquiring)))
            var thread = pthread_t()
            let created = pthread_create(
                &thread, nil,
                { raw in
                    guard let raw else { return nil }
                    let start = Unmanaged<WorkerStart>.fromOpaque(raw).takeRetainedValue()
                    WorkerPool.shared.loop(index: start.index, seen: start.seen)
                }, start.toOpaque())
            guard created == 0 else {
                start.release()
                return false
            }
            pthread_detach(thread)
            started += 1
        }
        return true
    }

    /// A pool thread: waits for each new state and runs its worker when the run has one for it.
    private func loop(index: Int, seen initial: Int) -> Never {
        Self.markInsideRun(true)
        var seen = initial
        while true {
            var now = seen
            let moved = Self.spin {
                now = state.load(ordering: .acquiring)
                return now != seen
            }
            if !moved {
                pthread_mutex_lock(mutex)
                now = state.load(ordering: .acquiring)
                while now == seen {
                    pthread_cond_wait(wake, mutex)
                    now = state.load(ordering: .acquiring)
                }
                pthread_mutex_unlock(mutex)
            }
            seen = now
            guard index < now & ((1 << Self.workerBits) - 1), let work = task else { continue }
            work(index)
            if remaining.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 {
                pthread_mutex_lock(mutex)
                pthread_cond_signal(done)
                pthread_mutex_unlock(mutex)
            }
        }
    }

    /// Polls `ready` for a few microseconds (loads, then yields); true once it holds.
    private static func spin(_ ready: () -> Bool) -> Bool {
        for _ in 0..<spinLoads where ready() { return true }
        for _ in 0..<spinYields {
            sched_yield()
            if ready() { return true }
        }
        return false
    }

    // MARK: - Which threads are inside a run

    private static let insideKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// True on a thread that is running a worker of a run (a pool thread, or a caller during its run).
    static var insideRun: Bool { pthread_getspecific(insideKey) != nil }

    static func markInsideRun(_ inside: Bool) {
        pthread_setspecific(insideKey, inside ? UnsafeRawPointer(bitPattern: 1) : nil)
    }
}

/// What a new pool thread starts with: its worker index and the state it has already seen.
private final class WorkerStart {
    let index: Int
    let seen: Int
    init(index: Int, seen: Int) {
        self.index = index
        self.seen = seen
    }
}
