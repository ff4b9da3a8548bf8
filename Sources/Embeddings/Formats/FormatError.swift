#if canImport(Glibc)
import Glibc
#endif

/// A file that cannot be read or written: names the file, the line (when known), the problem
/// and how to fix it (`EngineError`, with its own `description` that leads with the file).
///
/// `description` reads like `en.vec line 1: expected a header 'COUNT DIM', found 'the 0.1 0.2';
/// word2vec/fastText text files start with the number of words and the dimension`.
public struct FormatError: EngineError, Equatable, Sendable {
    /// The path of the file as given by the caller (or a name such as `%%dict cell`).
    public let file: String
    /// The 1-based line number, or nil when the problem is not tied to one line.
    public let line: Int?
    /// What is wrong, e.g. `'the' has 299 values, expected 300 (from the header)`.
    public let problem: String
    /// How to fix it, or nil when there is nothing useful to say.
    public let fix: String?

    /// Creates an error for `file` (and `line`, when known).
    public init(file: String, line: Int? = nil, problem: String, fix: String? = nil) {
        self.file = file
        self.line = line
        self.problem = problem
        self.fix = fix
    }

    /// `PATH line N: PROBLEM; FIX`, with the path as given (relative paths stay short).
    public var description: String {
        var text = file // the path as the user gave it, so a wrong folder is visible too
        if let line { text += " line \(line)" }
        text += ": " + problem
        if let fix { text += "; " + fix }
        return text
    }

    /// The last path component of `path` (the whole string when it has no `/`).
    static func displayName(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), path.index(after: slash) < path.endIndex else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// The first `limit` bytes of `bytes` for an error message, lossily decoded, with `…` when cut.
    static func preview(_ bytes: UnsafeBufferPointer<UInt8>, limit: Int = 40) -> String {
        let cut = Swift.min(bytes.count, limit)
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<cut]), as: UTF8.self)
        return cut < bytes.count ? text + "…" : text
    }

    /// The message of the current `errno`.
    static func systemMessage(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}
