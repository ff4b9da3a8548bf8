import Embeddings
import Jupyter

/// Where `%align vecmap` takes its initial dictionary from (VecMap's `--init_*`).
enum VecMapInit: String, OptionChoice, CaseIterable {
    case unsupervised, identical, numerals, dict
}

/// The final map of `%align vecmap`.
enum VecMapFinal: String, OptionChoice, CaseIterable {
    case whiten, orthogonal
}

/// `%align vecmap src=S tgt=T [init=unsupervised|identical|numerals|dict] [dict=D] …`: VecMap
/// (Artetxe, Labaka & Agirre 2018): an initial dictionary (by default the unsupervised
/// similarity-distribution one), robust self-learning with stochastic CSLS induction, the
/// whitening/re-weighting final step, and the failure detector's verdict.
struct AlignVecMapMagic: Magic {
    static let initKey = Opt.choice(
        "init", default: VecMapInit.unsupervised,
        help: """
            the initial dictionary: unsupervised (similarity distributions of the init_vocab most frequent words), \
            identical strings, numerals ([0-9]+ in both), or dict= (VecMap --semi_supervised)
            """)
    static let dict = Opt.text("dict", .object, note: "none", help: "the seed dictionary for init=dict")
    static let normalize = Opt.list(
        "normalize", default: ["unit", "center", "unit"], help: "normalisations of both spaces, in order (VecMap: unit,center,unit)")
    static let initVocab = Opt.int(
        "init_vocab", min: 2, default: VecMapInitialization.defaultVocabulary,
        help: "init=unsupervised compares the similarity distributions of this many most frequent words (VecMap 4,000)")
    static let cutoff = Opt.int(
        "cutoff", min: 2, default: VecMapSelfLearning.Options().cutoff,
        help: "dictionary induction over this many most frequent words of each side (VecMap 20,000)")
    static let csls = Opt.int("csls", min: 1, max: 100, default: VecMapSelfLearning.Options().cslsK, help: "CSLS neighbourhood (VecMap 10)")
    static let keep = Opt.double(
        "keep", min: 0.0001, max: 1, default: VecMapSelfLearning.Options().keepInitial,
        help: "initial keep probability of stochastic dictionary induction (VecMap 0.1)")
    static let interval = Opt.int(
        "interval", min: 1, default: VecMapSelfLearning.Options().interval,
        help: "iterations without an objective gain before the keep probability doubles (VecMap 50)")
    static let threshold = Opt.double(
        "threshold", min: 0, default: VecMapSelfLearning.Options().threshold, help: "the smallest objective gain that counts (VecMap 1e-6)")
    static let iters = Opt.int("iters", min: 1, note: "until convergence", help: "stop self-learning after this many iterations")
    static let final = Opt.choice(
        "final", default: VecMapFinal.whiten,
        help: "the last step: whiten (whitening, orthogonal, re-weighting s^0.5, de-whitening; VecMap) or orthogonal")
    static let null = Opt.int(
        "null", min: 1, max: 50, default: 3,
        help: "random rotations behind the failure detector's null distribution (refined like the result)")

    static let spec = MagicSpec(
        name: "align vecmap",
        abstract: "fully unsupervised or semi-supervised VecMap (Artetxe et al. 2018): self-learning with stochastic CSLS induction",
        keys: [
            AlignKeys.src, AlignKeys.tgt, initKey, dict, normalize, initVocab, cutoff, csls, keep, interval, threshold, iters,
            final, null, CommonOptions.seed, CommonOptions.threads, AlignKeys.name,
        ],
        discussion: """
            Defaults are VecMap's --unsupervised mode (map_embeddings.py): unit,center,unit; the initial dictionary \
            from sorted similarity-matrix square roots of the 4,000 most frequent words (CSLS-10, forward ∪ backward); \
            self-learning over the 20,000 most frequent words with CSLS, both directions, keep probability 0.1 doubling \
            after 50 iterations without a gain of 1e-6 until 1 stalls; then whitening, orthogonal mapping, re-weighting \
            by s^0.5 and de-whitening. The objective and the dictionary size show live; an interrupt keeps the current \
            orthogonal map. The result is checked against random rotations (the failure detector): its induced \
            dictionary and null= random rotations' get the same 8 Procrustes steps, then each half of the 5,000 most \
            frequent source words is translated (CSLS) by a map fitted on the other half; the mean cosine of those \
            held-out translations is compared with the rotations': failed below +15 % over their mean (or within 3 \
            spreads of their maximum), succeeded from +25 % (and 6 spreads), doubtful between. The 15 % / 25 % come \
            from calibration runs (xling-bench detector, Tests/bench/README.md): noise against real vectors +6-13 %, a \
            fi-fr run with BLI P@1 under 1 % +11 %, a rotated copy +225 %, a partial en-fr alignment +26 %. A full \
            run at 20,000 words takes hundreds of iterations; interval= and cutoff= shorten it. On CPUs with \
            AVX512_BF16 each iteration's similarity sweep screens in bfloat16 and re-scores every candidate in fp32 \
            (the same dictionaries as exact fp32 scores, up to their last bits): fi-fr on two threads, about 1.4x \
            faster per iteration at the default cut-off (20,000 x 16,696 words), 1.2x at cut-off=10000, no gain on a \
            few hundred words.
            """,
        examples: [
            "%align vecmap src=fi tgt=fr as=fi_fr", "%align vecmap src=fi tgt=fr init=identical",
            "%align vecmap src=fi tgt=fr init=dict dict=seed interval=10",
        ])

    let arguments: MagicArguments
    init(_ arguments: MagicArguments) throws {
        self.arguments = arguments
        if arguments[Self.initKey] == .dict, arguments[Self.dict] == nil {
            throw arguments.usageError("init=dict needs dict=NAME (a dictionary from %load dict), or use init=unsupervised")
        }
    }

    func run(in session: Session, context: ExecutionContext) throws -> MimeBundle? {
        let started = MonotonicClock.seconds()
        let chain = try UnsupervisedInput.chain(arguments, Self.normalize)
        let (source, target, sourceName, targetName) = try UnsupervisedInput.spaces(
            arguments, session: session, method: "vecmap", normalization: chain)
        let search = NeighborSearch(threads: arguments.threads(session))
        let (initial, initNote) = try initialDictionary(source: source, target: target, chain: chain, session: session)
        guard !initial.isEmpty else {
            throw Self.failure(
                "the initial dictionary is empty (\(initNote)); use init=unsupervised, or init=dict with a dictionary whose words are in both spaces"
            )
        }
        let initSeconds = MonotonicClock.since(started)
        var options = VecMapSelfLearning.Options()
        options.cutoff = arguments[Self.cutoff]
        options.cslsK = arguments[Self.csls]
        options.keepInitial = arguments[Self.keep]
        options.interval = arguments[Self.interval]
        options.threshold = arguments[Self.threshold]
        options.maxIterations = arguments[Self.iters]
        options.whitenedFinal = arguments[Self.final] == .whiten
        options.seed = arguments.seed(session)
        options.search = search
        let reporter = ProgressReporter(
            context: context, phase: "self-learning", total: VecMapSelfLearning.projectedIterations(options), unit: "iterations",
            showsLoss: false
        ) { progress in
            guard let objective = progress.extra("objective") else { return "self-learning" }
            return """
                self-learning (objective \(NumberText.fixed(objective, 4)), \(Int(progress.extra("pairs") ?? 0).formatted) pairs, \
                keep \(NumberText.short(progress.extra("keep") ?? 0)))
                """
        }
        let result = try reporter.run {
            try VecMapSelfLearning.run(source: source.vectors, target: target.vectors, initial: initial, options: options, progress: $0)
        }
        reporter.finish(stopped: result.interrupted)
        let name = arguments.resultName("\(sourceName)_\(targetName)")
        let object = MappingObject(
            mapping: result.mapping, method: "vecmap", sourceName: sourceName, targetName: targetName,
            source: source, target: target, pairsUsed: VecMapSelfLearning.distinctPairs(result.dictionary))
        let command = "%align vecmap src=\(sourceName) tgt=\(targetName) init=\(arguments[Self.initKey].rawValue)"
        if result.interrupted {
            session.store(object, as: name, madeBy: command + " (interrupted)", cell: context.executionCount)
            context.display(summary(result, judgement: nil, name: name, initNote: initNote, initSeconds: initSeconds, started: started))
            context.stream(
                """
                Interrupted: `\(name)` keeps the orthogonal map of the last completed iteration (\(result.history.count) done; \
                not checked by the failure detector). Run %align vecmap again for the full one.

                """, name: "stderr")
            throw Interrupted()
        }
        let mapped = try object.mapped()
        let judgement = try FailureDetector.judgeMapping(
            mappedSource: mapped.source.vectors, mappedTarget: mapped.target.vectors, source: source.vectors,
            target: target.vectors, rotations: arguments[Self.null], seed: options.seed, search: search)
        session.store(object, as: name, madeBy: command + " (\(judgement.verdict.rawValue))", cell: context.executionCount)
        if judgement.verdict != .succeeded { context.stream("%align vecmap: \(judgement.sentence)\n", name: "stderr") }
        return summary(result, judgement: judgement, name: name, initNote: initNote, initSeconds: initSeconds, started: started)
    }

    /// The initial dictionary and a note for the summary.
    func initialDictionary(
        source: EmbeddingSpace, target: EmbeddingSpace, chain: [EmbeddingSpace.Normalization], session: Session
    ) throws -> (TrainingPairs, String) {
        switch arguments[Self.initKey] {
        case .unsupervised:
            let n = arguments[Self.initVocab]
            for (space, name) in [(source, arguments[AlignKeys.src]), (target, arguments[AlignKeys.tgt])] where space.count < n {
                throw Self.failure(
                    """
                    `\(name)` has \(space.count.formatted) words, fewer than the \(n.formatted) that init=unsupervised compares; \
                    lower init_vocab= to at most \(space.count.formatted) or load more words
                    """)
            }
            let pairs = try VecMapInitialization.dictionary(
                source: source.vectors, target: target.vectors, vocabulary: n, cslsK: arguments[Self.csls], normalization: chain,
                threads: arguments.threads(session))
            return (pairs, "unsupervised: \(pairs.count.formatted) pairs (forward ∪ backward CSLS over the top \(n.formatted))")
        case .identical:
            let pairs = IdenticalStrings.pairs(source: source, target: target)
            return (pairs, "\(pairs.count.formatted) identical strings")
        case .numerals:
            let all = IdenticalStrings.pairs(source: source, target: target)
            var pairs = TrainingPairs(sourceRows: [], targetRows: [])
            for (i, j) in zip(all.sourceRows, all.targetRows) where source.vocabulary[i].allSatisfy({ $0.isASCII && $0.isNumber }) {
                pairs.sourceRows.append(i)
                pairs.targetRows.append(j)
            }
            return (pairs, "\(pairs.count.formatted) numerals ([0-9]+) in both vocabularies")
        case .dict:
            let dictName = arguments[Self.dict] ?? ""
            let dictionary = try session.dictionary(dictName, for: "align")
            let lookup = TrainingPairs.lookUp(dictionary.wordPairs, source: source.vocabulary, target: target.vocabulary)
            return (lookup.pairs, "\(lookup.pairs.count.formatted) of \(dictionary.dictionary.count.formatted) pairs of `\(dictName)`")
        }
    }

    private func summary(
        _ result: VecMapSelfLearning.Result, judgement: FailureDetector.Judgement?, name: String, initNote: String,
        initSeconds: Double, started: Double
    ) -> MimeBundle {
        let last = result.history.last
        let ending: String
        if result.interrupted {
            ending = "interrupted after \(result.history.count) iterations: the orthogonal map of the last one is kept (no final step)"
        } else if result.converged {
            ending = "converged after \(result.history.count) iterations (keep probability 1 without a gain)"
        } else {
            ending = "stopped at iters=\(result.history.count)"
        }
        var rows: [[TableCell]] = [
            [.text("method"), .text("vecmap (Artetxe et al. 2018)")],
            [.text("initial dictionary"), .text(initNote)],
            [.text("self-learning"), .text(ending)],
            [.text("final objective"), last.map { .double($0.objective) } ?? .text("—")],
            [.text("final dictionary"), .text("\(VecMapSelfLearning.distinctPairs(result.dictionary).formatted) distinct pairs")],
            [.text("final step"), .text(result.whitened ? "whitening, orthogonal, re-weighting s^0.5, de-whitening" : "orthogonal")],
            [
                .text("time"),
                .text("\(NumberText.fixed(MonotonicClock.since(started), 1)) s (initial dictionary \(NumberText.fixed(initSeconds, 1)) s)"),
            ],
        ]
        if let judgement { rows += UnsupervisedInput.verdictRows(judgement) }
        return Table(
            title: "mapping `\(name)`", columns: ["property", "value"], rows: rows,
            footnote: (judgement.map { "\($0.sentence). " } ?? "") + "Stored as `\(name)`; try `%eval bli \(name) dict=…`."
        ).mimeBundle
    }
}
