import Jupyter

/// `%reset [NAME …] [force=true]`: drops objects, after confirmation through stdin unless
/// `force=true` (IPython's `%reset`).
struct ResetMagic: Magic {
    static let force = Opt.bool("force", default: false, help: "drop without asking")
    static let spec = MagicSpec(
        name: "reset", abstract: "drop named objects (all without names); asks for confirmation unless force=true",
        positionals: [.init("names", .object, optional: true, repeating: true, help: "objects to drop; all when none are given")],
        keys: [force],
        examples: ["%reset", "%reset blas force=true"])

    let names: [String]
    let force: Bool

    init(_ arguments: MagicArguments) throws {
        names = arguments.words
        force = arguments[Self.force]
    }

    func run(in session: Session, context: ExecutionContext) throws -> MimeBundle? {
        for name in names { _ = try session.object(name, for: "reset") }
        // Like IPython's %reset, it always asks (unless forced), even when the session is empty.
        let targets = names.isEmpty ? session.order : names
        if !force {
            let what = names.isEmpty ? "all \(targets.count) object\(targets.count == 1 ? "" : "s")" : targets.joined(separator: ", ")
            let answer: String
            do {
                answer = try context.input(prompt: "Once deleted, \(what) cannot be recovered. Proceed (y/[n])? ")
            } catch let error as ExecutionError where error.name == "StdinNotImplementedError" {
                throw Self.failure(
                    """
                    cannot ask for confirmation: this frontend allows no input; write `%reset force=true` to drop without asking
                    """)
            }
            guard answer.trimmingWhitespace().lowercased().hasPrefix("y") else {
                context.stream("Nothing done.\n")
                return nil
            }
        }
        let dropped = session.drop(names)
        context.stream("Dropped \(dropped.count) object\(dropped.count == 1 ? "" : "s"): \(dropped.joined(separator: ", ")).\n")
        return nil
    }
}
