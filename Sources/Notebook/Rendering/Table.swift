#if canImport(Jupyter)
import Jupyter
#endif

/// A titled table with HTML, plain-text and Table Schema renderings, shown like a pandas DataFrame.
///
/// Rows are normalised when rendered: a short row is padded with `.empty`, a long row is
/// trimmed to `columns.count`. A column is *numeric* when it has at least one non-empty cell
/// and all its non-empty cells are numbers; numeric columns are right-aligned, all others
/// left-aligned (JupyterLab right-aligns every `dataframe` cell unless told otherwise). Title,
/// footnote, headers and the cells of `markdownColumns` may hold inline Markdown (`` `code` ``,
/// `*emphasis*`), rendered in HTML and kept as written in plain text.
public struct Table: Sendable {
    /// The caption shown above the table (HTML `<caption>`, first line of the text form).
    public var title: String?
    /// The column headers, in display order.
    public var columns: [String]
    /// The data rows; each should have `columns.count` cells (others are padded or trimmed).
    public var rows: [[TableCell]]
    /// A small note under the table (HTML `<p>` after it, last line of the text form).
    public var footnote: String?
    /// Names of text columns whose cells are inline Markdown in HTML (help's `does` column).
    public var markdownColumns: Set<String> = []

    /// Creates a table; nothing is validated until rendering.
    public init(title: String? = nil, columns: [String], rows: [[TableCell]], footnote: String? = nil) {
        self.title = title
        self.columns = columns
        self.rows = rows
        self.footnote = footnote
    }

    /// The rows padded with `.empty` or trimmed so each has exactly `columns.count` cells.
    var normalizedRows: [[TableCell]] {
        rows.map { row in
            if row.count == columns.count { return row }
            if row.count > columns.count { return Array(row.prefix(columns.count)) }
            return row + Array(repeating: TableCell.empty, count: columns.count - row.count)
        }
    }

    /// For each column, whether it is numeric (see the type documentation).
    func numericColumns(_ normalized: [[TableCell]]) -> [Bool] {
        columns.indices.map { c in
            var sawNumber = false
            for row in normalized {
                let cell = row[c]
                if cell.isEmpty { continue }
                guard cell.isNumber else { return false }
                sawNumber = true
            }
            return sawNumber
        }
    }

    /// The HTML rendering: `<table class="dataframe xling-table">` with a `<thead>` header row
    /// and a `<tbody>`, inside a `<div>` that scrolls horizontally when the table is wider than
    /// the output (a confusion matrix); all text escaped, title, footnote and headers with inline
    /// Markdown; numeric columns right-aligned, others left-aligned. A table without rows shows a
    /// single "(no rows)" row.
    public var html: String {
        let normalized = normalizedRows
        let numeric = numericColumns(normalized)
        let markdown = columns.map { markdownColumns.contains($0) }
        func align(_ c: Int) -> String {
            numeric[c] ? " style=\"text-align: right\"" : " style=\"text-align: left\""
        }
        var out = "<div class=\"xling-table-wrap\" style=\"overflow-x: auto; max-width: 100%\">\n"
        out += "<table border=\"1\" class=\"dataframe xling-table\">\n"
        if let title { out += "  <caption style=\"text-align: left\">\(HTMLText.inlineMarkdown(title))</caption>\n" }
        out += "  <thead>\n    <tr>\n"
        for (c, name) in columns.enumerated() {
            out += "      <th\(align(c))>\(HTMLText.inlineMarkdown(name))</th>\n"
        }
        out += "    </tr>\n  </thead>\n  <tbody>\n"
        if normalized.isEmpty {
            out += "    <tr>\n      <td colspan=\"\(max(1, columns.count))\" style=\"text-align: left\">"
            out += "(no rows)</td>\n    </tr>\n"
        }
        for row in normalized {
            out += "    <tr>\n"
            for (c, cell) in row.enumerated() {
                let text = markdown[c] ? HTMLText.inlineMarkdown(cell.displayText) : HTMLText.escape(cell.displayText)
                out += "      <td\(align(c))>\(text)</td>\n"
            }
            out += "    </tr>\n"
        }
        out += "  </tbody>\n</table>\n"
        if let footnote {
            out += "<p class=\"xling-footnote\" style=\"text-align: left\"><small>\(HTMLText.inlineMarkdown(footnote))</small></p>\n"
        }
        out += "</div>"
        return out
    }
    /// The plain-text rendering: a fixed-width table whose columns are separated by two spaces,
    /// numeric columns right-aligned, text left-aligned, the header underlined with dashes, the
    /// title (if any) on the first line and the footnote (if any) on the last. Widths are counted
    /// in Characters; line breaks and tabs inside cells become spaces; no line ends in a space.
    public var plainText: String {
        let normalized = normalizedRows
        let numeric = numericColumns(normalized)
        func flat(_ s: String) -> String {
            String(s.map { $0 == "\n" || $0 == "\r\n" || $0 == "\r" || $0 == "\t" ? " " : $0 })
        }
        let header = columns.map(flat)
        let body = normalized.map { $0.map { flat($0.displayText) } }
        var widths = header.map(\.count)
        for row in body {
            for (c, text) in row.enumerated() { widths[c] = max(widths[c], text.count) }
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (c, text) in cells.enumerated() {
                let pad = String(repeating: " ", count: max(0, widths[c] - text.count))
                parts.append(numeric[c] ? pad + text : text + pad)
            }
            var joined = parts.joined(separator: "  ")
            while joined.hasSuffix(" ") { joined.removeLast() }
            return joined
        }
        var lines: [String] = []
        if let title { lines.append(flat(title)) }
        lines.append(line(header))
        lines.append(widths.map { String(repeating: "-", count: max(1, $0)) }.joined(separator: "  "))
        if body.isEmpty { lines.append("(no rows)") }
        for row in body { lines.append(line(row)) }
        if let footnote { lines.append(flat(footnote)) }
        return lines.joined(separator: "\n")
    }

    /// The field names of the Table Schema twin: the column names, a repeated name suffixed
    /// with " (2)", " (3)", … so that every row object keeps every column.
    var fieldNames: [String] {
        var seen: [String: Int] = [:]
        var used = Set(columns)
        return columns.map { name in
            let count = (seen[name] ?? 0) + 1
            seen[name] = count
            guard count > 1 else { return name }
            var n = count
            while used.contains("\(name) (\(n))") { n += 1 }
            used.insert("\(name) (\(n))")
            return "\(name) (\(n))"
        }
    }

    /// The Table Schema type of each column: the common type of its non-empty cells (`integer`
    /// and `number` together make `number`), `any` for a mix, `string` for an all-empty column.
    func schemaTypes(_ normalized: [[TableCell]]) -> [String] {
        columns.indices.map { c in
            let types = Set(normalized.compactMap { $0[c].schemaType })
            if types.isEmpty { return "string" }
            if types.count == 1, let only = types.first { return only }
            if types == ["integer", "number"] { return "number" }
            return "any"
        }
    }

    /// The machine-readable twin in the Table Schema data-resource form pandas emits
    /// (`display.html.table_schema`): `{"schema": {"fields": [{"name", "type"}…]}, "data": [rows]}`,
    /// one object per row mapping field name to value (`.string`, `.int`, full-precision `.double`,
    /// `.bool`, or `.null` for empty cells and non-finite doubles).
    public var dataResource: JSON {
        let normalized = normalizedRows
        let names = fieldNames
        let types = schemaTypes(normalized)
        let fields: [JSON] = names.indices.map { .object(["name": .string(names[$0]), "type": .string(types[$0])]) }
        let data: [JSON] = normalized.map { row in
            var object: [String: JSON] = [:]
            for (c, cell) in row.enumerated() { object[names[c]] = cell.jsonValue }
            return .object(object)
        }
        return .object(["schema": .object(["fields": .array(fields)]), "data": .array(data)])
    }

    /// The display bundle: "text/plain" (`plainText`), "text/html" (`html`) and
    /// "application/vnd.dataresource+json" (`dataResource`). Never bare "application/json", which
    /// JupyterLab ranks above HTML and shows as a JSON tree; it has no data-resource renderer and
    /// shows the HTML table.
    public var mimeBundle: [String: JSON] {
        [
            "text/plain": .string(plainText),
            "text/html": .string(html),
            Self.mimeType: dataResource,
        ]
    }

    /// The MIME type of the Table Schema twin.
    public static let mimeType = "application/vnd.dataresource+json"
}
