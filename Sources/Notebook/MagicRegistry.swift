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
    ]

    /// The magic called `name`, or an unknown-magic error with the closest name.
    public static func lookup(_ name: String) throws(MagicError) -> any Magic.Type {
        if let magic = all.first(where: { $0.spec.name == name }) { return magic }
        throw MagicError.unknownMagic(name: name, suggestion: Suggestion.closest(to: name, in: all.map { $0.spec.name }))
    }

    /// The `%help` overview table: name, usage, abstract.
    public static var overview: Table {
        Table(title: "xling magics", columns: ["magic", "usage", "does"],
              rows: all.map { [.text("%" + $0.spec.name), .text($0.spec.usage), .text($0.spec.abstract)] },
              footnote: "`%help NAME` or `%NAME?` shows one magic's options and examples.")
    }
}
