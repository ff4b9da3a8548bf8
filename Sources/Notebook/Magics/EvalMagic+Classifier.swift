import Embeddings
import Jupyter

/// `%eval classifier K data=L[,L2,…]`: a stored classifier on labelled documents of its
/// language — accuracy, macro P/R/F1, the training set's majority class and token coverage per
/// set; with one set, the confusion matrix and per-class scores first (as `%eval cldc`).
extension EvalMagic {
    /// Checks the classifier arguments: the classifier as the positional name and data=.
    static func validateClassifier(_ arguments: MagicArguments) throws {
        guard arguments.words.count > 1 else {
            throw MagicError.usage(magic: "eval", message: "name the classifier: `%eval classifier NAME data=L` (make one with %train classifier)", usage: spec.usage)
        }
        guard let sets = arguments.list("data"), !sets.isEmpty else {
            throw MagicError.usage(magic: "eval", message: "missing data=NAME (labelled documents to test on; several as data=L1,L2)", usage: spec.usage)
        }
    }

    /// Evaluates the classifier on each set.
    func runClassifier(_ session: Session, _ context: ExecutionContext) throws -> MimeBundle? {
        if arguments.words[1].contains(",") { return try runClassifierComparison(session, context) }
        let name = arguments.words[1]
        let stored = try session.classifier(name, for: "eval")
        let classifier = stored.classifier
        let setNames = arguments.list("data") ?? []
        var rows: [[TableCell]] = []
        var single: ClassificationReport?
        for setName in setNames {
            let documents = try session.labeled(setName, for: "eval").documents
            let report: ClassificationReport
            do {
                report = try classifier.evaluate(documents)
            } catch {
                throw MagicError.failed(magic: "eval", message: "`\(name)` on `\(setName)`: \(error.description)")
            }
            let majorityLabel = classifier.training?.majorityLabel ?? documents.majorityLabel
            let majority = try ClassificationReport(gold: documents.labels, predicted: Array(repeating: majorityLabel, count: documents.count),
                                                    labelNames: classifier.labelNames)
            rows.append([.text(setName), .int(documents.count), .double(report.accuracy * 100), .double(report.macroPrecision * 100),
                         .double(report.macroRecall * 100), .double(report.macroF1 * 100), .double(majority.accuracy * 100),
                         .double(classifier.coverage(documents) * 100)])
            single = report
        }
        if setNames.count == 1, let single {
            context.display(Self.confusionTable(single, model: classifier.model.rawValue, setName: setNames[0]).mimeBundle)
        }
        let majorityNote = classifier.training.map { "majority: the training set's most frequent label (\(classifier.labelNames[$0.majorityLabel])) for every document" }
            ?? "majority: the set's own most frequent label (the classifier has no training record)"
        return Table(title: "classifier `\(name)` (\(classifier.model.rawValue), \(classifier.language)) — in %",
                     columns: ["data", "documents", "accuracy", "macro P", "macro R", "macro F1", "majority accuracy", "token coverage"],
                     rows: rows,
                     footnote: "\(stored.origin). Macro P/R/F1: unweighted means over the \(classifier.labelNames.count) classes (a class never predicted has precision 0); \(majorityNote); token coverage: share of tokens in the embedding layer's vocabulary (the rest are dropped).").mimeBundle
    }

    /// The confusion matrix (rows gold, columns predicted) with per-class P/R/F1 in %.
    static func confusionTable(_ report: ClassificationReport, model: String, setName: String) -> Table {
        let perClass = report.perClass
        let rows: [[TableCell]] = report.labelNames.indices.map { g in
            [.text(report.labelNames[g])] + report.confusion[g].map { TableCell.int($0) }
                + [.int(perClass[g].support), .double(perClass[g].precision * 100), .double(perClass[g].recall * 100), .double(perClass[g].f1 * 100)]
        }
        return Table(title: "confusion matrix of the \(model) classifier on `\(setName)` (rows: gold label, columns: predicted)",
                     columns: ["gold \\ predicted"] + report.labelNames + ["support", "P (%)", "R (%)", "F1 (%)"], rows: rows,
                     footnote: "P: correct / predicted as the class (0 when never predicted); R: correct / gold examples of the class")
    }
}
