import Jupyter

/// `%lsmagic`: the names of all magics, as IPython's `%lsmagic`.
struct LsMagicMagic: Magic {
    static let spec = MagicSpec(name: "lsmagic", abstract: "list the names of all magics")

    init(_ arguments: MagicArguments) throws {}

    func run(in session: Session, context: ExecutionContext) throws -> MimeBundle? {
        let line = MagicRegistry.all.map { "%" + $0.spec.name }.joined(separator: "  ")
        let cellMagics = MagicRegistry.all.filter { $0.spec.bodyHelp != nil }.map { "%%" + $0.spec.name }
        var text = "Available line magics:\n\(line)"
        if !cellMagics.isEmpty { text += "\n\nAvailable cell magics:\n" + cellMagics.joined(separator: "  ") }
        text += "\n\n`%help NAME` or `%NAME?` explains one."
        let left = " style=\"text-align: left\""
        var html =
            "<div class=\"xling-help\"\(left)><p\(left)>Available line magics:</p><p\(left)>"
            + MagicRegistry.all.map { "<code>%\(HTMLText.escape($0.spec.name))</code>" }.joined(separator: " ") + "</p>"
        if !cellMagics.isEmpty {
            html +=
                "<p\(left)>Available cell magics:</p><p\(left)>"
                + cellMagics.map { "<code>\(HTMLText.escape($0))</code>" }.joined(separator: " ") + "</p>"
        }
        html += "<p\(left)><code>%help NAME</code> or <code>%NAME?</code> explains one.</p></div>"
        return ["text/plain": .string(text), "text/html": .string(html)]
    }
}
