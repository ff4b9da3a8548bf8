import Embeddings
import Jupyter

/// `%eval bli M dict=D [retrieval=nn,csls,isf] [k=1,5,10]`: bilingual lexicon induction;
/// `%eval cldc space=S train=L1 test=L2 …`: cross-lingual document classification
/// (`EvalMagic+CLDC.swift`).
struct EvalMagic: Magic {
    static let spec = MagicSpec(
        name: "eval", abstract: "evaluate a shared space: bilingual lexicon induction (P@k per retrieval method, coverage, OOV conventions) or cross-lingual document classification",
        positionals: [.init("task", .choice(["bli", "cldc", "classifier"]), help: "the evaluation: bli, cldc or classifier"),
                      .init("mapping", .object, optional: true, help: "bli: a mapping from %align (or give src= and tgt= spaces already in one space); classifier: the classifier")],
        options: [.init("dict", .object, help: "the gold test dictionary"),
                  .init("src", .object, help: "instead of a mapping: source vectors already in the target's space"),
                  .init("tgt", .object, help: "instead of a mapping: target vectors"),
                  .init("retrieval", .list, default: "nn,csls", help: "retrieval methods: nn, csls, isf (inverted softmax)"),
                  .init("k", .list, default: "1,5,10", help: "precision@k cut-offs"),
                  .init("csls_k", .int(min: 1, max: 1000), default: "10", help: "CSLS neighbourhood size"),
                  .init("beta", .double(min: 0.001, max: 1000), default: "30", help: "inverted softmax inverse temperature β"),
                  .init("space", .object, help: "cldc: the shared space — a mapping (each labelled set uses the side of its language) or one vectors object"),
                  .init("train", .object, help: "cldc: labelled documents to train on"),
                  .init("test", .object, help: "cldc: labelled documents (another language) to test on"),
                  .init("classifier", .choice(["perceptron"]), default: "perceptron", help: "cldc: the classifier (averaged perceptron, Klementiev et al. 2012)"),
                  .init("epochs", .int(min: 1, max: 10_000), default: "10", help: "cldc: training epochs"),
                  .init("seed", .int(min: 0, max: nil), help: "cldc: the seed of the example order (default: %set seed)"),
                  .init("data", .list, help: "classifier: labelled documents to test on, one or more sets L1,L2,… in the classifier's language")],
        discussion: "A source word is correct at k if any of its gold translations is among its k nearest targets. Both spaces are unit-normalised for retrieval; CSLS and the inverted softmax use the whole vocabularies. MUSE and VecMap drop pairs with an out-of-vocabulary word (VecMap also reports coverage); fastText counts such source words as wrong — all three are shown. cldc (Klementiev et al. 2012, Shi et al. 2015 §5.1): each document is the idf-weighted average of its words' vectors (idf over the documents of its own labelled set, out-of-vocabulary words skipped), an averaged perceptron is trained on the train= set and tested on the test= set, next to the majority-class baseline; macro-F1 is the mean of per-class F1, and a class never predicted has precision 0.",
        examples: ["%eval bli en_fr dict=test retrieval=nn,csls,isf", "%eval bli src=en tgt=fr dict=test",
                   "%eval cldc space=en_fr train=en_train test=fr_test", "%eval classifier boe_en data=en_test"])

    let arguments: MagicArguments
    let methods: [RetrievalMethod]
    let ks: [Int]

    /// The keys each task accepts.
    static let keys: [String: Set<String>] = [
        "bli": ["dict", "src", "tgt", "retrieval", "k", "csls_k", "beta"],
        "cldc": ["space", "train", "test", "classifier", "epochs", "seed"],
        "classifier": ["data"],
    ]

    init(_ arguments: MagicArguments) throws {
        self.arguments = arguments
        let task = arguments.words[0]
        let allowed = Self.keys[task] ?? []
        for key in Self.spec.options.map(\.key) where arguments.has(key) && !allowed.contains(key) {
            throw MagicError.usage(magic: "eval", message: "`\(key)=` does not apply to `%eval \(task)` (it takes \(allowed.sorted().map { "\($0)=" }.joined(separator: " ")))", usage: Self.spec.usage)
        }
        if task == "cldc" || task == "classifier" {
            try task == "cldc" ? Self.validateCLDC(arguments) : Self.validateClassifier(arguments)
            methods = []
            ks = []
            return
        }
        let hasMapping = arguments.words.count > 1
        if hasMapping == (arguments.has("src") || arguments.has("tgt")) || (!hasMapping && !(arguments.has("src") && arguments.has("tgt"))) {
            throw MagicError.usage(magic: "eval", message: "give a mapping (`%eval bli NAME`) or both src= and tgt=, not both", usage: Self.spec.usage)
        }
        guard arguments.has("dict") else { throw MagicError.usage(magic: "eval", message: "missing dict=NAME (the gold test dictionary)", usage: Self.spec.usage) }
        let cslsK = arguments.int("csls_k") ?? 10
        let beta = Float(arguments.double("beta") ?? 30)
        var methods: [RetrievalMethod] = []
        for token in arguments.list("retrieval") ?? [] {
            switch token.lowercased() {
            case "nn": methods.append(.nn)
            case "csls": methods.append(.csls(k: cslsK))
            case "isf": methods.append(.invertedSoftmax(beta: beta))
            default:
                let hint = Suggestion.closest(to: token, in: ["nn", "csls", "isf"]).map { "; did you mean `\($0)`?" } ?? ""
                throw MagicError.usage(magic: "eval", message: "unknown retrieval `\(token)`\(hint) (use nn, csls, isf)", usage: Self.spec.usage)
            }
        }
        var ks: [Int] = []
        for token in arguments.list("k") ?? [] {
            guard let k = Int(token), k >= 1 else {
                throw MagicError.usage(magic: "eval", message: "k= takes whole numbers ≥ 1, not `\(token)`", usage: Self.spec.usage)
            }
            ks.append(k)
        }
        guard !methods.isEmpty, !ks.isEmpty else { throw MagicError.usage(magic: "eval", message: "retrieval= and k= must not be empty", usage: Self.spec.usage) }
        self.methods = methods
        self.ks = ks
    }

    func run(in session: Session, context: ExecutionContext) throws -> MimeBundle? {
        if arguments.words[0] == "cldc" { return try runCLDC(session, context) }
        if arguments.words[0] == "classifier" { return try runClassifier(session, context) }
        // Retrieval needs unit rows; the stored objects keep them, so no copy is normalised here.
        let source: EmbeddingSpace, target: EmbeddingSpace, label: String
        if arguments.words.count > 1 {
            let mapping = try session.mapping(arguments.words[1], for: "eval")
            let mapped = try mapping.mapped(), unit = try mapping.unitVectors()
            source = try EmbeddingSpace(vocabulary: mapped.source.vocabulary, vectors: unit.source, language: mapped.source.language)
            target = try EmbeddingSpace(vocabulary: mapped.target.vocabulary, vectors: unit.target, language: mapped.target.language)
            label = arguments.words[1]
        } else {
            let s = try session.space(arguments.string("src") ?? "", for: "eval")
            let t = try session.space(arguments.string("tgt") ?? "", for: "eval")
            source = try EmbeddingSpace(vocabulary: s.space.vocabulary, vectors: s.unitVectors(), language: s.space.language)
            target = try EmbeddingSpace(vocabulary: t.space.vocabulary, vectors: t.unitVectors(), language: t.space.language)
            label = "\(arguments.string("src") ?? "")→\(arguments.string("tgt") ?? "") (no mapping)"
        }
        let dictName = arguments.string("dict") ?? ""
        let dictionary = try session.dictionary(dictName, for: "eval")
        let result: BLIEvaluation.Result
        do {
            result = try BLIEvaluation.evaluate(source: source, target: target, dictionary: dictionary.wordPairs,
                                                methods: methods, ks: ks, normalize: false)
        } catch {
            throw MagicError.failed(magic: "eval", message: "\(error.description); map the spaces into one space first (%align)")
        }
        let counts = result.counts
        guard counts.coveredSourceWords > 0 else {
            throw MagicError.failed(magic: "eval", message: "no pair of `\(dictName)` has both words in the vocabularies (\(counts.sourceWords) source words, \(counts.sourceWordsInVocabulary) of them in the source vocabulary); check the dictionary's direction")
        }
        var rows: [[TableCell]] = []
        for method in result.methods {
            for convention in BLIEvaluation.OOVConvention.allCases {
                let denominator = convention == .fasttext ? counts.sourceWords : counts.coveredSourceWords
                rows.append([.text(method.method.token), .text(convention.rawValue)]
                            + ks.map { k in method.precision(at: k, convention).map { TableCell.double($0 * 100) } ?? .empty }
                            + [.int(denominator)])
            }
        }
        let chart = BarChart(title: "BLI P@\(ks[0]) of \(label)", xLabel: "retrieval", yLabel: "P@\(ks[0]) (%)",
                             categories: result.methods.map(\.method.token),
                             series: [BarSeries(name: "P@\(ks[0])", values: result.methods.map { ($0.precision(at: ks[0], .muse) ?? 0) * 100 })])
        context.display(chart.mimeBundle)
        let coverage = Double(counts.coveredSourceWords) / Double(max(1, counts.sourceWords)) * 100
        return Table(title: "BLI of \(label) on `\(dictName)` (precision in %)",
                     columns: ["retrieval", "OOV convention"] + ks.map { "P@\($0)" } + ["source words counted"], rows: rows,
                     footnote: "coverage \(counts.coveredSourceWords) of \(counts.sourceWords) source words (\(NumberText.fixed(coverage, 1))%): muse and vecmap drop pairs with an out-of-vocabulary word and divide by the covered words; fasttext divides by all source words, counting uncovered ones as wrong").mimeBundle
    }
}
