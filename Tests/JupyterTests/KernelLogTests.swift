import Testing

@testable import Jupyter

#if canImport(Glibc)
import Glibc
#endif

@Suite struct KernelLogTests {
    /// Reads whatever is in the pipe now.
    func readAvailable(_ fd: Int32) -> String {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func undrainedPipeNeverBlocksAndDropsAreReported() throws {
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        defer {
            close(ends[0])
            close(ends[1])
        }
        let log = KernelLog(descriptor: ends[1], capacity: 4096, rateLimiting: false)
        let started = KernelLog.monotonic()
        for i in 0..<10_000 { log("dropped a message on shell: number \(i) of a flood that fills the pipe") }
        #expect(KernelLog.monotonic() - started < 2, "logging blocked the caller")
        // A 64 KiB pipe holds about a thousand of these lines; what does not fit is dropped, not waited for.
        #expect(log.droppedCount > 1_000)
        // Drain the pipe: the writer gets through and reports what it dropped.
        var text = ""
        // Generous: with the other suites (BLAS-heavy t-SNE and VecMap runs) in parallel on two
        // cores the writer thread can starve for tens of seconds; a passing run takes milliseconds.
        let deadline = KernelLog.monotonic() + 120
        while !text.contains("log lines dropped"), KernelLog.monotonic() < deadline {
            text += readAvailable(ends[0])
            usleep(10_000)
        }
        #expect(text.hasPrefix("xling: dropped a message on shell: number 0 "))
        #expect(text.contains("log lines dropped: the log descriptor was not drained"))
    }

    @Test func floodsAreRateLimitedAndSummarized() throws {
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        defer {
            close(ends[0])
            close(ends[1])
        }
        let log = KernelLog(descriptor: ends[1])
        for i in 0..<1_000 { log("dropped a message on control: reason \(i)") }
        log("listening on 127.0.0.1")
        #expect(log.flush(timeout: 2))
        // Suppressed lines are reported once a second, so a flood may take more than one line.
        func suppressed(_ lines: [Substring]) -> Int {
            lines.filter { $0.hasSuffix(" more lines like 'dropped a message on control' suppressed (rate limit)") }
                .compactMap { Int($0.dropFirst(7).prefix { $0 != " " }) }.reduce(0, +)
        }
        var text = ""
        let deadline = KernelLog.monotonic() + 3
        func printed(_ lines: [Substring]) -> Int {
            lines.filter { $0.hasPrefix("xling: dropped a message on control: reason") }.count
        }
        // The burst is 20 lines; a slow machine may earn a refill token (2 a second) during the loop.
        while printed(text.split(separator: "\n")) + suppressed(text.split(separator: "\n")) < 1_000,
            KernelLog.monotonic() < deadline
        {
            text += readAvailable(ends[0])
            usleep(20_000)
        }
        let lines = text.split(separator: "\n")
        #expect((20...25).contains(printed(lines)))
        #expect(lines.contains("xling: listening on 127.0.0.1"))
        #expect(printed(lines) + suppressed(lines) == 1_000)
    }

    @Test func limiterRefillsAndBoundsItsKeys() {
        var limiter = LogRateLimiter(burst: 2, perSecond: 1, maxKeys: 2)
        let burst = [limiter.admit("a", now: 0), limiter.admit("a", now: 0), limiter.admit("a", now: 0.5)]
        #expect(burst == [true, true, false])
        let refilled = limiter.admit("a", now: 1.6)
        let other = limiter.admit("b", now: 1.6)
        // a third key finds no idle key to forget and shares the overflow bucket
        let overflow = limiter.admit("c", now: 1.6)
        #expect(refilled && other && overflow)
        let suppressed = limiter.takeSuppressed()
        #expect(suppressed.map(\.key) == ["a"] && suppressed.map(\.count) == [1])
        let again = limiter.takeSuppressed()
        #expect(again.isEmpty)
        #expect(LogRateLimiter.key(of: "dropped a message on shell: bad signature") == "dropped a message on shell")
    }
}
