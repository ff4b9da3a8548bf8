import CZlib

#if canImport(Glibc)
import Glibc
#endif

/// A streaming reader of lines from a plain or gzip-compressed file.
///
/// Gzip is detected by the magic bytes `1f 8b`, not by the extension. The reader keeps one
/// large buffer (1 MiB by default, grown for longer lines) and hands out each line as a byte
/// view into it, without the line break (`\n` or `\r\n`). `lineNumber` is the 1-based number
/// of the line handed out last. Not thread-safe; one reader per file.
public final class LineReader {
    /// The path the reader was opened with.
    public let path: String
    /// Whether the file is gzip-compressed.
    public let isCompressed: Bool
    /// The 1-based number of the last line handed out (0 before the first).
    public private(set) var lineNumber = 0

    private var descriptor: Int32
    private var gzip: gzFile?
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// The unread bytes are `buffer[start..<end]`.
    private var start = 0
    private var end = 0
    private var atEndOfFile = false

    /// Opens `path`; throws a `FormatError` naming the file when it cannot be opened.
    public init(path: String, bufferSize: Int = 1 << 20) throws(FormatError) {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            throw FormatError(
                file: path, problem: "cannot open the file: \(FormatError.systemMessage(code))",
                fix: code == ENOENT
                    ? """
                    check the path (relative paths start at the kernel's working directory)
                    """ : "check the file's permissions")
        }
        var status = stat()
        if fstat(fd, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw FormatError(file: path, problem: "is a directory, not a file", fix: "give the path of a file inside it")
        }
        var magic: (UInt8, UInt8) = (0, 0)
        let got = withUnsafeMutableBytes(of: &magic) { pread(fd, $0.baseAddress, 2, 0) }
        isCompressed = got == 2 && magic.0 == 0x1f && magic.1 == 0x8b
        descriptor = fd
        capacity = Swift.max(bufferSize, 4096)
        buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        if isCompressed {
            guard let handle = gzdopen(fd, "rb") else {
                buffer.deallocate()
                close(fd)
                throw FormatError(
                    file: path, problem: "cannot start reading the gzip stream", fix: "check that the file is a complete .gz file")
            }
            gzbuffer(handle, UInt32(1 << 18))
            gzip = handle
        }
    }

    deinit {
        if let gzip { gzclose(gzip) } else { close(descriptor) }
        buffer.deallocate()
    }

    /// Calls `body` with the next line's bytes (valid only during the call, no line break);
    /// returns its result, or nil at the end of the file.
    public func withNextLine<R>(_ body: (UnsafeBufferPointer<UInt8>) throws(FormatError) -> R) throws(FormatError) -> R? {
        var searchFrom = start
        while true {
            if searchFrom < end, let found = memchr(buffer + searchFrom, 0x0a, end - searchFrom) {
                let newline = buffer.distance(to: found.assumingMemoryBound(to: UInt8.self))
                return try handOut(until: newline, next: newline + 1, body)
            }
            if atEndOfFile {
                if start == end { return nil }
                return try handOut(until: end, next: end, body)
            }
            let shift = start
            let scanned = end
            try fill()
            searchFrom = scanned - shift
        }
    }

    /// The next line as a `String`; nil at the end of the file; throws when it is not UTF-8.
    public func nextLine() throws(FormatError) -> String? {
        try withNextLine { bytes throws(FormatError) in try self.decode(bytes) }
    }

    /// `bytes` as a `String`, or an error naming the file and the current line when they are
    /// not valid UTF-8.
    public func decode(_ bytes: UnsafeBufferPointer<UInt8>) throws(FormatError) -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw FormatError(
                file: path, line: lineNumber,
                problem: "not valid UTF-8 ('\(FormatError.preview(bytes))')",
                fix: "convert the file to UTF-8, e.g. iconv -f latin1 -t utf-8")
        }
        return text
    }

    private func handOut<R>(
        until lineEnd: Int, next: Int,
        _ body: (UnsafeBufferPointer<UInt8>) throws(FormatError) -> R
    ) throws(FormatError) -> R {
        var stop = lineEnd
        if stop > start, buffer[stop - 1] == 0x0d { stop -= 1 }
        let line = UnsafeBufferPointer(start: buffer + start, count: stop - start)
        start = next
        lineNumber += 1
        return try body(line)
    }

    /// Moves the unread bytes to the front (growing the buffer when it is full of one line)
    /// and reads more; sets `atEndOfFile` when nothing more comes.
    private func fill() throws(FormatError) {
        if start > 0 {
            let remaining = end - start
            if remaining > 0 { memmove(buffer, buffer + start, remaining) }
            start = 0
            end = remaining
        }
        if end == capacity {
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
            grown.update(from: buffer, count: end)
            buffer.deallocate()
            buffer = grown
            capacity *= 2
        }
        let count = try readRaw(into: buffer + end, count: capacity - end)
        if count == 0 { atEndOfFile = true } else { end += count }
    }

    /// Reads up to `count` bytes from the file (decompressing); 0 at the end of the file.
    private func readRaw(into target: UnsafeMutablePointer<UInt8>, count: Int) throws(FormatError) -> Int {
        if let gzip {
            let n = gzread(gzip, target, UInt32(Swift.min(count, 1 << 30)))
            if n < 0 {
                var code: Int32 = 0
                let message = gzerror(gzip, &code).map { String(cString: $0) } ?? "unknown error"
                throw FormatError(
                    file: path, line: lineNumber + 1, problem: "the gzip data is corrupt (\(message))",
                    fix: "download or compress the file again")
            }
            return Int(n)
        }
        while true {
            let n = Glibc.read(descriptor, target, count)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw FormatError(file: path, line: lineNumber + 1, problem: "cannot read: \(FormatError.systemMessage(errno))")
        }
    }

    // MARK: byte-level access (word2vec binary)

    /// The unread buffered bytes, refilling when fewer than `minimum` are buffered; fewer
    /// than `minimum` are returned only at the end of the file.
    func available(atLeast minimum: Int) throws(FormatError) -> Int {
        while end - start < minimum && !atEndOfFile { try fill() }
        return end - start
    }

    /// Skips bytes equal to `byte` (e.g. the newline after a binary vector).
    func skip(_ byte: UInt8) throws(FormatError) {
        while try available(atLeast: 1) > 0, buffer[start] == byte { start += 1 }
    }

    /// Bytes up to (not including) `delimiter`, which is consumed; at the end of the file the
    /// remaining bytes (possibly none); nil when nothing is left.
    func bytes(upTo delimiter: UInt8) throws(FormatError) -> [UInt8]? {
        var collected: [UInt8] = []
        while true {
            guard try available(atLeast: 1) > 0 else { return collected.isEmpty ? nil : collected }
            let window = UnsafeBufferPointer(start: buffer + start, count: end - start)
            if let index = window.firstIndex(of: delimiter) {
                collected.append(contentsOf: window[0..<index])
                start += index + 1
                return collected
            }
            collected.append(contentsOf: window)
            start = end
        }
    }

    /// Copies the next `count` bytes to `target`; returns how many were copied (fewer only at
    /// the end of the file).
    func read(into target: UnsafeMutableRawPointer, count: Int) throws(FormatError) -> Int {
        var copied = 0
        while copied < count {
            let have = try available(atLeast: 1)
            if have == 0 { break }
            let n = Swift.min(have, count - copied)
            (target + copied).copyMemory(from: buffer + start, byteCount: n)
            start += n
            copied += n
        }
        return copied
    }
}
