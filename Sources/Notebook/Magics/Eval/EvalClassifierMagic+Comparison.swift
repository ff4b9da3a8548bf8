import Embeddings
import Jupyter

/// `%eval classifier K1,K2,… data=L1[,L2,…]`: several classifiers in one table, each on the
/// set(s) of its own language — the layout of Table 3 of Sakuma & Yoshinaga 2019 (one row per
/// model, e.g. CLWE fixed, LP, LLM and a monolingual upper bound).
extension EvalClassifierMagic {
    func runClassifierComparison(_ session: Session, _ context: ExecutionContext) throws -> MimeBundle? {
        let names = arguments.words[0].split(separator: ",").map(String.init)
        let sets = try arguments[Self.data].map { ($0, try session.labeled($0, for: "eval").documents) }
        var rows: [[TableCell]] = []
        var majority: [String: (accuracy: Double, macroF1: Double)] = [:]
        for name in names {
            let stored = try session.classifier(name, for: "eval")
            let classifier = stored.classifier
            let own = sets.filter { classifier.languages.contains($0.1.language) }
            guard !own.isEmpty else {
                let languages = Set(sets.map(\.1.language)).sorted().joined(separator: ", ")
                throw Self.failure(
                    """
                    `\(name)` classifies \(classifier.language), but data= has \(languages) only; add a \(classifier.language) set to \
                    data= (or transfer it with %llm … target=xx)
                    """)
            }
            for (setName, documents) in own {
                let report: ClassificationReport
                do { report = try classifier.evaluate(documents) } catch {
                    throw Self.failure("`\(name)` on `\(setName)`: \(error.description)")
                }
                if majority[setName] == nil {
                    let label = classifier.training?.majorityLabel ?? documents.majorityLabel
                    let report = try ClassificationReport(
                        gold: documents.labels, predicted: Array(repeating: label, count: documents.count),
                        labelNames: classifier.labelNames)
                    majority[setName] = (report.accuracy, report.macroF1)
                }
                rows.append([
                    .text(name), .text(stored.origin), .text(setName), .percent(report.accuracy * 100), .percent(report.macroF1 * 100),
                ])
            }
        }
        rows += sets.compactMap { setName, _ in
            majority[setName].map {
                [
                    .text("majority class"), .text("the training set's most frequent label"), .text(setName), .percent($0.accuracy * 100),
                    .percent($0.macroF1 * 100),
                ]
            }
        }
        return Table(
            title: "classifiers compared (in %)", columns: ["classifier", "how it was made", "data", "accuracy", "macro F1"],
            rows: rows,
            footnote: """
                each classifier is evaluated on the data= sets in its own language; macro F1: unweighted mean over the classes
                """
        ).mimeBundle
    }
}
