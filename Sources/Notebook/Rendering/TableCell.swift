#if canImport(Jupyter)
import Jupyter
#endif

/// One cell of a table.
///
/// Display rules (shared by the HTML and plain-text renderings): text verbatim, ints without
/// separators, doubles with 4 decimals ("0.1235") or in scientific form when very small or
/// large ("1.234e-07"), percentages with one decimal ("87.5"), NaN as "NaN", infinities as
/// "inf"/"-inf", bools as "true"/"false", and `.empty` as a blank.
public enum TableCell: Sendable, Equatable {
    /// A string shown verbatim (escaped in HTML).
    case text(String)
    /// An integer, shown without thousands separators.
    case int(Int)
    /// A double, shown compactly; carried at full precision in JSON.
    case double(Double)
    /// A percentage (already multiplied by 100), shown with one decimal ("0.9" for one word in
    /// 112); carried at full precision in JSON. One decimal is the resolution of the test sets
    /// the tables report on (one word of 112 is 0.89 points).
    case percent(Double)
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
        case .percent(let d): return d.isFinite ? RenderNumber.fixed(d, fractionDigits: 1) : RenderNumber.tableCell(d)
        case .bool(let b): return b ? "true" : "false"
        case .empty: return ""
        }
    }

    /// Whether the cell holds a number (`.int` or `.double`).
    var isNumber: Bool {
        switch self {
        case .int, .double, .percent: return true
        default: return false
        }
    }

    /// The Table Schema type of the cell (`integer`, `number`, `boolean`, `string`); nil when empty.
    var schemaType: String? {
        switch self {
        case .text: return "string"
        case .int: return "integer"
        case .double, .percent: return "number"
        case .bool: return "boolean"
        case .empty: return nil
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
        case .double(let d), .percent(let d): return d.isFinite ? .double(d) : .null
        case .bool(let b): return .bool(b)
        case .empty: return .null
        }
    }
}
