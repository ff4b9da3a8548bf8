#if canImport(Glibc)
import Glibc
#endif

/// Whole-file reads without Foundation.
public enum FileBytes {
    /// The bytes of the file at `path`, or nil when it cannot be opened or read.
    public static func read(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buffer, 1, buffer.count, file)
            if n <= 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
        }
        return ferror(file) == 0 ? bytes : nil
    }
}
