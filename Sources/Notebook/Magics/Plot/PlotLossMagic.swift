import Embeddings
import Jupyter

/// `%plot loss RUN[,RUN2…] [log=true]`: the recorded per-iteration (or per-epoch) training
/// losses of stored objects in one chart, one line per object, with a legend.
struct PlotLossMagic: Magic {
    static let log = Opt.bool("log", default: false, help: "a logarithmic loss axis")
    static let spec = MagicSpec(
        name: "plot loss", abstract: "the training losses of stored spaces, joint spaces or classifiers in one chart",
        positionals: [.init("runs", .list, help: "objects made by %train (glove, cofactor, classifier), as A,B,…")],
        keys: [log],
        examples: ["%plot loss glove_en,glove_de", "%plot loss clsim,clcwa log=true"])

    let names: [String]
    let arguments: MagicArguments

    init(_ arguments: MagicArguments) throws {
        self.arguments = arguments
        names = [String](optionText: arguments.words[0]) ?? []
        guard !names.isEmpty else { throw arguments.usageError("name at least one object: `%plot loss A,B`") }
    }

    func run(in session: Session, context: ExecutionContext) throws -> MimeBundle? {
        var series: [ChartSeries] = []
        var units: Set<String> = []
        for name in names {
            let (losses, unit) = try Self.losses(of: name, in: session)
            units.insert(unit)
            let points = losses.enumerated().map { ChartPoint(x: Double($0.offset + 1), y: $0.element) }
            series.append(ChartSeries(name: name, points: points))
        }
        let x = units.count == 1 ? units.first ?? "step" : "iteration / epoch"
        return LineChart(
            title: "training loss of " + names.map { "`\($0)`" }.joined(separator: ", "), xLabel: x, yLabel: "loss",
            series: series, logY: arguments[Self.log]
        ).mimeBundle
    }

    /// The recorded losses of `name` and what one step is.
    static func losses(of name: String, in session: Session) throws -> ([Double], String) {
        let object = try session.object(name, for: "plot")
        let history: TrainingHistory?
        switch object {
        case let space as SpaceObject: history = space.history
        case let mapping as MappingObject: history = mapping.history
        case let classifier as ClassifierObject:
            let epochs = classifier.classifier.training?.history ?? []
            if !epochs.isEmpty { return (epochs.map(\.trainLoss), "epoch") }
            history = nil
        default: history = nil
        }
        guard let history, !history.losses.isEmpty else {
            throw Self.failure(
                "`\(name)` holds \(object.kind) with no recorded training losses; plot objects made by %train glove, "
                    + "%train cofactor or %train classifier")
        }
        return (history.losses, "iteration")
    }
}
