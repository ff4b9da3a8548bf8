#if canImport(Jupyter)
import Jupyter
#endif

/// One cell of a table.
///
/// Display rules (shared by the HTML and plain-text renderings): text verbatim, ints without
/// separators, doubles with 4 decimals ("0.1235") or in scientific form when very small or
/// large ("1.234e-07"), NaN as "NaN", infinities as "inf"/"-inf", bools as "true"/"false",
/// and `.empty` as a blank.
public enum TableCell: Sendable, Equatable {
    /// A string shown verbatim (escaped in HTML).
    case text(String)
    /// An integer, shown without thousands separators.
    case int(Int)
    /// A double, shown compactly; carried at full precision in JSON.
    case double(Double)
    /// A boolean, shown as "true" or "false".
    case bool(Bool)
    /// A missing value, shown blank and serialized as JSON `null`.
    case empty

    /// The text shown for this cell in HTML (before escaping) and plain text.
    var displayText: String {
        switch self {
        case .text(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return RenderNumber.tableCell(d)
        case .bool(let b): return b ? "true" : "false"
        case .empty: return ""
        }
    }

    /// Whether the cell holds a number (`.int` or `.double`).
    var isNumber: Bool {
        switch self {
        case .int, .double: return true
        default: return false
        }
    }

    /// Whether the cell is `.empty`.
    var isEmpty: Bool {
        if case .empty = self { return true }
        return false
    }

    /// The full-precision JSON value; non-finite doubles become `.null`.
    var jsonValue: JSON {
        switch self {
        case .text(let s): return .string(s)
        case .int(let i): return .int(i)
        case .double(let d): return d.isFinite ? .double(d) : .null
        case .bool(let b): return .bool(b)
        case .empty: return .null
        }
    }
}
