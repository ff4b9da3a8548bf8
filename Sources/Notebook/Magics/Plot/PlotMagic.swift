import Jupyter

/// `%plot loss|bli …`: charts of what earlier runs recorded in the session.
enum PlotMagic: MagicFamily {
    static let familyName = "plot"
    static let abstract = "charts of what runs recorded: training losses, BLI precision of stored evaluations"
    nonisolated(unsafe) static let methods: [any Magic.Type] = [
        PlotLossMagic.self,
        PlotBLIMagic.self,
    ]
}
