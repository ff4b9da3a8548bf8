#if canImport(Glibc)
import Glibc
#endif

/// Writes files atomically: to a temporary file in the same directory, flushed to disk, then
/// renamed over the target, so a crash or an interrupt never leaves a half-written file.
public enum AtomicFile {
    /// Writes `bytes` to `path`; throws a message naming the path on failure.
    public static func write(_ bytes: [UInt8], to path: String) throws(MagicError) {
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw MagicError.failed(magic: "save", message: "cannot write \(path): \(String(cString: strerror(errno)))") }
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n <= 0 {
                close(fd)
                unlink(temporary)
                throw MagicError.failed(magic: "save", message: "cannot write \(path): \(String(cString: strerror(errno)))")
            }
            offset += n
        }
        fsync(fd)
        close(fd)
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw MagicError.failed(magic: "save", message: "cannot move the new file into \(path): \(String(cString: strerror(errno)))")
        }
    }
}
