import Embeddings
import Jupyter

/// `%eval classifier K data=L[,L2,…]`: a stored classifier on labelled documents of its
/// language — accuracy, macro P/R/F1, the training set's majority class and token coverage per
/// set; with one set, the confusion matrix and per-class scores first (as `%eval cldc`).
/// `%eval classifier K1,K2 data=…` compares classifiers (`EvalClassifierMagic+Comparison.swift`).
struct EvalClassifierMagic: Magic {
    static let data = Key<[String]>(
        required: "data", .list,
        help: """
            labelled documents to test on, one or more sets L1,L2,… in the classifier's language (a classifier trained on \
            pooled languages: one set per language, one row each)
            """)
    static let baseline = Opt.list(
        "baseline",
        help: """
            baseline classifiers B1,B2,…: report the gain of the classifiers over them per model and language (mean paper F1 \
            over the classifiers that read each set, minus the baselines' mean; M'hamdi et al.'s multi − mono), with a chart
            """)
    static let confusion = Opt.bool(
        "confusion", default: false,
        help: "show the confusion matrix and per-class scores of every set (always shown for a single set)")

    static let spec = MagicSpec(
        name: "eval classifier", abstract: "a classifier's accuracy, macro P/R/F1, majority class and coverage",
        positionals: [.init("classifier", .object, help: "the classifier (%train classifier, %llm); several as K1,K2")],
        keys: [data, baseline, confusion],
        examples: ["%eval classifier boe_en data=en_test", "%eval classifier boe_en,boe_de data=en_test,de_test"])

    let arguments: MagicArguments

    init(_ arguments: MagicArguments) throws { self.arguments = arguments }

    /// Evaluates the classifier on each set.
    func run(in session: Session, context: ExecutionContext) throws -> MimeBundle? {
        if let baseline = arguments[Self.baseline] { return try runGain(session, context, baseline: baseline) }
        if arguments.words[0].contains(",") { return try runClassifierComparison(session, context) }
        let name = arguments.words[0]
        let stored = try session.classifier(name, for: "eval")
        let classifier = stored.classifier
        let setNames = arguments[Self.data]
        var rows: [[TableCell]] = []
        var single: ClassificationReport?
        for setName in setNames {
            let documents = try session.labeled(setName, for: "eval").documents
            let report: ClassificationReport
            do {
                report = try classifier.evaluate(documents)
            } catch {
                throw Self.failure("`\(name)` on `\(setName)`: \(error.description)")
            }
            let majorityLabel = classifier.training?.majorityLabel ?? documents.majorityLabel
            let majority = try ClassificationReport(
                gold: documents.labels, predicted: Array(repeating: majorityLabel, count: documents.count),
                labelNames: classifier.labelNames)
            if arguments[Self.confusion], setNames.count > 1 {
                context.display(Self.confusionTable(report, model: classifier.model.rawValue, setName: setName).mimeBundle)
            }
            rows.append([
                .text(classifier.languages.count > 1 ? "\(setName) (\(documents.language))" : setName), .int(documents.count),
                .percent(report.accuracy * 100), .percent(report.macroPrecision * 100),
                .percent(report.macroRecall * 100), .percent(report.macroF1 * 100), .percent(report.paperF1 * 100),
                .percent(majority.accuracy * 100),
                .percent(majority.macroF1 * 100), .percent(classifier.coverage(documents) * 100),
            ])
            single = report
        }
        if setNames.count == 1, let single {
            context.display(Self.confusionTable(single, model: classifier.model.rawValue, setName: setNames[0]).mimeBundle)
        }
        let majorityNote =
            classifier.training.map {
                """
                majority: the training set's most frequent label (\(classifier.labelNames[$0.majorityLabel])) for every document
                """
            }
            ?? "majority: the set's own most frequent label (the classifier has no training record)"
        return Table(
            title: "classifier `\(name)` (\(classifier.model.rawValue), \(classifier.languages.joined(separator: "+"))) — in %",
            columns: [
                "data", "documents", "accuracy", "macro P", "macro R", "macro F1", "paper F1", "majority accuracy", "majority macro F1",
                "token coverage",
            ],
            rows: rows,
            footnote: """
                \(stored.origin). Macro P/R/F1: unweighted means over the \(classifier.labelNames.count) classes (a class never \
                predicted has precision 0); paper F1: 2PR/(P + R) of macro P and R, the F1 of M'hamdi et al. (2019)'s tables; \
                \(majorityNote); token coverage: share of tokens in the embedding layer's vocabulary \
                (the rest are dropped).
                """
        ).mimeBundle
    }

    /// The confusion matrix (rows gold, columns predicted) with per-class P/R/F1 in %.
    static func confusionTable(_ report: ClassificationReport, model: String, setName: String) -> Table {
        let perClass = report.perClass
        let rows: [[TableCell]] = report.labelNames.indices.map { g in
            [.text(report.labelNames[g])] + report.confusion[g].map { TableCell.int($0) }
                + [
                    .int(perClass[g].support), .percent(perClass[g].precision * 100), .percent(perClass[g].recall * 100),
                    .percent(perClass[g].f1 * 100),
                ]
        }
        return Table(
            title: "confusion matrix of the \(model) classifier on `\(setName)` (rows: gold label, columns: predicted)",
            columns: ["gold \\ predicted"] + report.labelNames + ["support", "P (%)", "R (%)", "F1 (%)"], rows: rows,
            footnote: "P: correct / predicted as the class (0 when never predicted); R: correct / gold examples of the class")
    }
}
