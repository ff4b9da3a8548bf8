import Jupyter

/// The one list of magics. Adding a magic = one file in `Magics/` + one line here.
public enum MagicRegistry {
    /// Every registered magic, in the order `%help` lists them.
    /// (An immutable list of metatypes: safe to share across threads.)
    nonisolated(unsafe) public static let all: [any Magic.Type] = [
        HelpMagic.self,
        LsMagicMagic.self,
        WhoMagic.self,
        SetMagic.self,
        ResetMagic.self,
        EchoMagic.self,
        SleepMagic.self,
        ClearMagic.self,
        BLASMagic.self,
        LoadMagic.self,
        DictCellMagic.self,
        CorpusCellMagic.self,
        LabeledCellMagic.self,
        SaveMagic.self,
        TrainMagic.self,
        WordAlignMagic.self,
        AlignMagic.self,
        EvalMagic.self,
        NeighborsMagic.self,
        HubnessMagic.self,
        LLMMagic.self,
        TSNEMagic.self,
        PlotMagic.self,
    ]

    /// The magic called `name`, or an unknown-magic error with the closest name.
    public static func lookup(_ name: String) throws(MagicError) -> any Magic.Type {
        if let magic = all.first(where: { $0.spec.name == name }) { return magic }
        throw MagicError.unknownMagic(name: name, suggestion: Suggestion.closest(to: name, in: all.map { $0.spec.name }))
    }

    /// The magic an invocation runs: a single magic, or the method of a family picked by the
    /// first word (which is then dropped from the words). `%train cofactor?` asks for the
    /// method's help; `%train?` (no method word) for the family's. An unknown or missing method
    /// is a usage error that lists the methods.
    public static func resolve(_ invocation: MagicInvocation) throws(MagicError) -> (any Magic.Type, MagicInvocation) {
        var magic = try lookup(invocation.name)
        var invocation = invocation
        while !magic.methods.isEmpty {
            let family = magic.spec
            let names = magic.methods.compactMap { $0.spec.methodName }
            guard var word = invocation.words.first else {
                if invocation.wantsHelp { return (magic, invocation) }
                throw MagicError.usage(
                    magic: family.name, message: "missing METHOD: one of \(names.joined(separator: ", "))",
                    usage: family.usage)
            }
            while word.hasSuffix("?") {
                word.removeLast()
                invocation.wantsHelp = true
            }
            guard let method = magic.methods.first(where: { $0.spec.methodName == word }) else {
                let hint = Suggestion.closest(to: word, in: names).map { "; did you mean `\($0)`?" } ?? ""
                throw MagicError.usage(
                    magic: family.name,
                    message: "unknown method `\(word)`\(hint) (methods: \(names.joined(separator: ", ")))",
                    usage: family.usage)
            }
            magic = method
            invocation.words.removeFirst()
        }
        return (magic, invocation)
    }

    /// The spec of the magic (or method) named by the first words of a line (`train cofactor`),
    /// and how many of `words` named the method; nil when the magic is unknown.
    static func spec(named name: String, words: [String]) -> (spec: MagicSpec, methodWords: Int)? {
        guard var magic = try? lookup(name) else { return nil }
        var used = 0
        while !magic.methods.isEmpty, used < words.count,
            let method = magic.methods.first(where: { $0.spec.methodName == words[used].replacingQuestionMarks() })
        {
            magic = method
            used += 1
        }
        return (magic.spec, used)
    }

    /// The `%help` overview table (built in `Help/MagicHelp+Overview.swift`).
    public static var overview: Table { MagicHelp.overview }
}
