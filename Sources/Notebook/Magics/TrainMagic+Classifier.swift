import Embeddings
import Jupyter

/// `%train classifier data=L space=S [model=boe|perceptron|mlp] [update_emb=true] [dev=L2] … as=K`:
/// a text classifier on one language's labelled documents (`TextClassifier.train`), its
/// embedding layer initialised from that language's side of S.
extension TrainMagic {
    /// The keys only `%train classifier` takes, appended to the spec's options.
    static let classifierOptions: [MagicSpec.Option] = [
        .init("data", .object, help: "classifier: the labelled training documents (%load labeled)"),
        .init("space", .object, help: "classifier: the embeddings the embedding layer starts from — vectors, or a mapping/joint space (the side in data's language); every word of that side is a row"),
        .init("model", .choice(["boe", "perceptron", "mlp"]), default: "boe",
              help: "classifier: boe (mean of embeddings → one tanh hidden layer → softmax, Sakuma & Yoshinaga 2019), perceptron (averaged, over idf-weighted means), mlp (two ReLU layers with dropout)"),
        .init("update_emb", .bool, default: "false", help: "classifier: train the embedding layer too (the paper's 'CLWE opt'); false keeps it fixed ('CLWE fixed')"),
        .init("dev", .object, help: "classifier: labelled documents for early stopping (the best dev-accuracy epoch is kept)"),
        .init("hidden", .int(min: 1, max: 8192), default: "300", help: "classifier: units per hidden layer (paper: 300)"),
        .init("epochs", .int(min: 1, max: 10_000), help: "classifier: maximum epochs (boe/mlp 50, perceptron 10)"),
        .init("batch", .int(min: 1, max: 1_000_000), default: "32", help: "classifier: documents per optimizer step"),
        .init("dropout", .double(min: 0, max: 0.95), help: "classifier: dropout after each hidden layer (boe 0, mlp 0.3)"),
        .init("optimizer", .choice(["adam", "adagrad", "sgd"]), default: "adam", help: "classifier: the optimizer (paper: Adam; default rates 0.001 / 0.05 / 0.1)"),
        .init("class_weights", .choice(["none", "balanced"]), default: "none", help: "classifier: weight the loss by n / (K·n_k) per class (balanced) or not"),
        .init("patience", .int(min: 1, max: 10_000), default: "10", help: "classifier: with dev=, stop after this many epochs without a better dev accuracy"),
        .init("normalize", .list, default: "unit", help: "classifier: normalisations of the space's vectors before they become the embedding layer, in order (unit, center, unitdim) or none"),
    ]

    /// The `normalize=` chain (`none` is the empty chain).
    static func classifierNormalization(_ arguments: MagicArguments) throws -> [EmbeddingSpace.Normalization] {
        let text = arguments.string("normalize") ?? "unit"
        if text.lowercased() == "none" { return [] }
        switch EmbeddingSpace.Normalization.chain(text) {
        case .success(let steps): return steps
        case .failure(let error):
            throw MagicError.usage(magic: "train", message: "normalize=\(text): \(error.description), or none", usage: spec.usage)
        }
    }

    /// Checks that `data=` and `space=` are given.
    static func validateClassifier(_ arguments: MagicArguments) throws {
        if !arguments.has("data") {
            throw MagicError.usage(magic: "train", message: "missing data=NAME (labelled documents: %load labeled)", usage: spec.usage)
        }
        if !arguments.has("space") {
            throw MagicError.usage(magic: "train", message: "missing space=NAME (vectors or a mapping whose side in the data's language initialises the embeddings)", usage: spec.usage)
        }
        _ = try classifierNormalization(arguments)
    }

    /// The options of the run from the arguments (seed from `%set seed` unless given).
    func classifierOptions(_ session: Session) throws -> TextClassifierOptions {
        var options = TextClassifierOptions()
        options.model = TextClassifierModel(rawValue: arguments.string("model") ?? "boe") ?? .boe
        options.updateEmbeddings = arguments.bool("update_emb") ?? false
        options.hidden = arguments.int("hidden") ?? options.hidden
        options.epochs = arguments.int("epochs")
        options.batchSize = arguments.int("batch") ?? options.batchSize
        options.learningRate = arguments.double("lr").map { Float($0) }
        options.dropout = arguments.double("dropout").map { Float($0) }
        options.optimizer = Optimizer.Kind(rawValue: arguments.string("optimizer") ?? "adam") ?? .adam
        options.balancedClassWeights = arguments.string("class_weights") == "balanced"
        options.patience = arguments.int("patience") ?? options.patience
        options.seed = UInt64(arguments.int("seed") ?? session.settings.seed)
        options.normalization = try Self.classifierNormalization(arguments)
        return options
    }

    /// The side of `name` in `language`: a vectors object (whose language, if set, must
    /// match), or the side of a mapping or joint space.
    static func classifierSpace(_ name: String, language: String, dataName: String, in session: Session) throws -> EmbeddingSpace {
        let object = try session.object(name, for: "train")
        if let vectors = object as? SpaceObject {
            if let own = vectors.space.language, own != language {
                throw MagicError.failed(magic: "train", message: "`\(dataName)` is in \(language), but the space `\(name)` is in \(own); give a space in \(language), or a mapping that has \(language) as one side")
            }
            return vectors.space
        }
        if let mapping = object as? MappingObject {
            let mapped = try mapping.mapped()
            if mapping.languages[0] == language { return mapped.source }
            if mapping.languages[1] == language { return mapped.target }
            throw MagicError.failed(magic: "train", message: "`\(dataName)` is in \(language), but the \(mapping.kind) `\(name)` has \(mapping.languages.joined(separator: " and ")); give a space that covers \(language)")
        }
        throw MagicError.failed(magic: "train", message: "`\(name)` holds \(object.kind) (`%who` lists every object), not vectors or a mapping to initialise the embeddings from")
    }

    /// Trains, stores and summarises the classifier.
    func runClassifier(_ session: Session, _ context: ExecutionContext) throws -> MimeBundle? {
        let dataName = arguments.string("data") ?? "", spaceName = arguments.string("space") ?? ""
        let data = try session.labeled(dataName, for: "train").documents
        let devName = arguments.string("dev")
        let dev = try devName.map { try session.labeled($0, for: "train").documents }
        if let dev, dev.language != data.language {
            throw MagicError.failed(magic: "train", message: "the dev set `\(devName ?? "")` is in \(dev.language) but `\(dataName)` is in \(data.language); give a dev set in \(data.language)")
        }
        let space = try Self.classifierSpace(spaceName, language: data.language, dataName: dataName, in: session)
        let options = try classifierOptions(session)
        let epochs = options.resolvedEpochs
        let reporter = ProgressReporter(context: context, phase: "training \(options.model.rawValue)", total: epochs,
                                        unit: "epochs") { report in
            let devText = report.extra("dev score").map { ", dev accuracy \(NumberText.fixed($0 * 100, 1))%" } ?? ""
            return "training \(options.model.rawValue)\(devText)"
        }
        let classifier = try reporter.run { try TextClassifier.train(data, space: space, options: options, dev: dev, progress: $0) }
        let training = classifier.training
        let interrupted = training?.interrupted ?? false
        reporter.finish(stopped: interrupted)
        let name = arguments.string("as") ?? "\(options.model.rawValue)_\(dataName)"
        let how = "\(options.model.rawValue) on `\(dataName)`, embeddings from `\(spaceName)`"
            + (options.model == .perceptron ? "" : (options.updateEmbeddings ? " (trained)" : " (fixed)"))
        session.store(ClassifierObject(classifier, origin: how), as: name,
                      madeBy: "%train classifier data=\(dataName) space=\(spaceName) model=\(options.model.rawValue)"
                          + (options.model == .perceptron ? "" : " update_emb=\(options.updateEmbeddings)"),
                      cell: context.executionCount)
        let history = training?.history ?? []
        if options.model != .perceptron, !history.isEmpty {
            var series = [ChartSeries(name: "train loss", points: history.map { ChartPoint(x: Double($0.epoch), y: $0.trainLoss) })]
            if dev != nil {
                series.append(ChartSeries(name: "dev accuracy", points: history.compactMap { r in r.devScore.map { ChartPoint(x: Double(r.epoch), y: $0) } }))
            }
            context.display(LineChart(title: "training of `\(name)`", xLabel: "epoch", yLabel: "loss / accuracy", series: series).mimeBundle)
        }
        let table = classifierSummary(classifier, name: name, dataName: dataName, data: data, spaceName: spaceName, devName: devName)
        guard interrupted else { return table }
        context.display(table)
        context.stream("Interrupted: `\(name)` keeps the model trained so far (\(history.count) of \(epochs) epochs completed). Run %train classifier again for the full one.\n", name: "stderr")
        throw Interrupted()
    }

    /// The summary table of a trained classifier.
    func classifierSummary(_ classifier: TextClassifier, name: String, dataName: String, data: LabeledDocuments,
                           spaceName: String, devName: String?) -> MimeBundle {
        let training = classifier.training
        let options = training?.options ?? TextClassifierOptions()
        let history = training?.history ?? []
        let percent = { (x: Double) in "\(NumberText.fixed(x * 100, 1))%" }
        let layers: String
        switch options.model {
        case .boe: layers = "mean of embeddings → \(options.hidden) tanh → \(data.labelNames.count) softmax"
        case .mlp: layers = "mean of embeddings → \(options.hidden) ReLU → \(options.hidden) ReLU → \(data.labelNames.count) softmax"
        case .perceptron: layers = "idf-weighted mean of embeddings → averaged perceptron (\(data.labelNames.count) classes)"
        }
        let seenRows = classifier.seenInTraining.filter { $0 }.count
        var rows: [[TableCell]] = [
            [.text("data"), .text("`\(dataName)` (\(data.language)): \(data.count.formatted) documents, \(data.labelNames.count) labels")],
            [.text("embedding layer"), .text("`\(spaceName)` (\(data.language) side, normalised: \(options.normalization.isEmpty ? "none" : options.normalization.map(\.rawValue).joined(separator: ","))): \(classifier.vocabulary.count.formatted) words × \(classifier.dimension), "
                + (options.model == .perceptron ? "fixed" : (options.updateEmbeddings ? "trained (\(seenRows.formatted) rows seen in training)" : "fixed")))],
            [.text("token coverage"), .text(percent(training?.coverage ?? 0) + (training?.devCoverage.map { " (dev \(percent($0)))" } ?? ""))],
            [.text("model"), .text(layers)],
        ]
        if options.model != .perceptron {
            rows.append([.text("training"), .text("\(options.optimizer.rawValue) η=\(NumberText.short(Double(options.resolvedLearningRate))), batch \(options.batchSize), dropout \(NumberText.short(Double(options.resolvedDropout))), class weights \(options.balancedClassWeights ? "balanced" : "none")")])
        }
        rows.append([.text("epochs"), .text("\(history.count) of \(options.resolvedEpochs)"
            + (devName != nil && options.model != .perceptron ? "; kept epoch \(training?.keptEpoch ?? 0) (best dev accuracy)" : "")
            + ((training?.stoppedEarly ?? false) ? "; stopped early" : ""))])
        if let last = history.last, last.trainLoss.isFinite {
            rows.append([.text(options.model == .perceptron ? "training errors (last epoch)" : "train loss (last epoch)"), .double(last.trainLoss)])
        }
        let devScores = history.compactMap(\.devScore)
        if let devName, let best = devScores.max() {
            rows.append([.text("dev accuracy"), .text("\(percent(options.model == .perceptron ? devScores.last ?? best : best)) on `\(devName)`")])
        }
        rows.append([.text("seed"), .int(Int(options.seed))])
        if let last = history.last, last.elapsedSeconds > 0 {
            rows.append([.text("time"), .text("\(NumberText.fixed(last.elapsedSeconds, 1)) s")])
        }
        return Table(title: "classifier `\(name)`", columns: ["property", "value"], rows: rows,
                     footnote: ((training?.interrupted ?? false) ? "Interrupted: the model trained so far is kept. " : "")
                        + "Stored as `\(name)`; try `%eval classifier \(name) data=…`.").mimeBundle
    }
}
