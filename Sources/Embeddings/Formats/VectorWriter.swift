#if canImport(Glibc)
import Glibc
#endif

/// The on-disk vector formats `VectorWriter` can write.
public enum VectorFormat: String, Sendable, CaseIterable {
    /// word2vec/fastText text: `COUNT DIM`, then `word v1 … vDIM` per line.
    case text
    /// word2vec binary: `COUNT DIM\n`, then `word ` + DIM little-endian fp32 + `\n` per word.
    case binary
}

/// Saves embedding spaces atomically: into a temporary file in the target's directory,
/// flushed with `fsync`, then renamed over the target; on any error the temporary file is
/// removed and the target is left untouched.
public enum VectorWriter {
    /// Writes `space` to `path` in `format`. Text values are Swift's shortest round-trip
    /// representation of each Float, so loading the file gives back identical vectors.
    ///
    /// - Throws: `FormatError` when a word cannot be stored (empty, or containing a space or
    ///   line break), a value is not finite, or the file cannot be written.
    public static func save(_ space: EmbeddingSpace, to path: String, format: VectorFormat = .text) throws(FormatError) {
        let dim = space.dimension
        for (row, word) in space.vocabulary.words.enumerated() {
            if word.isEmpty || word.utf8.contains(where: { $0 == 0x20 || $0 == 0x0a || $0 == 0x0d || $0 == 0x09 }) {
                throw FormatError(
                    file: path, problem: "word \(row + 1) '\(word)' is empty or contains a blank",
                    fix: "word2vec formats separate fields by spaces; replace blanks in words (e.g. with '_') before saving")
            }
        }
        if let bad = space.vectors.storage.firstIndex(where: { !$0.isFinite }) {
            throw FormatError(
                file: path, problem: "the vector of '\(space.vocabulary[bad / Swift.max(dim, 1)])' has a non-finite value",
                fix: "fix the space before saving (a loader would reject the file)")
        }
        let file = try AtomicOutput(path: path)
        do throws(FormatError) {
            try file.append(Array("\(space.count) \(dim)\n".utf8))
            var chunk: [UInt8] = []
            chunk.reserveCapacity(1 << 20 + 4096)
            for row in 0..<space.count {
                chunk.append(contentsOf: space.vocabulary[row].utf8)
                let values = space.vectors.storage[(row * dim)..<((row + 1) * dim)]
                switch format {
                case .text:
                    for value in values {
                        chunk.append(0x20)
                        chunk.append(contentsOf: value.description.utf8)
                    }
                case .binary:
                    chunk.append(0x20)
                    for value in values {
                        let bits = value.bitPattern.littleEndian
                        withUnsafeBytes(of: bits) { chunk.append(contentsOf: $0) }
                    }
                }
                chunk.append(0x0a)
                if chunk.count >= 1 << 20 {
                    try file.append(chunk)
                    chunk.removeAll(keepingCapacity: true)
                }
            }
            try file.append(chunk)
            try file.commit()
        } catch {
            file.abandon()
            throw error
        }
    }
}

/// A temporary file next to the target that becomes the target on `commit()`.
final class AtomicOutput {
    let path: String
    let temporaryPath: String
    private var descriptor: Int32

    /// Creates `.NAME.tmp-PID-N` in the target's directory.
    init(path: String) throws(FormatError) {
        self.path = path
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard !name.isEmpty else {
            throw FormatError(file: path, problem: "the path names a directory, not a file", fix: "add a file name")
        }
        var attempt = 0
        while true {
            let candidate = "\(directory).\(name).tmp-\(getpid())-\(attempt)"
            let fd = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if fd >= 0 {
                temporaryPath = candidate
                descriptor = fd
                return
            }
            let code = errno
            if code == EEXIST && attempt < 100 {
                attempt += 1
                continue
            }
            throw FormatError(
                file: path, problem: "cannot create a file in its directory: \(FormatError.systemMessage(code))",
                fix: "check that the directory exists and is writable")
        }
    }

    /// Writes all of `bytes`.
    func append(_ bytes: [UInt8]) throws(FormatError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                throw FormatError(
                    file: path, problem: "cannot write: \(FormatError.systemMessage(errno))",
                    fix: "check the free disk space")
            }
            offset += n
        }
    }

    /// Flushes to disk, closes and renames the temporary file over the target.
    func commit() throws(FormatError) {
        guard fsync(descriptor) == 0 else {
            throw FormatError(file: path, problem: "cannot flush to disk: \(FormatError.systemMessage(errno))")
        }
        let closed = close(descriptor)
        descriptor = -1
        guard closed == 0 else {
            throw FormatError(file: path, problem: "cannot close: \(FormatError.systemMessage(errno))")
        }
        guard rename(temporaryPath, path) == 0 else {
            throw FormatError(
                file: path, problem: "cannot move the new file into place: \(FormatError.systemMessage(errno))",
                fix: "check that the target is not a directory and the directory is writable")
        }
    }

    /// Closes and removes the temporary file (after an error).
    func abandon() {
        if descriptor >= 0 {
            close(descriptor)
            descriptor = -1
        }
        unlink(temporaryPath)
    }

    deinit {
        if descriptor >= 0 {
            close(descriptor)
            unlink(temporaryPath)
        }
    }
}
