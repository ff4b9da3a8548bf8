extension MagicHelp {
    /// The `%help` overview: a two-column table (magic, does), a family's row naming its
    /// methods; usages are on each magic's own page (`%help NAME`), so the prose keeps the width.
    public static var overview: Table {
        var table = Table(
            title: "xling magics", columns: ["magic", "does"],
            rows: MagicRegistry.all.map { magic in
                let spec = magic.spec
                var does = spec.abstract
                if !spec.subcommands.isEmpty {
                    does += "; methods: " + spec.subcommands.compactMap { $0.methodName.map { "`\($0)`" } }.joined(separator: ", ")
                }
                if spec.bodyHelp != nil { does += "; also the cell magic `%%\(spec.name)`" }
                return [.text("%" + spec.name), .text(does)]
            },
            footnote: "`%help NAME` or `%NAME?` shows one magic's usage, options and examples; `%help train cofactor` one method's.")
        table.markdownColumns = ["does"]
        return table
    }
}
