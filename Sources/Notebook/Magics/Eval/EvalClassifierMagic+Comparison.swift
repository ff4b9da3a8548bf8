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
        var majority: [String: Double] = [:]
        for name in names {
            let stored = try session.classifier(name, for: "eval")
            let classifier = stored.classifier
            let own = sets.filter { $0.1.language == classifier.language }
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
                    majority[setName] = documents.labels.filter { $0 == label }.count.asShare(of: documents.count)
                }
                rows.append([
                    .text(name), .text(stored.origin), .text(setName), .double(report.accuracy * 100), .double(report.macroF1 * 100),
                ])
            }
        }
        rows += sets.compactMap { setName, _ in
            majority[setName].map {
                [.text("majority class"), .text("the training set's most frequent label"), .text(setName), .double($0 * 100), .empty]
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

private extension Int {
    /// self / total (0 for an empty total).
    func asShare(of total: Int) -> Double { total > 0 ? Double(self) / Double(total) : 0 }
}
