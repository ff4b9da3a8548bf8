import Jupyter

/// A problem with what the user wrote or asked for. Renders itself as the cell's error:
/// a name, a message that says what is wrong and how to fix it, and the usage line.
public enum MagicError: Error, Equatable, CustomStringConvertible {
    /// The cell does not follow the grammar.
    case syntax(String)
    /// No magic of this name; the suggestion is the closest registered name.
    case unknownMagic(name: String, suggestion: String?)
    /// The arguments do not fit the magic's spec.
    case usage(magic: String, message: String, usage: String)
    /// The request is well-formed but cannot be carried out (missing object, bad value).
    case failed(magic: String, message: String)

    /// The message shown as the error's value: what is wrong, a hint and, for usage errors, the usage line.
    public var description: String {
        switch self {
        case .syntax(let message): return message
        case .unknownMagic(let name, let suggestion):
            let hint = suggestion.map { " — did you mean `%\($0)`?" } ?? ""
            return "unknown magic `%\(name)`\(hint) (`%lsmagic` lists them all)"
        case .usage(let magic, let message, let usage): return "%\(magic): \(message)\nusage: \(usage)"
        case .failed(let magic, let message): return "%\(magic): \(message)"
        }
    }

    /// The `ename` shown in the notebook.
    public var errorName: String {
        switch self {
        case .syntax: return "SyntaxError"
        case .unknownMagic, .usage: return "UsageError"
        case .failed: return "MagicError"
        }
    }

    /// The error as the kernel reports it (ename, evalue, a red traceback).
    public var executionError: ExecutionError {
        let lines = description.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let first = "\u{1B}[0;31m\(errorName)\u{1B}[0m: \(lines.first ?? "")"
        return ExecutionError(name: errorName, value: description, traceback: [first] + lines.dropFirst())
    }
}
