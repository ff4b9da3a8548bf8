import Embeddings
import Jupyter

extension TrainMagic {
    /// `%train glove corpus=C …`: co-occurrence counts of one corpus, then GloVe with glove.c's
    /// update rules; stores the vectors (W + C by default) as a space.
    func runGloVe(_ session: Session, _ context: ExecutionContext) throws -> MimeBundle? {
        let corpusName = arguments.string("corpus") ?? ""
        let corpus = try session.corpus(corpusName, for: "train").corpus
        let (threads, seed) = threadsAndSeed(session)
        let minCount = arguments.int("min_count") ?? 5
        let size = corpus.vocabularySize(minCount: minCount, maxSize: arguments.int("max_vocab"))
        guard size >= 2 else {
            throw MagicError.failed(magic: "train", message: "`\(corpusName)` has \(size) word(s) seen at least \(minCount) times; lower min_count= or load more text")
        }
        let counting = ProgressReporter(context: context, phase: "counting co-occurrences", total: 1, unit: "passes")
        let options = try cooccurrenceOptions(threads: threads)
        let counts = try count(counting, context) { progress in
            try CooccurrenceCounter.monolingual(corpus, vocabularySize: size, options: options, progress: progress)
        }
        counting.display.advance(to: 1)
        counting.finish(stopped: false)
        var glove = GloVeOptions()
        glove.dimension = arguments.int("dim") ?? glove.dimension
        glove.iterations = arguments.int("iters") ?? glove.iterations
        glove.xMax = arguments.double("xmax") ?? glove.xMax
        glove.alpha = arguments.double("alpha") ?? glove.alpha
        glove.learningRate = arguments.double("lr") ?? glove.learningRate
        glove.threads = threads
        glove.schedule = GloVeOptions.Schedule(rawValue: arguments.string("schedule") ?? "stratified") ?? .stratified
        glove.seed = seed
        let run = TrainingRun(context: context, iterations: glove.iterations, records: counts.count)
        let model = try run.reporter.run { try GloVeTrainer(options: glove).train(counts, progress: $0) }
        run.reporter.finish(stopped: model.stopped)
        let output = GloVeModel.Output(rawValue: arguments.string("vectors") ?? "sum") ?? .sum
        let vocabulary = Vocabulary(Array(corpus.vocabulary.words.prefix(size)))
        let space = try EmbeddingSpace(vocabulary: vocabulary, vectors: model.vectors(output), language: corpus.language)
        let name = arguments.string("as") ?? "glove_\(corpusName)"
        let object = SpaceObject(space, origin: "%train glove corpus=\(corpusName)")
        object.history = model.history
        session.store(object, as: name, madeBy: "%train glove corpus=\(corpusName) dim=\(glove.dimension) iters=\(glove.iterations)",
                      cell: context.executionCount)
        context.display(run.lossChart(title: "GloVe loss of `\(name)`", series: [("cost", model.history.losses)]).mimeBundle)
        let rows: [[TableCell]] = [
            [.text("corpus"), .text("`\(corpusName)` (\(corpus.language)): \(corpus.tokenCount.formatted) tokens")],
            [.text("vocabulary"), .text("\(size.formatted) words seen ≥ \(minCount) times")],
            [.text("co-occurrence records"), .text("\(counts.count.formatted) (window \(options.window), 1/d weighting)")],
            [.text("dimensions / iterations"), .text("\(glove.dimension) / \(model.history.completedIterations) of \(glove.iterations)")],
            [.text("x_max, α, η"), .text("\(NumberText.short(glove.xMax)), \(NumberText.short(glove.alpha)), \(NumberText.short(glove.learningRate)) (AdaGrad)")],
            [.text("final cost"), .double(model.history.finalLoss ?? .nan)],
            [.text("threads, seed"), .text("\(threads), \(seed)")],
            [.text("thread schedule"), .text(threads == 1 ? "sequential" : glove.schedule.rawValue)],
            [.text("time"), .text(run.timeDescription)],
        ]
        let table = Table(title: "GloVe space `\(name)`", columns: ["property", "value"], rows: rows,
                          footnote: (model.stopped ? "Interrupted: the model after the last completed iteration is kept. " : "")
                             + "Stored as `\(name)` (\(output == .sum ? "W + C" : "W")); try `%neighbors WORD in=\(name)`.").mimeBundle
        return try conclude(table, name: name, history: model.history, context: context)
    }

    /// Counting options from `window=` and `memory=`.
    func cooccurrenceOptions(threads: Int) throws -> CooccurrenceOptions {
        CooccurrenceOptions(window: arguments.int("window") ?? 10, memoryLimit: try memoryLimit(), threads: threads)
    }

    /// Runs one counting step under a progress display; an interrupt stops it with a note on
    /// stderr and ends the cell with `KeyboardInterrupt`, as an interrupt during training does;
    /// an error ends the display as failed.
    func count(_ reporter: ProgressReporter, _ context: ExecutionContext,
               _ body: (ProgressHandler) throws -> CooccurrenceMatrix) throws -> CooccurrenceMatrix {
        do {
            return try body(reporter.handle)
        } catch CooccurrenceError.stopped {
            reporter.finish(stopped: true)
            context.stream("Interrupted while counting co-occurrences: nothing was trained or stored.\n", name: "stderr")
            throw Interrupted()
        } catch {
            reporter.fail()
            throw error
        }
    }
}
