#if canImport(Glibc)
import Glibc
#endif

/// The kernel's own log: one `xling: …` line per event, written to the server's stderr (the
/// original descriptor 2, even while the process's stdout/stderr go to the notebook).
///
/// Logging never blocks the caller. A line is appended to a bounded buffer (`capacity` bytes)
/// and a dedicated writer thread does the `write`, so a launcher that never drains the
/// kernel's stderr pipe stalls only that thread, never shell or control. What does not fit in
/// the buffer is dropped and counted; the writer reports the count (`N log lines dropped`) as
/// soon as a write goes through again. Similar lines are rate-limited per key
/// (`LogRateLimiter`: 20 at once, then 2 a second); the writer reports suppressed lines once a
/// second (`N more lines like '…' suppressed`).
public final class KernelLog: @unchecked Sendable {
    /// The most bytes waiting for the writer; further lines are dropped and counted.
    public let capacity: Int
    private var mutex = pthread_mutex_t()
    private var wake = pthread_cond_t()
    private var descriptor: Int32
    private var pending: [UInt8] = []
    private var dropped = 0
    private var writing = false
    private var limiter: LogRateLimiter
    private var writerStarted = false

    /// Creates a log that writes to `descriptor` (by default a duplicate of the current stderr,
    /// so that redirecting descriptor 2 later does not move the log); `rateLimiting: false`
    /// writes every line that fits in the buffer.
    public init(descriptor: Int32? = nil, capacity: Int = 64 << 10, rateLimiting: Bool = true) {
        self.descriptor = descriptor ?? Self.duplicateStderr()
        self.capacity = capacity
        limiter = rateLimiting ? LogRateLimiter() : LogRateLimiter(burst: .infinity, perSecond: 0)
        pthread_mutex_init(&mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(&wake, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    private static func duplicateStderr() -> Int32 {
        let fd = fcntl(2, F_DUPFD_CLOEXEC, 3)
        return fd // -1 when there is no stderr: lines are then discarded
    }

    /// Sends further lines to `fd`.
    public func redirect(to fd: Int32) { locked { descriptor = fd } }

    /// Queues one line (`xling: ` is prepended); returns at once.
    public func callAsFunction(_ line: String) {
        let key = LogRateLimiter.key(of: line)
        let now = Self.monotonic()
        locked {
            guard limiter.admit(key, now: now) else { return }
            enqueue("xling: \(line)\n")
            startWriterIfNeeded()
        }
    }

    /// Lines dropped because the buffer was full and not yet reported.
    public var droppedCount: Int { locked { dropped } }

    /// Waits up to `timeout` seconds for queued lines to be written (before `_exit`); false
    /// when the descriptor did not take them in time.
    @discardableResult
    public func flush(timeout: Double) -> Bool {
        let deadline = Self.monotonic() + timeout
        while Self.monotonic() < deadline {
            if locked({ pending.isEmpty && !writing }) { return true }
            usleep(2_000)
        }
        return false
    }

    /// Appends `text` when it fits, else counts it as dropped. Called with the lock held.
    private func enqueue(_ text: String) {
        let bytes = text.utf8
        guard pending.count + bytes.count <= capacity else {
            dropped += 1
            return
        }
        pending.append(contentsOf: bytes)
        pthread_cond_signal(&wake)
    }

    private func startWriterIfNeeded() {
        guard !writerStarted else { return }
        writerStarted = true
        var thread = pthread_t()
        let box = Unmanaged.passRetained(self)
        let rc = pthread_create(
            &thread, nil,
            { raw in
                guard let raw else { return nil }
                Unmanaged<KernelLog>.fromOpaque(raw).takeRetainedValue().runWriter()
                return nil
            }, box.toOpaque())
        if rc == 0 {
            pthread_detach(thread)
        } else {
            box.release()
            writerStarted = false
        }
    }

    /// The writer loop: takes everything queued, writes it with the lock released, then
    /// reports drops and suppressed lines. Wakes at least once a second for the reports.
    private func runWriter() {
        while true {
            let (chunk, fd) = locked { () -> ([UInt8], Int32) in
                if pending.isEmpty {
                    var deadline = timespec()
                    clock_gettime(CLOCK_MONOTONIC, &deadline)
                    deadline.tv_sec += 1
                    pthread_cond_timedwait(&wake, &mutex, &deadline)
                }
                reportSuppressed()
                let chunk = pending
                pending.removeAll(keepingCapacity: true)
                writing = !chunk.isEmpty
                return (chunk, descriptor)
            }
            guard !chunk.isEmpty else { continue }
            Self.writeAll(chunk, to: fd)
            locked {
                writing = false
                if dropped > 0 {
                    let count = dropped
                    dropped = 0
                    enqueue("xling: \(count) log line\(count == 1 ? "" : "s") dropped: the log descriptor was not drained\n")
                }
            }
        }
    }

    /// Queues one line per rate-limited key. Called with the lock held.
    private func reportSuppressed() {
        for (key, count) in limiter.takeSuppressed() {
            enqueue("xling: \(count) more line\(count == 1 ? "" : "s") like '\(key)' suppressed (rate limit)\n")
        }
    }

    /// Writes every byte, waiting while the descriptor is full (also when it is non-blocking);
    /// gives up on a closed or failing descriptor.
    static func writeAll(_ bytes: [UInt8], to fd: Int32) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress.map { $0 + offset }, bytes.count - offset) }
            if n > 0 {
                offset += n
            } else if n < 0, errno == EINTR {
                continue
            } else if n < 0, errno == EAGAIN || errno == EWOULDBLOCK {
                var item = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                _ = poll(&item, 1, 1000)
            } else {
                return
            }
        }
    }

    private func locked<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return body()
    }

    static func monotonic() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
    }
}
