import Jupyter

/// Help pages generated from a `MagicSpec`: the `%help NAME` result, the `%name?` pager page
/// and the `inspect_reply` all come from here (the `%help` overview is `MagicHelp+Overview.swift`).
///
/// HTML pages are left-aligned prose (JupyterLab right-aligns the cells of a `dataframe` table
/// unless a cell says otherwise) with inline Markdown rendered; the usage line wraps between
/// tokens only (`HelpUsage`).
public enum MagicHelp {
    /// The help of one magic as text/plain and text/html.
    public static func bundle(for spec: MagicSpec) -> MimeBundle {
        ["text/plain": .string(plainText(spec)), "text/html": .string(html(spec))]
    }

    /// The plain-text help page.
    public static func plainText(_ spec: MagicSpec) -> String {
        var lines = ["%\(spec.name) — \(spec.abstract)", ""]
        lines += HelpUsage.plainLines(spec.usage, prefix: "usage: ")
        if !spec.subcommands.isEmpty {
            lines += ["", "methods:"]
            let width = spec.subcommands.map { ($0.methodName ?? "").count }.max() ?? 0
            for method in spec.subcommands {
                let name = method.methodName ?? ""
                lines.append("  \(name)\(String(repeating: " ", count: width - name.count))  \(method.abstract)")
            }
            if !spec.discussion.isEmpty { lines += ["", spec.discussion] }
            lines += ["", "`%help \(spec.name) METHOD` or `%\(spec.name) METHOD?` shows one method's options and examples."]
            return lines.joined(separator: "\n")
        }
        if !spec.positionals.isEmpty {
            lines.append("")
            lines.append("arguments:")
            for p in spec.positionals {
                lines.append("  \(p.name.uppercased())\(p.repeating ? "…" : "")  \(p.help)\(p.optional ? " (optional)" : "")")
            }
        }
        if !spec.options.isEmpty {
            lines.append("")
            lines.append("options:")
            let width = spec.options.map { $0.key.count + $0.kind.label.count + 1 }.max() ?? 0
            for o in spec.options {
                let head = "\(o.key)=\(o.kind.label)"
                let pad = String(repeating: " ", count: max(0, width - head.count))
                lines.append("  \(head)\(pad)  \(o.help)\(o.shownDefault.map { " (default: \($0))" } ?? "")")
            }
        }
        if let body = spec.bodyHelp {
            lines.append("")
            lines.append("cell body: \(body)")
        }
        if !spec.discussion.isEmpty {
            lines.append("")
            lines.append(spec.discussion)
        }
        if !spec.examples.isEmpty {
            lines.append("")
            lines.append("examples:")
            lines.append(contentsOf: spec.examples.map { "  \($0)" })
        }
        return lines.joined(separator: "\n")
    }

    /// Left alignment for a help table's cells and paragraphs.
    static let left = " style=\"text-align: left\""

    /// A left-aligned paragraph of prose with inline Markdown.
    static func paragraph(_ text: String) -> String { "<p\(left)>\(HTMLText.inlineMarkdown(text))</p>" }

    /// A left-aligned help table: header cells and rows of already-rendered HTML cells, in a
    /// horizontally scrolling wrapper.
    static func table(_ header: [String], _ rows: [[String]]) -> String {
        var out = "<div class=\"xling-table-wrap\" style=\"overflow-x: auto; max-width: 100%\">"
        out += "<table class=\"dataframe xling-table\"><thead><tr>"
        out += header.map { "<th\(left)>\(HTMLText.escape($0))</th>" }.joined()
        out += "</tr></thead><tbody>"
        for row in rows { out += "<tr>" + row.map { "<td\(left)>\($0)</td>" }.joined() + "</tr>" }
        return out + "</tbody></table></div>"
    }

    /// A value label (`clc-wa|clc+wa|clsim`) that wraps after a `|` only, never inside a choice.
    static func choices(_ label: String) -> String {
        label.split(separator: "|", omittingEmptySubsequences: false)
            .map { "<span style=\"white-space: nowrap\">\(HTMLText.escape(String($0)))</span>" }.joined(separator: "|")
    }

    /// The HTML help page.
    public static func html(_ spec: MagicSpec) -> String {
        let e = HTMLText.escape, md = HTMLText.inlineMarkdown
        var out = "<div class=\"xling-help\"\(left)><p\(left)><code>%\(e(spec.name))</code> — \(md(spec.abstract))</p>"
        out += HelpUsage.html(spec.usage)
        if !spec.subcommands.isEmpty {
            out += table(
                ["method", "does"],
                spec.subcommands.map { ["<code>\(e($0.methodName ?? ""))</code>", md($0.abstract)] })
            if !spec.discussion.isEmpty { out += paragraph(spec.discussion) }
            out += paragraph("`%help \(spec.name) METHOD` or `%\(spec.name) METHOD?` shows one method's options and examples.")
            return out + "</div>"
        }
        if !spec.positionals.isEmpty || !spec.options.isEmpty {
            var rows: [[String]] = spec.positionals.map { p in
                ["<code>\(e(p.name.uppercased()))</code>", choices(p.kind.label), p.optional ? "optional" : "required", md(p.help)]
            }
            rows += spec.options.map { o in
                ["<code>\(e(o.key))=</code>", choices(o.kind.label), e(o.shownDefault ?? (o.required ? "required" : "")), md(o.help)]
            }
            out += table(["argument", "value", "default", "meaning"], rows)
        }
        if let body = spec.bodyHelp { out += paragraph("Cell body: \(body)") }
        if !spec.discussion.isEmpty { out += paragraph(spec.discussion) }
        if !spec.examples.isEmpty { out += "<pre>\(e(spec.examples.joined(separator: "\n")))</pre>" }
        return out + "</div>"
    }

    /// The pager payload of `%name?` (what IPython's `?` returns).
    public static func pagerPayload(for spec: MagicSpec) -> JSON {
        ["source": "page", "data": .object(bundle(for: spec)), "start": 0]
    }
}
