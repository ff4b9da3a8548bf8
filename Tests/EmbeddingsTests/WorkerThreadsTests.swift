import Synchronization
import Testing

@testable import Embeddings

#if canImport(Glibc)
import Glibc
#endif

/// `WorkerThreads` on its persistent pool: every range runs once with its result at its index,
/// runs come back to back at changing thread counts, nested runs and runs from two callers at once
/// finish, and workers really run at the same time.
@Suite struct WorkerThreadsTests {
    /// Σ r over a range, the result each test body returns.
    static func sum(_ range: Range<Int>) -> Int { range.reduce(0, +) }

    @Test func resultsLandAtTheirIndex() {
        for threads in [1, 2, 3, 4, 7] {
            let results = WorkerThreads.run(threads: threads, count: 1000, initial: (-1, 0..<0)) { t, range in (t, range) }
            #expect(results.count == threads)
            for (t, result) in results.enumerated() {
                #expect(result.0 == t)
                #expect(result.1 == WorkerThreads.chunk(t, of: threads, count: 1000))
            }
        }
        let ranges = [5..<9, 0..<5, 9..<9, 9..<20]
        let sums = WorkerThreads.run(ranges: ranges, initial: -1) { _, range in Self.sum(range) }
        #expect(sums == ranges.map(Self.sum))
    }

    @Test func manyRunsInARowAtChangingThreadCounts() {
        let counts = [2, 3, 2, 8, 1, 5, 2, 4]
        for round in 0..<3000 {
            let threads = counts[round % counts.count]
            let count = 100 + round % 37
            let sums = WorkerThreads.run(threads: threads, count: count, initial: -1) { _, range in Self.sum(range) }
            let expected = (0..<threads).map { Self.sum(WorkerThreads.chunk($0, of: threads, count: count)) }
            #expect(sums == expected)
            if sums != expected { return }
        }
    }

    @Test func nestedRunsRunInline() {
        let outer = WorkerThreads.run(threads: 3, count: 300, initial: [Int]()) { _, range in
            WorkerThreads.run(threads: 4, count: range.count, initial: -1) { _, inner in
                Self.sum(inner.lowerBound + range.lowerBound..<inner.upperBound + range.lowerBound)
            }
        }
        for (t, inner) in outer.enumerated() {
            let range = WorkerThreads.chunk(t, of: 3, count: 300)
            #expect(inner.count == 4)
            #expect(inner.reduce(0, +) == Self.sum(range))
        }
    }

    @Test(arguments: [0, 1, 3])
    func oneSlowWorker(slow: Int) {
        for _ in 0..<3 {
            let results = WorkerThreads.run(threads: 4, count: 4, initial: -1) { t, range in
                if t == slow { usleep(30_000) }
                return Self.sum(range) + 10 * t
            }
            #expect(results == [0, 11, 22, 33])
        }
    }

    /// Every worker waits at a barrier for all the others: a run that did not give each worker its
    /// own thread could not pass it (the wait gives up after 10 s and the test fails).
    @Test func workersRunAtTheSameTime() {
        for threads in [2, 4] {
            let arrived = Arrivals()
            let passed = WorkerThreads.run(threads: threads, count: threads, initial: false) { _, _ in
                arrived.count.add(1, ordering: .acquiringAndReleasing)
                let start = MonotonicClock.seconds()
                while arrived.count.load(ordering: .acquiring) < threads {
                    if MonotonicClock.since(start) > 10 { return false }
                    sched_yield()
                }
                return true
            }
            #expect(passed == [Bool](repeating: true, count: threads))
        }
    }

    /// Two callers at once: one holds the pool, the other gets threads of its own; both correct.
    @Test func twoCallersAtOnce() async {
        let failures = await withTaskGroup(of: Int.self) { group in
            for caller in 0..<2 {
                group.addTask {
                    var failed = 0
                    for round in 0..<300 {
                        let count = 50 + caller * 7 + round % 11
                        let sums = WorkerThreads.run(threads: 2 + caller, count: count, initial: -1) { _, range in Self.sum(range) }
                        let expected = (0..<2 + caller).map { Self.sum(WorkerThreads.chunk($0, of: 2 + caller, count: count)) }
                        if sums != expected { failed += 1 }
                    }
                    return failed
                }
            }
            return await group.reduce(0, +)
        }
        #expect(failures == 0)
    }
}

/// A counter the workers share.
private final class Arrivals: Sendable {
    let count = Atomic<Int>(0)
}
