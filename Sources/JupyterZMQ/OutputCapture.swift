#if canImport(Glibc)
import Glibc
#endif

/// Redirects the process's stdout and stderr (file descriptors 1 and 2) into pipes, so that
/// whatever the engine or a C library prints reaches the notebook as `stream` output instead
/// of the server log. The kernel's own log (`KernelLog`) keeps a duplicate of the original
/// stderr made before the redirection.
///
/// The pipe ends are moved to descriptors ≥ 3 first, so a launcher that started the kernel
/// with 0, 1 or 2 closed cannot make a pipe end land on the descriptor being replaced.
final class OutputCapture: @unchecked Sendable {
    private var readEnds: [(name: String, fd: Int32)] = []
    private var pending: [Int32: [UInt8]] = [:]

    /// Starts capturing. On failure the descriptors are left as they were.
    init() {
        for (name, target) in [("stdout", Int32(1)), ("stderr", Int32(2))] {
            var ends: [Int32] = [0, 0]
            guard pipe(&ends) == 0 else { continue }
            let read = Self.aboveStandard(ends[0]), write = Self.aboveStandard(ends[1])
            guard read >= 3, write >= 3 else {
                for fd in [read, write] where fd >= 3 { close(fd) }
                continue
            }
            _ = fcntl(read, F_SETFL, fcntl(read, F_GETFL) | O_NONBLOCK)
            _ = fcntl(write, 1031, 1 << 20) // F_SETPIPE_SZ: room for 1 MiB between two drains
            _ = fcntl(read, F_SETFD, FD_CLOEXEC)
            dup2(write, target)
            close(write)
            readEnds.append((name, read))
        }
    }

    /// `fd` moved to the lowest free descriptor ≥ 3 (closing `fd`), or `fd` when it already is
    /// there; -1 when it cannot be moved.
    private static func aboveStandard(_ fd: Int32) -> Int32 {
        guard fd < 3 else { return fd }
        let moved = fcntl(fd, F_DUPFD, 3)
        close(fd)
        return moved
    }

    /// What was written since the last call, per stream, decoded as UTF-8 (a sequence split
    /// across two reads is kept for the next call).
    func drain() -> [(name: String, text: String)] {
        fflush(nil) // every C stdio stream, including Swift's print buffer
        var chunks: [(name: String, text: String)] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        for (name, fd) in readEnds {
            var bytes = pending[fd] ?? []
            while true {
                let n = read(fd, &buffer, buffer.count)
                if n <= 0 { break }
                bytes.append(contentsOf: buffer[0..<n])
            }
            let cut = Self.completeUTF8Prefix(bytes)
            pending[fd] = Array(bytes[cut...])
            if cut > 0 { chunks.append((name, String(decoding: bytes[0..<cut], as: UTF8.self))) }
        }
        return chunks
    }

    /// The length of the longest prefix that does not end inside a UTF-8 sequence.
    static func completeUTF8Prefix(_ bytes: [UInt8]) -> Int {
        var i = bytes.count
        var back = 0
        while i > 0, back < 4, bytes[i - 1] & 0xC0 == 0x80 {
            i -= 1
            back += 1
        }
        guard i > 0 else { return bytes.count }
        let lead = bytes[i - 1]
        let need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
        return back + 1 >= need ? bytes.count : i - 1
    }
}
