#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// The kernel's own log: one `xling: …` line per event, written to the server's stderr
/// (the original descriptor 2, even while the process's stdout/stderr go to the notebook).
public final class KernelLog: Sendable {
    private let descriptor = Atomic<Int32>(2)

    /// Creates a log that writes to descriptor 2 until `redirect(to:)`.
    public init() {}

    /// Sends further lines to `fd`.
    public func redirect(to fd: Int32) { descriptor.store(fd, ordering: .releasing) }

    /// Writes one line.
    public func callAsFunction(_ line: String) {
        let bytes = Array("xling: \(line)\n".utf8)
        _ = bytes.withUnsafeBytes { write(descriptor.load(ordering: .acquiring), $0.baseAddress, $0.count) }
    }
}
