import Embeddings
import Jupyter

extension RCSLS.Projection: OptionChoice {}

/// `%align rcsls src=S tgt=T dict=D [iters=10] [lr=1] [k=10] [projection=none|spectral|orthogonal]`:
/// the relaxed CSLS loss of Joulin et al. 2018 optimised by full-batch gradient steps from
/// Procrustes, with the whole vocabularies as negatives.
struct AlignRCSLSMagic: Magic {
    static let normalize = Opt.list(
        "normalize", default: ["unit"], help: "normalisations of both spaces, in order (fastText align.py: unit; --center adds center)")
    static let iters = Opt.int(
        "iters", min: 0, max: 10_000, default: RCSLS.Options().iterations, help: "gradient steps (align.py --niter 10)")
    static let lr = Opt.double(
        "lr", min: 0, default: RCSLS.Options().learningRate, help: "initial step size, halved when the loss rises (align.py 1.0)")
    static let k = Opt.int("k", min: 1, max: 100, default: RCSLS.Options().k, help: "CSLS neighbourhood of the loss (align.py --knn 10)")
    static let negatives = Opt.int(
        "negatives", min: 1, default: RCSLS.Options().negatives,
        help: "use the N most frequent words of each side as negatives (align.py --maxneg 200,000: our whole vocabularies)")
    static let projection = Opt.choice(
        "projection", default: RCSLS.Projection.none,
        help: "after each step: none (align.py default), spectral (singular values clipped to [0, 1]) or orthogonal")
    static let spec = MagicSpec(
        name: "align rcsls", abstract: "supervised map optimising the relaxed CSLS loss (Joulin et al. 2018, fastText align.py)",
        keys: [
            AlignKeys.src, AlignKeys.tgt, AlignKeys.dict, normalize, iters, lr, k, negatives, projection, CommonOptions.threads,
            AlignKeys.name,
        ],
        discussion: """
            Defaults are fastText alignment/align.py's: unit-length vectors, Procrustes start, 10 full-batch gradient \
            steps of size 1 (halved and undone when the loss rises), k = 10, every word of both spaces as a negative. \
            Neighbours come from blocked top-k sweeps, so no pairs × vocabulary matrix is held.
            """,
        examples: ["%align rcsls src=fi tgt=fr dict=train as=fi_fr_rcsls", "%align rcsls src=en tgt=fr dict=train projection=orthogonal"])

    let arguments: MagicArguments
    init(_ arguments: MagicArguments) throws { self.arguments = arguments }

    func run(in session: Session, context: ExecutionContext) throws -> MimeBundle? {
        let started = MonotonicClock.seconds()
        let chain = try UnsupervisedInput.chain(arguments, Self.normalize)
        let (source, target, sourceName, targetName) = try UnsupervisedInput.spaces(
            arguments, session: session, method: "rcsls", normalization: chain)
        let dictName = arguments[AlignKeys.dict]
        let dictionary = try session.dictionary(dictName, for: "align")
        let pairs = TrainingPairs.lookUp(dictionary.wordPairs, source: source.vocabulary, target: target.vocabulary).pairs
        guard !pairs.isEmpty else {
            throw Self.failure(
                """
                no pair of `\(dictName)` has both words in `\(sourceName)` and `\(targetName)`; check the dictionary's direction and case
                """)
        }
        var options = RCSLS.Options()
        options.iterations = arguments[Self.iters]
        options.learningRate = arguments[Self.lr]
        options.k = arguments[Self.k]
        options.negatives = arguments[Self.negatives]
        options.projection = arguments[Self.projection]
        options.search = NeighborSearch(threads: arguments.threads(session))
        let reporter = ProgressReporter(context: context, phase: "rcsls", total: max(1, options.iterations), unit: "steps")
        let fitted = try reporter.run {
            try RCSLS.fit(source: source.vectors, target: target.vectors, pairs: pairs, options: options, progress: $0)
        }
        reporter.finish(stopped: fitted.interrupted)
        let name = arguments.resultName("\(sourceName)_\(targetName)")
        let object = MappingObject(
            mapping: BilingualMapping(source: fitted.map), method: "rcsls", sourceName: sourceName, targetName: targetName,
            source: source, target: target, pairsUsed: pairs.count)
        session.store(
            object, as: name, madeBy: "%align rcsls src=\(sourceName) tgt=\(targetName) dict=\(dictName)", cell: context.executionCount)
        let losses = fitted.steps.map { NumberText.fixed($0.loss, 4) }
        let rows: [[TableCell]] = [
            [.text("method"), .text("rcsls (Joulin et al. 2018)")],
            [
                .text("training pairs"),
                .text("\(pairs.count.formatted) of \(dictionary.dictionary.count.formatted) pairs of `\(dictName)` in both vocabularies"),
            ],
            [
                .text("negatives"),
                .text(
                    "\(min(options.negatives, source.count).formatted) source, \(min(options.negatives, target.count).formatted) target words"
                ),
            ],
            [.text("loss per step"), .text(losses.joined(separator: " → "))],
            [.text("projection"), .text(options.projection.rawValue)],
            [.text("time"), .text("\(NumberText.fixed(MonotonicClock.since(started), 1)) s")],
        ]
        let table = Table(
            title: "mapping `\(name)`", columns: ["property", "value"], rows: rows,
            footnote: "Stored as `\(name)`; try `%eval bli \(name) dict=…`."
        ).mimeBundle
        guard fitted.interrupted else { return table }
        context.display(table)
        context.stream("Interrupted: `\(name)` keeps the best map so far (\(fitted.steps.count) steps).\n", name: "stderr")
        throw Interrupted()
    }
}
