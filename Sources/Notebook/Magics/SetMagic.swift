import Embeddings
import Jupyter

/// `%set key=value …` / `%set KEY` / `%set`: session settings.
struct SetMagic: Magic {
    static let spec = MagicSpec(
        name: "set",
        abstract: """
            set session settings (seed, threads, or any key=value such as papermill parameters); `%set KEY` returns one value, `%set` \
            shows all
            """,
        positionals: [.init("key", .string, optional: true, help: "a setting to return as the cell's value")],
        options: [
            .init("seed", .int(min: 0, max: nil), default: "0", help: "seed of every random choice of a run"),
            .init(
                "threads", .int(min: 1, max: 256), default: "1",
                help: "threads for training and BLAS from the kernel's start (results may depend on it, never on the machine's cores)"),
        ],
        discussion: """
            Keys other than seed and threads are accepted too and kept as text, so that parameters injected by papermill land in the \
            session: with python/xling-papermill installed, `papermill in.ipynb out.ipynb -p lang de -p k 10` adds the cell \
            `%set lang="de"` / `%set k=10` after the cell tagged `parameters`, and `%set lang` returns `de`.
            """,
        examples: ["%set seed=42 threads=2", "%set seed", "%set"], acceptsAnyKey: true)

    let key: String?
    let assignments: [(String, String)]

    init(_ arguments: MagicArguments) throws {
        if let word = arguments.words.first, !arguments.values.isEmpty {
            throw Self.usageError("`\(word)`: read a key or set keys, not both")
        }
        key = arguments.words.first
        assignments = arguments.values.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    func run(in session: Session, context: ExecutionContext) throws -> MimeBundle? {
        var settings = session.settings
        for (name, value) in assignments { try settings.set(name, to: value) }
        session.settings = settings // all or nothing: a bad value changes no setting
        if assignments.contains(where: { $0.0 == "threads" }) { BLAS.setThreads(settings.threads) }
        if let key {
            guard let value = session.settings.value(key) else {
                let names = session.settings.all.map(\.key)
                let hint = Suggestion.closest(to: key, in: names).map { " — did you mean `\($0)`?" } ?? ""
                throw Self.failure("no setting `\(key)`\(hint) (set: \(names.joined(separator: ", ")))")
            }
            return ["text/plain": .string(value)]
        }
        if !assignments.isEmpty { return nil }
        let rows: [[TableCell]] = session.settings.all.map { entry in
            [.text(entry.key), Int(entry.value).map(TableCell.int) ?? Double(entry.value).map(TableCell.double) ?? .text(entry.value)]
        }
        return Table(title: "settings", columns: ["setting", "value"], rows: rows).mimeBundle
    }
}
