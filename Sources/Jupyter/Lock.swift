#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small pthread mutex lock for state shared between the kernel's threads.
public final class Lock: @unchecked Sendable {
    private var handle = pthread_mutex_t()

    /// Creates an unlocked mutex.
    public init() { pthread_mutex_init(&handle, nil) }
    deinit { pthread_mutex_destroy(&handle) }

    /// Runs `body` with the mutex held.
    public func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(&handle)
        defer { pthread_mutex_unlock(&handle) }
        return try body()
    }
}
