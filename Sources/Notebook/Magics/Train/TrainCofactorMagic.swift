import Embeddings
import Jupyter

/// The cross-lingual term of `%train cofactor` (Shi et al. 2015, eq. 4, 5, 7, or none).
enum CofactorObjective: String, OptionChoice, CustomStringConvertible {
    case clcWA = "clc-wa"
    case clcPlusWA = "clc+wa"
    case clsim, none
    var description: String { rawValue }
    /// The per-objective defaults of `wc=`, as `%help` shows them.
    static var crossWeightNote: String {
        [clcWA, clcPlusWA, clsim].map { objective in
            let w = objective.defaultCrossWeight
            return "\(objective) " + (w == w.rounded() ? "\(Int(w))" : "\(w)")
        }.joined(separator: ", ")
    }
    /// ωc when `wc=` is not given: the best of the development sweep (Tests/bench/cofactor_sweep.md).
    var defaultCrossWeight: Double {
        switch self {
        case .clcWA, .clcPlusWA: return 1
        case .clsim: return 0.5
        case .none: return 1
        }
    }
}

/// What the CLC term's bilingual counts multiply (`CofactorOptions.CrossFactors`).
enum CofactorCLCFactors: String, OptionChoice, CustomStringConvertible {
    case contexts, words
    var description: String { rawValue }
    /// The engine's choice.
    var engine: CofactorOptions.CrossFactors { self == .words ? .words : .wordsWithContexts }
}

/// `%train cofactor mono=C1,C2 [parallel=P] objective=… …`: counts, the cross-lingual term,
/// then the co-factorization; stores one joint space (a mapping object with the identity
/// map, so %eval bli, %neighbors and %eval cldc take it).
struct TrainCofactorMagic: TrainMethod {
    static let mono = Key<[String]>(
        required: "mono", .list,
        help: """
            the two monolingual corpora C1,C2 (the parallel corpus's source and target languages)
            """)
    static let parallel = Opt.text(
        "parallel", .object,
        help: """
            the sentence-aligned parallel corpus (%load parallel); needed by clc-wa, clc+wa, and clsim with align=
            """)
    static let objective = Opt.choice(
        required: "objective", CofactorObjective.self,
        help: """
            the cross-lingual term: sentence co-occurrence (eq. 4), aligned-window contexts (eq. 5), \
            translation-similarity distance (eq. 7), or none (two monolingual spaces)
            """)
    static let align = Opt.text(
        "align", .object,
        help: """
            word alignments from %wordalign (clc+wa; clsim takes its translation probabilities)
            """)
    static let dict = Opt.text(
        "dict", .object,
        help: """
            clsim: a dictionary instead of alignments (each pair similarity 1/number of translations)
            """)
    static let includeParallel = Opt.bool(
        "include_parallel", default: true,
        help: "add each side of the parallel corpus to that language's monolingual text")
    static let w1 = Opt.double("w1", min: 0, default: CofactorOptions().firstWeight, help: "ω1, weight of language 1's monolingual loss")
    static let w2 = Opt.double("w2", min: 0, default: CofactorOptions().secondWeight, help: "ω2, weight of language 2's monolingual loss")
    static let wc = Opt.double(
        "wc", min: 0, note: CofactorObjective.crossWeightNote,
        help: "ωc, weight of the cross-lingual loss (with balance=true relative to one language's monolingual loss)")
    static let dim = Opt.int("dim", min: 1, max: 4096, default: CofactorOptions().dimension, help: "dimensions")
    static let minCount = Opt.int("min_count", min: 1, default: 3, help: "keep words seen at least this often")
    static let iters = Opt.int(
        "iters", min: 1, max: 10_000, default: 30,
        help: "passes over the records (30: as good as the paper's 50 on the development sweep, in 60 % of the time)")
    static let xmaxMono = Opt.double(
        "xmax_mono", min: 0, default: CofactorOptions().monolingualXMax,
        help: "x_max of the monolingual weighting")
    static let xmaxCross = Opt.double(
        "xmax_cross", min: 0, default: CofactorOptions().crossXMax,
        help: "x_max of the cross-lingual co-occurrence weighting")
    static let alpha = Opt.double("alpha", min: 0, default: CofactorOptions().alpha, help: "α of the weighting")
    static let clcFactors = Opt.choice(
        "clc_factors", default: CofactorCLCFactors.contexts,
        help: """
            clc-wa/clc+wa: fit a bilingual count by w_l1·c_l2 and w_l2·c_l1 (contexts) or by w_l1·w_l2 (words)
            """)
    static let balance = Opt.bool(
        "balance", default: CofactorOptions().balanceCross,
        help: "scale the cross-lingual term to the monolingual terms' mass, so wc=1 weighs it like one language")
    static let lr = Opt.double("lr", min: 0, default: CofactorOptions().learningRate, help: "constant SGD learning rate η")

    static let spec = MagicSpec(
        name: "train cofactor", abstract: "cross-lingual matrix co-factorization (Shi et al. 2015): one joint space of two languages",
        keys: [
            mono, objective, parallel, align, dict, includeParallel, w1, w2, wc, dim, CountingKeys.window, minCount,
            CountingKeys.maxVocab, iters, xmaxMono, xmaxCross, alpha, clcFactors, balance, lr, CountingKeys.memory, CommonOptions.threads,
            CommonOptions.seed, CommonOptions.name("cofactor_OBJECTIVE"),
        ],
        discussion: """
            Monolingual PMI-style factorizations of each language's window counts (word and context vectors, \
            biases) plus the cross-lingual term, trained together by SGD over sampled non-zero cells. The result \
            is one joint space holding both languages: use it with %neighbors, %eval bli, %eval cldc and as the \
            general space of %llm.

            Where the defaults come from: dim, x_max (30 / 100), α and the window follow §5.1 of the paper. wc and iters \
            were chosen on development data (Tests/bench/cofactor_sweep.md): CLDC accuracy on the SIB-200 dev \
            split (averaged perceptron, both directions) of en–de spaces (Europarl + WMT 10k) over wc 0.05–2 per \
            objective and 30 vs. 50 iterations, then checked on en–fr and en–es (Europarl + Gale–Church pairs); the \
            test splits were not used. clc_factors=contexts and balance=true are what make CLC-WA/CLC+WA and a \
            default wc work at all: with w_l1·w_l2 the two vocabularies end up in different bases (below the \
            majority class), and without balancing a CLSim term of ~20k pairs weighs ~50× less than 2.5M window \
            counts. lr 0.025 (not swept; 0.1 diverged, 0.05–0.002 converged on Europarl en–de) with constant-rate SGD as \
            in the paper; each element takes its implicit \
            (proximal) step, equal to SGD to first order, because plain SGD diverged after 17–29 iterations on one \
            thread on Europarl en–de/fr/es.
            """,
        examples: ["%wordalign ende as=a\n%train cofactor mono=en,de parallel=ende align=a objective=clsim as=joint"])

    let arguments: MagicArguments

    init(_ arguments: MagicArguments) throws {
        self.arguments = arguments
        guard arguments[Self.mono].count == 2 else {
            throw arguments.usageError("give the two monolingual corpora as mono=C1,C2")
        }
    }

    /// One language of a co-factorization: its training text and model vocabulary size.
    struct Side {
        let name: String
        let corpus: Corpus
        let size: Int
        var vocabulary: Vocabulary { Vocabulary(Array(corpus.vocabulary.words.prefix(size))) }
    }

    /// Counts, builds the cross-lingual term, trains and stores the joint space.
    func run(in session: Session, context: ExecutionContext) throws -> MimeBundle? {
        let names = arguments[Self.mono]
        let objective = arguments[Self.objective]
        let threads = arguments.threads(session), seed = arguments.seed(session)
        let mono = try names.map { try session.corpus($0, for: "train") }
        guard mono[0].corpus.language != mono[1].corpus.language else {
            throw Self.failure("mono=\(names[0]),\(names[1]) are both \(mono[0].corpus.language); give one corpus per language")
        }
        let parallel = try arguments[Self.parallel].map { try session.parallel($0, for: "train") }
        if let parallel {
            let p = parallel.parallel
            guard p.source.language == mono[0].corpus.language, p.target.language == mono[1].corpus.language else {
                throw Self.failure(
                    """
                    the parallel corpus is \(p.source.language)–\(p.target.language) but mono= gives \
                    \(mono[0].corpus.language),\(mono[1].corpus.language); list the corpora in the parallel corpus's order
                    """)
            }
        }
        let needsParallel = objective == .clcWA || objective == .clcPlusWA || (objective == .clsim && !arguments.has(Self.dict))
        if needsParallel, parallel == nil {
            throw Self.failure(
                """
                objective=\(objective) needs parallel=P, a sentence-aligned corpus (%load parallel)
                """ + (objective == .clsim ? ", or dict=D" : ""))
        }
        let include = arguments[Self.includeParallel] && parallel != nil
        let minCount = arguments[Self.minCount]
        let sides = try (0..<2).map { i -> Side in
            var corpus = mono[i].corpus
            if include, let p = parallel?.parallel { corpus = corpus.concatenating([i == 0 ? p.source : p.target]) }
            let size = corpus.vocabularySize(minCount: minCount, maxSize: arguments[CountingKeys.maxVocab])
            guard size >= 2 else {
                throw Self.failure("`\(names[i])` has \(size) word(s) seen at least \(minCount) times; lower min_count= or load more text")
            }
            return Side(name: names[i], corpus: corpus, size: size)
        }
        let options = try cooccurrenceOptions(threads: threads)
        let counting = ProgressReporter(context: context, phase: "counting co-occurrences", total: 1, unit: "passes")
        let counts = try sides.map { side in
            try count(counting, context) { progress in
                try CooccurrenceCounter.monolingual(side.corpus, vocabularySize: side.size, options: options, progress: progress)
            }
        }
        let (cross, crossNote) = try crossTerm(
            objective, sides: sides, parallel: parallel, session: session,
            options: options, counting: counting, context: context)
        counting.display.advance(to: 1)
        counting.finish(stopped: false)
        let crossCount: Int
        switch cross {
        case .cooccurrence(let x): crossCount = x.count
        case .similarity(let pairs): crossCount = pairs.count
        case .none: crossCount = 0
        }

        var cofactor = CofactorOptions()
        cofactor.dimension = arguments[Self.dim]
        cofactor.iterations = arguments[Self.iters]
        cofactor.monolingualXMax = arguments[Self.xmaxMono]
        cofactor.crossXMax = arguments[Self.xmaxCross]
        cofactor.alpha = arguments[Self.alpha]
        cofactor.firstWeight = arguments[Self.w1]
        cofactor.secondWeight = arguments[Self.w2]
        cofactor.crossWeight = arguments[Self.wc] ?? objective.defaultCrossWeight
        cofactor.learningRate = arguments[Self.lr]
        cofactor.crossFactors = arguments[Self.clcFactors].engine
        cofactor.balanceCross = arguments[Self.balance]
        cofactor.threads = threads
        cofactor.seed = seed
        let records = counts[0].count + counts[1].count + crossCount
        let run = TrainingRun(context: context, iterations: cofactor.iterations, records: records)
        let model = try run.reporter.run {
            try CofactorTrainer(options: cofactor).train(first: counts[0], second: counts[1], cross: cross, progress: $0)
        }
        run.reporter.finish(stopped: model.stopped)

        let name = arguments.resultName("cofactor_" + String(objective.rawValue.map { $0.isLetter ? $0 : "_" }))
        let first = try EmbeddingSpace(vocabulary: sides[0].vocabulary, vectors: model.firstWords, language: sides[0].corpus.language)
        let second = try EmbeddingSpace(vocabulary: sides[1].vocabulary, vectors: model.secondWords, language: sides[1].corpus.language)
        let object = MappingObject(
            mapping: BilingualMapping(source: .identity(cofactor.dimension, method: "joint")),
            method: "cofactor \(objective)", sourceName: sides[0].name, targetName: sides[1].name,
            source: first, target: second, pairsUsed: 0)
        object.history = model.history
        session.store(
            object, as: name,
            madeBy: """
                %train cofactor mono=\(names.joined(separator: ",")) objective=\(objective)
                """, cell: context.executionCount)
        var series: [(String, [Double])] = [
            ("total", model.history.losses),
            ("ω1·L_mono \(sides[0].corpus.language)", model.terms.map(\.first)),
            ("ω2·L_mono \(sides[1].corpus.language)", model.terms.map(\.second)),
        ]
        if crossCount > 0 { series.append(("ωc·L_cross", model.terms.map(\.cross))) }
        context.display(run.lossChart(title: "co-factorization loss of `\(name)` (\(objective))", series: series).mimeBundle)
        var rows: [[TableCell]] = sides.enumerated().map { i, side in
            [
                .text("\(side.corpus.language) text, vocabulary, records"),
                .text(
                    """
                    \(side.corpus.tokenCount.formatted) tokens (`\(side.name)`\(include ? " + parallel side" : "")), \(side.size.formatted) \
                    words ≥ \(minCount)×, \(counts[i].count.formatted) records
                    """),
            ]
        }
        rows += [
            [.text("cross-lingual term"), .text(crossNote)],
            [
                .text("ω1, ω2, ωc"),
                .text(
                    [cofactor.firstWeight, cofactor.secondWeight, cofactor.crossWeight].map { NumberText.short($0) }.joined(separator: ", ")
                ),
            ],
            [.text("cross-term balance"), .text(Self.balanceNote(model.balance, options: cofactor, crossCount: crossCount))],
            [
                .text("dimensions / iterations"),
                .text(
                    """
                    \(cofactor.dimension) / \(model.history.completedIterations) of \(cofactor.iterations)
                    """),
            ],
            [
                .text("x_max mono / cross, α"),
                .text(
                    """
                    \(NumberText.short(cofactor.monolingualXMax)) / \(NumberText.short(cofactor.crossXMax)), \
                    \(NumberText.short(cofactor.alpha))
                    """),
            ],
            [
                .text("optimizer"),
                .text(
                    """
                    \(cofactor.optimizer == .sgd ? "SGD, constant" : "AdaGrad,") η = \(NumberText.short(cofactor.learningRate))
                    """),
            ],
            [.text("final loss per record (total)"), .double(model.history.finalLoss ?? .nan)],
            [.text("threads, seed"), .text("\(threads), \(seed)")],
            [.text("time"), .text(run.timeDescription)],
        ]
        let table = Table(
            title: """
                joint \(sides[0].corpus.language)–\(sides[1].corpus.language) space `\(name)` (\(objective))
                """, columns: ["property", "value"], rows: rows,
            footnote: (model.stopped ? "Interrupted: the model after the last completed iteration is kept. " : "")
                + """
                Stored as `\(name)`; try `%neighbors WORD in=\(name)`, `%eval bli \(name) dict=…` or `%eval cldc \
                space=\(name) …`.
                """
        ).mimeBundle
        return try conclude(table, name: name, history: model.history, context: context)
    }

    /// The cross-lingual term of `objective` over the two sides' vocabularies, with a note
    /// for the summary table.
    func crossTerm(
        _ objective: CofactorObjective, sides: [Side], parallel: ParallelObject?, session: Session,
        options: CooccurrenceOptions, counting: ProgressReporter,
        context: ExecutionContext
    ) throws -> (CrossLingualObjective, String) {
        let maps = parallel.map { p in
            (
                p.parallel.source.idMap(into: sides[0].corpus.vocabulary, limit: sides[0].size),
                p.parallel.target.idMap(into: sides[1].corpus.vocabulary, limit: sides[1].size)
            )
        }
        switch objective {
        case .clcWA:
            guard let p = parallel?.parallel, let maps else { return (.none, "none") }
            let x = try count(counting, context) { progress in
                try CooccurrenceCounter.sentencePairs(
                    p, sourceMap: maps.0, targetMap: maps.1, rows: sides[0].size,
                    columns: sides[1].size, options: options, progress: progress)
            }
            return (
                .cooccurrence(x),
                """
                CLC-WA (eq. 4): \(x.count.formatted) word pairs co-occurring in \(p.sentenceCount.formatted) aligned sentences
                """
            )
        case .clcPlusWA:
            guard let parallel, let p = Optional(parallel.parallel), let maps else { return (.none, "none") }
            let alignment = try alignmentFor(parallel, session: session, objective: objective)
            let x = try count(counting, context) { progress in
                try CooccurrenceCounter.alignedWindows(
                    p, alignment: alignment.alignment, sourceMap: maps.0, targetMap: maps.1,
                    rows: sides[0].size, columns: sides[1].size, window: options.window,
                    options: options, progress: progress)
            }
            return (
                .cooccurrence(x),
                """
                CLC+WA (eq. 5): \(x.count.formatted) pairs from windows of \(2 * options.window + 1) around \
                \(alignment.alignment.linkCount.formatted) links of `\(arguments[Self.align] ?? "")`
                """
            )
        case .clsim:
            if let dictName = arguments[Self.dict] {
                let dictionary = try session.dictionary(dictName, for: "train")
                let pairs = Self.dictionarySimilarities(dictionary.wordPairs, first: sides[0].vocabulary, second: sides[1].vocabulary)
                guard !pairs.isEmpty else {
                    throw Self.failure(
                        """
                        no pair of `\(dictName)` has both words in the vocabularies (\(sides[0].size.formatted) \
                        \(sides[0].corpus.language) and \(sides[1].size.formatted) \(sides[1].corpus.language) words); check its direction \
                        and case, or lower min_count=
                        """)
                }
                return (
                    .similarity(pairs),
                    """
                    CLSim (eq. 7): \(pairs.count.formatted) pairs of `\(dictName)`, sim = 1/(translations of the source word)
                    """
                )
            }
            guard let parallel, let maps else { return (.none, "none") }
            let alignment = try alignmentFor(parallel, session: session, objective: objective)
            let pairs = alignment.similarities.compactMap { pair -> (source: Int32, target: Int32, similarity: Float)? in
                let j = maps.0[Int(pair.source)], k = maps.1[Int(pair.target)]
                return j >= 0 && k >= 0 && pair.similarity > 0 ? (j, k, pair.similarity) : nil
            }
            guard !pairs.isEmpty else {
                throw Self.failure(
                    """
                    none of the translation pairs of `\(arguments[Self.align] ?? "")` has both words in the vocabularies; lower min_count=
                    """)
            }
            return (
                .similarity(pairs),
                """
                CLSim (eq. 7): \(pairs.count.formatted) word pairs with translation probabilities from `\(arguments[Self.align] ?? "")`
                """
            )
        case .none:
            return (.none, "none (two monolingual factorizations; the spaces are not aligned)")
        }
    }

    /// The summary row of how the cross term was weighed.
    static func balanceNote(_ b: CofactorBalance, options: CofactorOptions, crossCount: Int) -> String {
        guard crossCount > 0 else { return "no cross-lingual term" }
        let masses =
            "Σf \(NumberText.short(b.firstMass)) / \(NumberText.short(b.secondMass)) / cross \(NumberText.short(b.crossMass))"
        guard options.balanceCross else { return "off (\(masses))" }
        return "cross weights × \(NumberText.short(b.scale)) (\(masses)), each cross element \(b.repeats)× per pass"
    }

    /// The alignment `align=` names, checked to belong to `parallel`.
    func alignmentFor(_ parallel: ParallelObject, session: Session, objective: CofactorObjective) throws -> AlignmentObject {
        guard let name = arguments[Self.align] else {
            throw Self.failure(
                """
                objective=\(objective) needs word alignments: run `%wordalign \(arguments[Self.parallel] ?? "P") as=A` first and pass \
                align=A
                """ + (objective == .clsim ? " (or give a dictionary with dict=D)" : ""))
        }
        let alignment = try session.alignment(name, for: "train")
        guard alignment.alignment.sentences.count == parallel.parallel.sentenceCount else {
            throw Self.failure(
                """
                `\(name)` aligns \(alignment.alignment.sentences.count.formatted) sentence pairs but `\(arguments[Self.parallel] ?? "")` \
                has \(parallel.parallel.sentenceCount.formatted); align this parallel corpus with %wordalign
                """)
        }
        return alignment
    }

    /// Dictionary pairs as CLSim similarities: 1/(number of in-vocabulary translations of the
    /// source word), so every source word carries the same total weight.
    static func dictionarySimilarities(
        _ pairs: [(source: String, target: String)], first: Vocabulary,
        second: Vocabulary
    ) -> [(source: Int32, target: Int32, similarity: Float)] {
        var found: [(Int32, Int32)] = []
        var seen = Set<Int64>()
        for pair in pairs {
            guard let j = first.id(pair.source), let k = second.id(pair.target), seen.insert(Int64(j) << 32 | Int64(k)).inserted else {
                continue
            }
            found.append((Int32(j), Int32(k)))
        }
        var translations: [Int32: Int] = [:]
        for (j, _) in found { translations[j, default: 0] += 1 }
        return found.map { ($0.0, $0.1, 1 / Float(translations[$0.0] ?? 1)) }
    }
}
