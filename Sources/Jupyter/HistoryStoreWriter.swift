#if canImport(Glibc)
import Glibc
#endif

/// The background side of `HistoryStore`: queues records, appends them from its own thread
/// under the file lock, compacts the file when it has grown past twice its limits, and gives
/// up (logging once) at the first failure.
final class HistoryStoreWriter: @unchecked Sendable {
    let path: String
    let limits: History.Limits
    private let log: @Sendable (String) -> Void
    private var mutex = pthread_mutex_t()
    private var wake = pthread_cond_t()
    private var pending: [UInt8] = []
    private var writing = false
    private var failed = false
    private var droppedLogged = false
    private var writerStarted = false
    /// Records and bytes in the file as far as this writer knows (for the compaction trigger).
    private var fileRecords = 0
    /// The most bytes waiting for the thread; later records are dropped (logged once).
    static let capacity = 8 << 20

    init(path: String, limits: History.Limits, log: @escaping @Sendable (String) -> Void) {
        self.path = path
        self.limits = limits
        self.log = log
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&wake, nil)
    }

    /// Queues a record; returns at once.
    func enqueue(_ record: HistoryStoreRecord) { enqueue(bytes: record.line) }

    /// Queues bytes for the file; returns at once.
    func enqueue(bytes: [UInt8]) {
        locked {
            guard !failed else { return }
            guard pending.count + bytes.count <= Self.capacity else {
                if !droppedLogged { log("history store \(path): writes are behind; dropping cells from the file (memory keeps them)") }
                droppedLogged = true
                return
            }
            pending.append(contentsOf: bytes)
            pthread_cond_signal(&wake)
            startIfNeeded()
        }
    }

    /// Waits up to `timeout` seconds for the queue to be written.
    func flush(timeout: Double) -> Bool {
        let deadline = KernelLog.monotonic() + timeout
        while KernelLog.monotonic() < deadline {
            if locked({ pending.isEmpty && !writing }) { return true }
            usleep(2_000)
        }
        return false
    }

    /// Runs `body` holding an exclusive `flock` on `PATH.lock` (tried for up to a second, then
    /// `body` runs without it: a stuck lock must not stop a kernel from starting). Also notes
    /// how many records the file holds when `body` reads it.
    func withFileLock<T>(_ body: () -> T) -> T {
        makeFolder()
        let fd = Glibc.open(path + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        var held = false
        if fd >= 0 {
            for _ in 0..<100 {
                if flock(fd, LOCK_EX | LOCK_NB) == 0 {
                    held = true
                    break
                }
                usleep(10_000)
            }
        }
        defer {
            if held { flock(fd, LOCK_UN) }
            if fd >= 0 { close(fd) }
        }
        return body()
    }

    /// Sets the record count of the file as read by `HistoryStore.open`.
    func noteFileRecords(_ count: Int) { locked { fileRecords = count } }

    private func makeFolder() {
        var prefix = ""
        for part in path.split(separator: "/").dropLast() {
            prefix += "/" + part
            if access(prefix, F_OK) != 0 { mkdir(prefix, 0o700) }
        }
    }

    private func startIfNeeded() {
        guard !writerStarted else { return }
        writerStarted = true
        var thread = pthread_t()
        let box = Unmanaged.passRetained(self)
        let rc = pthread_create(
            &thread, nil,
            { raw in
                guard let raw else { return nil }
                Unmanaged<HistoryStoreWriter>.fromOpaque(raw).takeRetainedValue().run()
                return nil
            }, box.toOpaque())
        if rc == 0 {
            pthread_detach(thread)
        } else {
            box.release()
            failed = true
            log("history store \(path): cannot start its writer thread; history is kept in memory only")
        }
    }

    private func run() {
        while true {
            let chunk = locked { () -> [UInt8] in
                while pending.isEmpty { pthread_cond_wait(&wake, &mutex) }
                let chunk = pending
                pending.removeAll(keepingCapacity: true)
                writing = true
                return chunk
            }
            let records = chunk.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
            let problem = withFileLock { () -> String? in
                guard let size = appendToFile(chunk) else { return "cannot write (\(String(cString: strerror(errno))))" }
                let count = locked { () -> Int in
                    fileRecords += records
                    return fileRecords
                }
                guard count > 2 * limits.maxEntries || size > 2 * limits.maxBytes + 256 * limits.maxEntries else { return nil }
                return compact() ? nil : "cannot compact (\(String(cString: strerror(errno))))"
            }
            locked {
                writing = false
                if let problem, !failed {
                    failed = true
                    pending.removeAll()
                    log("history store \(path): \(problem); history of this session is kept in memory only")
                }
            }
            if locked({ failed }) { return }
        }
    }

    /// Appends `bytes` to the file; its new size, or nil on failure (errno set).
    private func appendToFile(_ bytes: [UInt8]) -> Int? {
        let fd = Glibc.open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress.map { $0 + offset }, bytes.count - offset) }
            if n > 0 {
                offset += n
            } else if n < 0, errno == EINTR {
                continue
            } else {
                if n == 0 { errno = EIO }
                return nil
            }
        }
        var info = stat()
        return fstat(fd, &info) == 0 ? Int(info.st_size) : offset
    }

    /// Rewrites the file with its newest cells within `limits` and the newest session's start
    /// (so session numbers keep growing); temp file + rename. Called with the file lock held.
    private func compact() -> Bool {
        let records = HistoryStore.records(in: HistoryStore.read(path, limits: limits))
        let cells = HistoryStore.newest(records.compactMap(\.entry), within: limits)
        let latestStart = records.last { if case .started = $0 { return true } else { return false } }
        var kept = cells.map(HistoryStoreRecord.cell)
        if let latestStart { kept.append(latestStart) }
        let temporary = path + ".tmp-\(getpid())"
        let fd = Glibc.open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return false }
        let bytes = kept.flatMap(\.line)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress.map { $0 + offset }, bytes.count - offset) }
            guard n > 0 else {
                close(fd)
                unlink(temporary)
                return false
            }
            offset += n
        }
        guard fsync(fd) == 0, close(fd) == 0, rename(temporary, path) == 0 else {
            unlink(temporary)
            return false
        }
        locked { fileRecords = kept.count }
        return true
    }

    private func locked<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return body()
    }
}
