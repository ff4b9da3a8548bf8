import Embeddings

#if canImport(Glibc)
import Glibc
#endif

/// `worker-threads [--threads 2] [--runs 20000] [--work 2000]`: the cost of one parallel step, as
/// t-SNE takes six per iteration: `--runs` back-to-back `WorkerThreads.run` calls on the persistent
/// pool, then the same on one new POSIX thread per worker and run (`WorkerThreads.spawnPerRun`,
/// what every run did before the pool). Each worker sums `--work` numbers, so a step does a little
/// work; reports wall and CPU microseconds per step for both.
func taskWorkerThreads(_ args: Arguments) {
    let threads = max(2, args.int("threads", 2))
    let runs = max(1, args.int("runs", 20_000))
    let work = max(1, args.int("work", 2_000))
    let count = threads * work
    @Sendable func body(_ t: Int, _ range: Range<Int>) -> Double {
        var s = 0.0
        for i in range { s += Double(i & 1023) }
        return s
    }
    func measure(_ step: () -> Double) -> (wall: Double, cpu: Double, check: Double) {
        var check = 0.0
        let start = MonotonicClock.seconds(), cpu = processCPUSeconds()
        for _ in 0..<runs { check += step() }
        return (MonotonicClock.since(start), processCPUSeconds() - cpu, check)
    }
    _ = WorkerThreads.run(threads: threads, count: count, initial: 0.0, body) // creates the pool threads
    let pool = measure { WorkerThreads.run(threads: threads, count: count, initial: 0.0, body).reduce(0, +) }
    let ranges = (0..<threads).map { WorkerThreads.chunk($0, of: threads, count: count) }
    let spawned = measure {
        let slots = SumSlots(count: threads)
        WorkerThreads.spawnPerRun(workers: threads) { t in slots.set(t, body(t, ranges[t])) }
        return slots.total
    }
    guard pool.check == spawned.check else { fail("the two ways summed differently: \(pool.check) vs \(spawned.check)") }
    var json = common("worker-threads")
    json.set("threads", threads)
    json.set("runs", runs)
    json.set("work_per_worker", work)
    json.set("pool_us_per_step", 1e6 * pool.wall / Double(runs))
    json.set("pool_cpu_us_per_step", 1e6 * pool.cpu / Double(runs))
    json.set("spawn_us_per_step", 1e6 * spawned.wall / Double(runs))
    json.set("spawn_cpu_us_per_step", 1e6 * spawned.cpu / Double(runs))
    print(json.text)
}

/// One sum per worker, written by that worker only.
private final class SumSlots: @unchecked Sendable {
    private let values: UnsafeMutableBufferPointer<Double>
    init(count: Int) {
        values = .allocate(capacity: count)
        values.initialize(repeating: 0)
    }
    deinit { values.deallocate() }
    func set(_ t: Int, _ value: Double) { values[t] = value }
    var total: Double { values.reduce(0, +) }
}
