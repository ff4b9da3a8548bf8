import Embeddings
import Jupyter

/// `%wordalign P [model=ibm1|fastalign] [iters=5] [symmetric=grow-diag] [gold=F] [threads=N] as=A`:
/// IBM Model 1 (optionally with fast_align's diagonal prior) in both directions, a symmetrised alignment, translation similarities for
/// CLSim, and — with a gold file — precision, recall and AER.
struct WordAlignMagic: Magic {
    static let heuristics = Symmetrization.allCases.map(\.rawValue) + ["none", "true", "false"]
    /// `model=`: the lexical model's prior.
    enum Model: String, OptionChoice { case ibm1, fastalign }
    /// `gold_format=`: how a gold file numbers its links.
    enum GoldFormat: String, OptionChoice { case wpt, pharaoh }

    static let model = Opt.choice(
        "model", default: Model.ibm1,
        help: """
            ibm1: IBM Model 1 with a NULL word; fastalign: the same lexical model with fast_align's diagonal prior \
            (Dyer et al. 2013, p0 = 0.08)
            """)
    static let tension = Opt.double(
        "tension", min: 0, max: 100, default: 4,
        help: """
            model=fastalign: the diagonal tension λ (larger: closer to the diagonal; fixed, not optimised)
            """)
    static let iters = Opt.int("iters", min: 0, max: 100, default: 5, help: "EM iterations per direction")
    static let symmetric = Opt.text(
        "symmetric", .choice(heuristics), default: "grow-diag",
        help: """
            how to combine source→target and target→source links; true = grow-diag, none/false = the forward links only
            """)
    static let gold = Opt.text(
        "gold", .path,
        help: """
            gold alignments of the same sentences: scores forward, backward, intersection and grow-diag
            """)
    static let goldFormat = Opt.choice(
        "gold_format", default: GoldFormat.wpt,
        help: """
            wpt: 1-based `i-j` sure and `ipj` possible links (WPT 2003); pharaoh: 0-based `i-j`, all sure
            """)
    static let top = Opt.int("top", min: 0, max: 100, default: 8, help: "show the best translations of this many frequent source words")
    static let spec = MagicSpec(
        name: "wordalign",
        abstract: """
            word alignments and translation probabilities of a parallel corpus (IBM Model 1 both ways, symmetrised; AER against gold)
            """,
        positionals: [
            .init(
                "parallel", .object,
                help: """
                    a parallel corpus from %load parallel (keep punctuation, punct=keep, to score against gold files)
                    """)
        ],
        keys: [model, tension, iters, symmetric, gold, goldFormat, CommonOptions.threads, top, CommonOptions.name("P_wa")],
        discussion: """
            EM as in Brown et al. (1993) / Koehn (2010, ch. 4): each direction's table t(f|e) is sparse over co-occurring word pairs; each \
            word links to its most probable generator, or stays unaligned when NULL wins. Symmetrisation follows Koehn et al. (2003). The \
            stored alignment feeds `%train cofactor objective=clc+wa`, and its similarities sim(j,k) = ½(t(k|j) + t(j|k)) over linked \
            pairs feed `objective=clsim` (Shi et al. 2015). Interrupting keeps the iterations done so far. `%save A path=F` writes the \
            links in Pharaoh format.
            """,
        examples: [
            "%load parallel hansard path=enfr.src-tgt format=pipes src_lang=en tgt_lang=fr punct=keep",
            "%wordalign hansard gold=enfr.gold as=wa",
            "%wordalign hansard model=fastalign gold=enfr.gold as=fa",
            "%wordalign europarl iters=5 symmetric=intersection threads=2 as=ep_wa",
        ])

    let parallelName: String
    let model: String
    let prior: AlignmentPrior
    let iterations: Int
    let method: Symmetrization?
    let methodText: String
    let gold: String?
    let goldOneBased: Bool
    let threads: Int?
    let top: Int
    let name: String

    init(_ arguments: MagicArguments) throws {
        parallelName = arguments.words[0]
        model = arguments[Self.model].rawValue
        if arguments.has(Self.tension), model != "fastalign" {
            throw Self.usageError("tension= applies to model=fastalign only")
        }
        prior = model == "fastalign" ? .diagonal(tension: arguments[Self.tension], nullProbability: 0.08) : .uniform
        iterations = arguments[Self.iters]
        let text = arguments[Self.symmetric]
        methodText = text == "true" ? "grow-diag" : text
        method = ["none", "false"].contains(text) ? nil : Symmetrization(rawValue: methodText)
        gold = arguments[Self.gold]
        goldOneBased = arguments[Self.goldFormat] == .wpt
        threads = arguments[CommonOptions.threads]
        top = arguments[Self.top]
        name = arguments.resultName("\(parallelName)_wa")
    }

    /// ` tension=λ` for the diagonal prior (provenance), else empty.
    var tensionText: String {
        if case .diagonal(let tension, _) = prior { return " tension=\(tension)" }
        return ""
    }

    func run(in session: Session, context: ExecutionContext) throws -> MimeBundle? {
        let stored = try session.parallel(parallelName, for: "wordalign")
        let parallel = stored.parallel
        let reference = try gold.map { path throws(MagicError) in try readGold(path, for: parallel) }
        let options = IBMModel1.Options(iterations: iterations, threads: threads ?? session.settings.threads, prior: prior)
        let progress = ProgressReporter(
            context: context, phase: "forward EM", total: max(1, 2 * iterations),
            unit: "EM iterations"
        ) { $0.phase }
        let models = BidirectionalAlignment.train(parallel, options: options, progress: progress.handle)
        let object = AlignmentObject(parallelName: parallelName, parallel: parallel, models: models, method: method)
        session.store(
            object, as: name,
            madeBy: """
                %wordalign \(parallelName) model=\(model)\(tensionText) iters=\(iterations) symmetric=\(methodText)
                """,
            cell: context.executionCount)
        guard models.isComplete else {
            progress.finish(stopped: true)
            let f = models.forward.iterations.count, b = models.backward.iterations.count
            context.stream(
                "Interrupted: `\(name)` keeps a partial alignment (forward \(f)/\(iterations), backward \(b)/\(iterations) EM "
                    + "iterations; an untrained direction links nothing). Run %wordalign again for the full one.\n",
                name: "stderr")
            throw Interrupted()
        }
        progress.finish(stopped: false)
        if top > 0 { context.display(translationTable(object).mimeBundle) }
        return summary(object, gold: reference).mimeBundle
    }

    /// The gold file at `path`, checked against `parallel`'s sentence count and lengths.
    func readGold(_ path: String, for parallel: ParallelCorpus) throws(MagicError) -> (path: String, links: GoldAlignment) {
        do {
            let gold = try GoldAlignment.read(path: path, oneBased: goldOneBased)
            guard gold.sentenceCount == parallel.sentenceCount else {
                throw Self.failure(
                    """
                    gold=\(path) has \(gold.sentenceCount.formatted) lines but `\(parallelName)` has \(parallel.sentenceCount.formatted) \
                    sentence pairs; give the gold alignments of exactly these pairs, one line per pair, in order
                    """)
            }
            try gold.validate(against: parallel, file: path)
            return (path, gold)
        } catch let error as FormatError {
            let hint = error.line != nil ? " (load the corpus with punct=keep so tokens match the gold file's positions)" : ""
            throw Self.failure(error.description + hint)
        } catch let error as MagicError {
            throw error
        } catch {
            throw Self.failure("\(error)")
        }
    }

    /// One row per alignment: links, EM iterations and perplexity (directions), and the scores.
    func summary(_ object: AlignmentObject, gold: (path: String, links: GoldAlignment)?) -> Table {
        let models = object.models
        var rows: [(String, WordAlignment, IBMModel1?)] = [
            ("forward (\(languages(object, reversed: false)))", models.forwardAlignment, models.forward),
            ("backward (\(languages(object, reversed: true)))", models.backwardAlignment, models.backward),
            ("intersection", models.symmetrized(.intersection), nil),
            ("grow-diag", models.symmetrized(.growDiag), nil),
        ]
        if let method = object.method, method != .intersection, method != .growDiag {
            rows.append((method.rawValue, object.alignment, nil))
        }
        var columns = ["alignment", "links", "links per pair", "EM iterations", "perplexity", "EM seconds"]
        if gold != nil { columns += ["precision", "recall", "AER"] }
        let pairs = Double(max(1, object.parallel.sentenceCount))
        let cells: [[TableCell]] = rows.map { label, alignment, model in
            let stored = label == object.method?.rawValue || (object.method == nil && model?.direction == .forward)
            var row: [TableCell] = [
                .text(label + (stored ? " → stored" : "")), .int(alignment.linkCount), .double(Double(alignment.linkCount) / pairs),
                model.map { .int($0.iterations.count) } ?? .empty,
                model?.iterations.last.map { .double($0.perplexity) } ?? .empty,
                model.map { .double($0.iterations.reduce(0) { $0 + $1.seconds }) } ?? .empty,
            ]
            if let gold {
                let score = AlignmentErrorRate.evaluate(alignment, against: gold.links)
                row += [.double(score.precision), .double(score.recall), .double(score.aer)]
            }
            return row
        }
        var note = """
            `\(name)`: \(object.methodName) links, \(object.similarities.count.formatted) translation similarities (CLSim). Perplexity is \
            per generated word, at the last E-step.
            """
        if let gold {
            note +=
                " Gold: \(gold.path) (\(gold.links.sure.linkCount.formatted) sure, \(gold.links.possible.linkCount.formatted) "
                + "sure+possible links); AER = 1 − (|A∩S| + |A∩P|)/(|A| + |S|)."
        }
        return Table(
            title: """
                \(model == "fastalign" ? "fast_align (IBM Model 1 + diagonal prior)" : "IBM Model 1") word alignment of `\(parallelName)` \
                (\(object.parallel.sentenceCount.formatted) sentence pairs) → `\(name)`
                """,
            columns: columns, rows: cells, footnote: note)
    }

    func languages(_ object: AlignmentObject, reversed: Bool) -> String {
        let (a, b) = (object.parallel.source.language, object.parallel.target.language)
        return reversed ? "\(b)→\(a)" : "\(a)→\(b)"
    }

    /// The most probable forward translations of the `top` most frequent source words that
    /// contain a letter, with the backward probability of each.
    func translationTable(_ object: AlignmentObject) -> Table {
        let source = object.parallel.source, target = object.parallel.target
        var rows: [[TableCell]] = []
        for id in 0..<source.vocabulary.count where rows.count < top {
            let word = source.vocabulary[id]
            guard word.contains(where: \.isLetter) else { continue }
            let best = object.models.forward.table.best(for: Int32(id), k: 3)
            let text = best.map {
                """
                \(target.vocabulary[Int($0.target)]) \(NumberText.short(Double($0.probability)))
                """
            }.joined(separator: ", ")
            let back = best.first.map { Double(object.models.backward.table.probability(of: Int32(id), given: $0.target)) }
            rows.append([.text(word), .int(source.counts[id]), .text(text), back.map { .double($0) } ?? .empty])
        }
        return Table(
            title: "most probable translations of frequent \(source.language) words in `\(name)`",
            columns: [
                "\(source.language) word", "count",
                """
                t(\(target.language) | \(source.language)), best 3
                """, "t(\(source.language) | best)",
            ],
            rows: rows)
    }
}
