import Embeddings
import Jupyter

/// `%eval bli|cldc|classifier …`: the family of evaluations.
enum EvalMagic: MagicFamily {
    static let familyName = "eval"
    static let abstract = "evaluate: bilingual lexicon induction, cross-lingual document classification, a classifier"
    nonisolated(unsafe) static let methods: [any Magic.Type] = [
        EvalBLIMagic.self,
        EvalCLDCMagic.self,
        EvalClassifierMagic.self,
    ]
}

/// `%eval bli M dict=D [retrieval=nn,csls,isf] [k=1,5,10]`: bilingual lexicon induction.
struct EvalBLIMagic: Magic {
    static let dict = Opt.required("dict", .object, help: "the gold test dictionary")
    static let src = Opt.text("src", .object, help: "instead of a mapping: source vectors already in the target's space")
    static let tgt = Opt.text("tgt", .object, help: "instead of a mapping: target vectors")
    static let retrieval = Opt.list("retrieval", default: ["nn", "csls"], help: "retrieval methods: nn, csls, isf (inverted softmax)")
    static let k = Opt.list("k", default: ["1", "5", "10"], help: "precision@k cut-offs")
    static let cslsK = Opt.int("csls_k", min: 1, max: 1000, default: 10, help: "CSLS neighbourhood size")
    static let name = CommonOptions.name("bli_MAPPING (bli_SRC_TGT)")
    static let beta = Opt.double("beta", min: 0.001, max: 1000, default: 30, help: "inverted softmax inverse temperature β")
    static let candidates = Opt.choice(
        "candidates", default: BLICandidates.all,
        help: """
            all: every target word is a candidate (MUSE/VecMap BLI); gold: Wada & Iwata's word alignment — pairs= one-to-one \
            gold pairs, each source word ranked among the gold targets only, CSLS inside that set
            """)
    static let pairs = Opt.int(
        "pairs", min: 2, max: 1_000_000, default: 1000, help: "candidates=gold: the gold pairs M, drawn reproducibly (paper: 1,000)")

    static let spec = MagicSpec(
        name: "eval bli", abstract: "bilingual lexicon induction: P@k per retrieval method, coverage, OOV conventions",
        positionals: [
            .init(
                "mapping", .object, optional: true,
                help: "a mapping from %align (or give src= and tgt= spaces already in one space)")
        ],
        keys: [dict, src, tgt, retrieval, k, cslsK, beta, candidates, pairs, CommonOptions.seed, name],
        discussion: """
            A source word is correct at k if any of its gold translations is among its k nearest targets. Both \
            spaces are unit-normalised for retrieval; CSLS and the inverted softmax use the whole vocabularies. \
            MUSE and VecMap drop pairs with an out-of-vocabulary word (VecMap also reports coverage); fastText \
            counts such source words as wrong — all three are shown, conventions with the same numbers (muse and vecmap; all \
            three with full coverage) in one row; precision in % with one decimal. candidates=gold is the protocol of \
            Wada & Iwata (2018): pairs= one-to-one pairs of the dictionary with both words in the vocabularies, drawn \
            with seed=; each source word is ranked against those pairs' target words only, CSLS neighbourhoods (csls_k, \
            paper 10) and the inverted softmax are computed inside that M × M matrix, and chance is k/M (0.1 % P@1 at \
            M = 1,000). Not comparable with the full-vocabulary numbers.
            """,
        examples: [
            "%eval bli en_fr dict=test retrieval=nn,csls,isf", "%eval bli src=en tgt=fr dict=test",
            "%eval bli mlm_ende dict=muse_ende candidates=gold k=1,5",
        ])

    let arguments: MagicArguments
    /// `src=` and `tgt=` when no mapping is named.
    let spaces: (source: String, target: String)?
    let methods: [RetrievalMethod]
    let ks: [Int]

    init(_ arguments: MagicArguments) throws {
        self.arguments = arguments
        switch (arguments.words.first, arguments[Self.src], arguments[Self.tgt]) {
        case (.some, nil, nil): spaces = nil
        case (nil, let source?, let target?): spaces = (source, target)
        default: throw arguments.usageError("give a mapping (`%eval bli NAME`) or both src= and tgt=, not both")
        }
        let cslsK = arguments[Self.cslsK]
        let beta = Float(arguments[Self.beta])
        var methods: [RetrievalMethod] = []
        for token in arguments[Self.retrieval] {
            switch token.lowercased() {
            case "nn": methods.append(.nn)
            case "csls": methods.append(.csls(k: cslsK))
            case "isf": methods.append(.invertedSoftmax(beta: beta))
            default:
                let hint = Suggestion.closest(to: token, in: ["nn", "csls", "isf"]).map { "; did you mean `\($0)`?" } ?? ""
                throw arguments.usageError("unknown retrieval `\(token)`\(hint) (use nn, csls, isf)")
            }
        }
        var ks: [Int] = []
        for token in arguments[Self.k] {
            guard let k = Int(token), k >= 1 else {
                throw arguments.usageError("k= takes whole numbers ≥ 1, not `\(token)`")
            }
            ks.append(k)
        }
        guard !methods.isEmpty, !ks.isEmpty else { throw arguments.usageError("retrieval= and k= must not be empty") }
        self.methods = methods
        self.ks = ks
    }

    func run(in session: Session, context: ExecutionContext) throws -> MimeBundle? {
        // Retrieval needs unit rows; the stored objects keep them, so no copy is normalised here.
        let source: EmbeddingSpace, target: EmbeddingSpace, label: String
        var trainingPairs = 0
        if let mappingName = arguments.words.first {
            let mapping = try session.mapping(mappingName, for: "eval")
            trainingPairs = mapping.pairsUsed
            let mapped = try mapping.mapped(), unit = try mapping.unitVectors()
            source = try EmbeddingSpace(vocabulary: mapped.source.vocabulary, vectors: unit.source, language: mapped.source.language)
            target = try EmbeddingSpace(vocabulary: mapped.target.vocabulary, vectors: unit.target, language: mapped.target.language)
            label = mappingName
        } else if let spaces {
            let s = try session.space(spaces.source, for: "eval")
            let t = try session.space(spaces.target, for: "eval")
            source = try EmbeddingSpace(vocabulary: s.space.vocabulary, vectors: s.unitVectors(), language: s.space.language)
            target = try EmbeddingSpace(vocabulary: t.space.vocabulary, vectors: t.unitVectors(), language: t.space.language)
            label = "\(spaces.source)→\(spaces.target) (no mapping)"
        } else {
            preconditionFailure("init proved a mapping or src= and tgt=")
        }
        let dictName = arguments[Self.dict]
        let dictionary = try session.dictionary(dictName, for: "eval")
        if arguments[Self.candidates] == .gold {
            return try gold(
                source: source, target: target, dictionary: dictionary.wordPairs, dictName: dictName, label: label,
                trainingPairs: trainingPairs, session: session, context: context)
        }
        let result: BLIEvaluation.Result
        do {
            result = try BLIEvaluation.evaluate(
                source: source, target: target, dictionary: dictionary.wordPairs,
                methods: methods, ks: ks, normalize: false)
        } catch {
            throw Self.failure("\(error.description); map the spaces into one space first (%align)")
        }
        let counts = result.counts
        guard counts.coveredSourceWords > 0 else {
            throw Self.failure(
                """
                no pair of `\(dictName)` has both words in the vocabularies (\(counts.sourceWords) source words, \
                \(counts.sourceWordsInVocabulary) of them in the source vocabulary); check the dictionary's direction
                """)
        }
        let stored = arguments.resultName("bli_" + (arguments.words.first ?? spaces.map { "\($0.source)_\($0.target)" } ?? ""))
        let record = EvaluationObject(
            evaluated: label, dictionary: dictName, trainingPairs: trainingPairs, ks: ks,
            precision: result.methods.map { method in
                (
                    method.method.token,
                    Dictionary(uniqueKeysWithValues: ks.compactMap { k in method.precision(at: k, .muse).map { (k, $0) } })
                )
            },
            covered: counts.coveredSourceWords, languages: [source.language, target.language].compactMap { $0 })
        session.store(record, as: stored, madeBy: "%eval bli \(label) dict=\(dictName)", cell: context.executionCount)
        context.display(Self.chart(result, ks: ks, label: label).mimeBundle)
        return Self.table(result, ks: ks, label: label, dictName: dictName).mimeBundle
    }

    /// The P@k table: one row per retrieval method and OOV convention, except that conventions
    /// giving the same numbers (all three with full coverage, muse and vecmap always) share one
    /// row, named `muse = vecmap = fasttext`; percentages with one decimal.
    static func table(_ result: BLIEvaluation.Result, ks: [Int], label: String, dictName: String) -> Table {
        let counts = result.counts
        var rows: [[TableCell]] = []
        var collapsed = false
        for method in result.methods {
            var groups: [(conventions: [BLIEvaluation.OOVConvention], values: [Double?], denominator: Int)] = []
            for convention in BLIEvaluation.OOVConvention.allCases {
                let denominator = convention == .fasttext ? counts.sourceWords : counts.coveredSourceWords
                let values = ks.map { method.precision(at: $0, convention) }
                if let i = groups.firstIndex(where: { $0.values == values && $0.denominator == denominator }) {
                    groups[i].conventions.append(convention)
                    collapsed = true
                } else {
                    groups.append(([convention], values, denominator))
                }
            }
            for group in groups {
                rows.append(
                    [.text(method.method.token), .text(group.conventions.map(\.rawValue).joined(separator: " = "))]
                        + group.values.map { $0.map { TableCell.percent($0 * 100) } ?? .empty } + [.int(group.denominator)])
            }
        }
        let coverage = Double(counts.coveredSourceWords) / Double(max(1, counts.sourceWords)) * 100
        let full = counts.coveredSourceWords == counts.sourceWords
        let conventions =
            full
            ? "with full coverage the three OOV conventions (muse, vecmap, fasttext) give the same numbers, so each method has one row"
            : """
            muse and vecmap drop pairs with an out-of-vocabulary word and divide by the covered words (one row, \
            `muse = vecmap`); fasttext divides by all source words, counting uncovered ones as wrong
            """
        let resolution = NumberText.fixed(100 / Double(max(1, counts.coveredSourceWords)), 2)
        return Table(
            title: "BLI of \(label) on `\(dictName)` (precision in %)",
            columns: ["retrieval", "OOV convention"] + ks.map { "P@\($0)" } + ["source words counted"], rows: rows,
            footnote: """
                coverage \(counts.coveredSourceWords) of \(counts.sourceWords) source words (\(NumberText.fixed(coverage, 1))%): \
                \(collapsed ? conventions : "the three OOV conventions are shown") (one word is \(resolution) points)
                """
        )
    }

    /// One grouped bar chart of the evaluation: a group per retrieval method, a bar per P@k (every
    /// k asked for, muse convention: covered pairs), on a fixed 0–100 % axis so that a weak result
    /// looks weak and an all-zero one draws no negative range.
    static func chart(_ result: BLIEvaluation.Result, ks: [Int], label: String) -> BarChart {
        BarChart(
            title: "BLI of \(label): P@\(ks.map(String.init).joined(separator: ", P@"))", xLabel: "retrieval",
            yLabel: "precision (%)", categories: result.methods.map(\.method.token),
            series: ks.map { k in
                BarSeries(name: "P@\(k)", values: result.methods.map { ($0.precision(at: k, .muse) ?? .nan) * 100 })
            },
            yDomain: BarChart.percent)
    }
}
