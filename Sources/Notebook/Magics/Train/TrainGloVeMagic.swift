import Embeddings
import Jupyter

extension GloVeOptions.Schedule: OptionChoice {}
extension GloVeModel.Output: OptionChoice {}

/// `%train glove corpus=C …`: co-occurrence counts of one corpus, then GloVe with glove.c's
/// update rules; stores the vectors (W + C by default) as a space.
struct TrainGloVeMagic: TrainMethod {
    static let corpus = Opt.required("corpus", .object, help: "the corpus (%load corpus)")
    static let dim = Opt.int("dim", min: 1, max: 4096, default: GloVeOptions().dimension, help: "dimensions")
    static let minCount = Opt.int("min_count", min: 1, default: 5, help: "keep words seen at least this often")
    static let iters = Opt.int(
        "iters", min: 1, max: 10_000, default: GloVeOptions().iterations,
        help: "passes over the co-occurrence records")
    static let xmax = Opt.double(
        "xmax", min: 0, default: GloVeOptions().xMax,
        help: "x_max of the weighting f(x) = min(1, (x/x_max)^α)")
    static let alpha = Opt.double("alpha", min: 0, default: GloVeOptions().alpha, help: "α of the weighting")
    static let lr = Opt.double("lr", min: 0, default: GloVeOptions().learningRate, help: "AdaGrad's initial step size η (glove.c)")
    static let schedule = Opt.choice(
        "schedule", default: GloVeOptions.Schedule.stratified,
        help: """
            how threads share a pass — stratified (word/context blocks no two threads touch at once: scales and is \
            reproducible) or hogwild (glove.c's lock-free chunks of the shuffled records)
            """)
    static let vectors = Opt.choice("vectors", default: GloVeModel.Output.sum, help: "store W, or W + C like glove.c's model 2")

    static let spec = MagicSpec(
        name: "train glove", abstract: "GloVe (Pennington et al. 2014) on one corpus",
        keys: [
            corpus, dim, CountingKeys.window, minCount, CountingKeys.maxVocab, iters, xmax, alpha, lr, schedule, vectors,
            CountingKeys.memory, CommonOptions.threads, CommonOptions.seed, CommonOptions.name("glove_CORPUS"),
        ],
        discussion: """
            Counts 1/d-weighted co-occurrences in a symmetric window, then fits glove.c's weighted least squares \
            with AdaGrad. Defaults are glove.c's (x_max 100, α 0.75, η 0.05). The result is a space: use it \
            with %neighbors, %align or %train classifier.
            """,
        examples: ["%train glove corpus=en dim=40 iters=25 as=glove_en"])

    let arguments: MagicArguments

    init(_ arguments: MagicArguments) throws { self.arguments = arguments }

    /// Counts, trains and stores the space.
    func run(in session: Session, context: ExecutionContext) throws -> MimeBundle? {
        let corpusName = arguments[Self.corpus]
        let corpus = try session.corpus(corpusName, for: "train").corpus
        let threads = arguments.threads(session), seed = arguments.seed(session)
        let minCount = arguments[Self.minCount]
        let size = corpus.vocabularySize(minCount: minCount, maxSize: arguments[CountingKeys.maxVocab])
        guard size >= 2 else {
            throw Self.failure("`\(corpusName)` has \(size) word(s) seen at least \(minCount) times; lower min_count= or load more text")
        }
        let counting = ProgressReporter(context: context, phase: "counting co-occurrences", total: 1, unit: "passes")
        let options = try cooccurrenceOptions(threads: threads)
        let counts = try count(counting, context) { progress in
            try CooccurrenceCounter.monolingual(corpus, vocabularySize: size, options: options, progress: progress)
        }
        counting.display.advance(to: 1)
        counting.finish(stopped: false)
        var glove = GloVeOptions()
        glove.dimension = arguments[Self.dim]
        glove.iterations = arguments[Self.iters]
        glove.xMax = arguments[Self.xmax]
        glove.alpha = arguments[Self.alpha]
        glove.learningRate = arguments[Self.lr]
        glove.threads = threads
        glove.schedule = arguments[Self.schedule]
        glove.seed = seed
        let run = TrainingRun(context: context, iterations: glove.iterations, records: counts.count)
        let model = try run.reporter.run { try GloVeTrainer(options: glove).train(counts, progress: $0) }
        run.reporter.finish(stopped: model.stopped)
        let output = arguments[Self.vectors]
        let vocabulary = Vocabulary(Array(corpus.vocabulary.words.prefix(size)))
        let space = try EmbeddingSpace(vocabulary: vocabulary, vectors: model.vectors(output), language: corpus.language)
        let name = arguments.resultName("glove_\(corpusName)")
        let object = SpaceObject(space, origin: "%train glove corpus=\(corpusName)")
        object.history = model.history
        session.store(
            object, as: name, madeBy: "%train glove corpus=\(corpusName) dim=\(glove.dimension) iters=\(glove.iterations)",
            cell: context.executionCount)
        context.display(run.lossChart(title: "GloVe loss of `\(name)`", series: [("cost", model.history.losses)]).mimeBundle)
        let rows: [[TableCell]] = [
            [.text("corpus"), .text("`\(corpusName)` (\(corpus.language)): \(corpus.tokenCount.formatted) tokens")],
            [.text("vocabulary"), .text("\(size.formatted) words seen ≥ \(minCount) times")],
            [.text("co-occurrence records"), .text("\(counts.count.formatted) (window \(options.window), 1/d weighting)")],
            [.text("dimensions / iterations"), .text("\(glove.dimension) / \(model.history.completedIterations) of \(glove.iterations)")],
            [
                .text("x_max, α, η"),
                .text(
                    """
                    \(NumberText.short(glove.xMax)), \(NumberText.short(glove.alpha)), \(NumberText.short(glove.learningRate)) (AdaGrad)
                    """),
            ],
            [.text("final cost"), .double(model.history.finalLoss ?? .nan)],
            [.text("threads, seed"), .text("\(threads), \(seed)")],
            [.text("thread schedule"), .text(threads == 1 ? "sequential" : glove.schedule.rawValue)],
            [.text("time"), .text(run.timeDescription)],
        ]
        let table = Table(
            title: "GloVe space `\(name)`", columns: ["property", "value"], rows: rows,
            footnote: (model.stopped ? "Interrupted: the model after the last completed iteration is kept. " : "")
                + "Stored as `\(name)` (\(output == .sum ? "W + C" : "W")); try `%neighbors WORD in=\(name)`."
        ).mimeBundle
        return try conclude(table, name: name, history: model.history, context: context)
    }
}
