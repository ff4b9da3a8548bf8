import Jupyter

/// Help pages generated from a `MagicSpec`: the `%help NAME` result, the `%name?` pager page
/// and the `inspect_reply` all come from here.
public enum MagicHelp {
    /// The help of one magic as text/plain and text/html.
    public static func bundle(for spec: MagicSpec) -> MimeBundle {
        ["text/plain": .string(plainText(spec)), "text/html": .string(html(spec))]
    }

    /// The plain-text help page.
    public static func plainText(_ spec: MagicSpec) -> String {
        var lines = ["%\(spec.name) — \(spec.abstract)", "", "usage: \(spec.usage)"]
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

    /// The HTML help page.
    public static func html(_ spec: MagicSpec) -> String {
        let e = HTMLText.escape
        var out = "<div class=\"xling-help\"><p><code>%\(e(spec.name))</code> — \(e(spec.abstract))</p>"
        out += "<pre>\(e(spec.usage))</pre>"
        if !spec.subcommands.isEmpty {
            out += "<table class=\"dataframe xling-table\"><thead><tr><th>method</th><th>does</th></tr></thead><tbody>"
            for method in spec.subcommands {
                out += "<tr><td><code>\(e(method.methodName ?? ""))</code></td><td>\(e(method.abstract))</td></tr>"
            }
            out += "</tbody></table>"
            if !spec.discussion.isEmpty { out += "<p>\(e(spec.discussion))</p>" }
            out += "<p><code>%help \(e(spec.name)) METHOD</code> or <code>%\(e(spec.name)) METHOD?</code> shows one method.</p>"
            return out + "</div>"
        }
        if !spec.positionals.isEmpty || !spec.options.isEmpty {
            out += """
                <table class=\"dataframe \
                xling-table\"><thead><tr><th>argument</th><th>value</th><th>default</th><th>meaning</th></tr></thead><tbody>
                """
            for p in spec.positionals {
                out +=
                    "<tr><td><code>\(e(p.name.uppercased()))</code></td><td>\(e(p.kind.label))</td>"
                    + "<td>\(p.optional ? "optional" : "required")</td><td>\(e(p.help))</td></tr>"
            }
            for o in spec.options {
                out +=
                    "<tr><td><code>\(e(o.key))=</code></td><td>\(e(o.kind.label))</td>"
                    + "<td>\(e(o.shownDefault ?? (o.required ? "required" : "")))</td><td>\(e(o.help))</td></tr>"
            }
            out += "</tbody></table>"
        }
        if let body = spec.bodyHelp { out += "<p>Cell body: \(e(body))</p>" }
        if !spec.discussion.isEmpty { out += "<p>\(e(spec.discussion))</p>" }
        if !spec.examples.isEmpty { out += "<pre>\(e(spec.examples.joined(separator: "\n")))</pre>" }
        return out + "</div>"
    }

    /// The pager payload of `%name?` (what IPython's `?` returns).
    public static func pagerPayload(for spec: MagicSpec) -> JSON {
        ["source": "page", "data": .object(bundle(for: spec)), "start": 0]
    }
}
