import Embeddings
import Jupyter

/// `%eval classifier K1,K2,… data=T1,T2,… baseline=B1,B2,…`: the gain of classifiers over
/// baselines, per model and language — M'hamdi et al. (2019)'s "gain" rows of multi over mono.
/// Every classifier and baseline is scored on each set of a language it reads; the scores of one
/// model type (mlp, cnn, …) and one language are averaged over the classifiers that have them
/// (several seeds), and the gain is the classifiers' mean minus the baselines' mean, with its
/// spread: the standard deviation over seeds of the paired difference when both lists have the
/// same number of classifiers per model and language (paired in the order given), else none.
extension EvalClassifierMagic {
    /// One (model, language) cell's scores, in the order the classifiers were given.
    struct GainCell {
        var model: String
        var language: String
        var setName: String
        var arm: [(accuracy: Double, paperF1: Double)] = []
        var baseline: [(accuracy: Double, paperF1: Double)] = []
    }

    func runGain(_ session: Session, _ context: ExecutionContext, baseline baselineNames: [String]) throws -> MimeBundle? {
        let armNames = arguments.words[0].split(separator: ",").map(String.init)
        let sets = try arguments[Self.data].map { ($0, try session.labeled($0, for: "eval").documents) }
        var cells: [GainCell] = []
        func score(_ name: String, baseline: Bool) throws {
            let stored = try session.classifier(name, for: "eval")
            let classifier = stored.classifier
            var scored = false
            for (setName, documents) in sets where classifier.languages.contains(documents.language) {
                let report: ClassificationReport
                do { report = try classifier.evaluate(documents) } catch {
                    throw Self.failure("`\(name)` on `\(setName)`: \(error.description)")
                }
                let model = classifier.model.rawValue
                let k =
                    cells.firstIndex { $0.model == model && $0.setName == setName }
                    ?? {
                        cells.append(GainCell(model: model, language: documents.language, setName: setName))
                        return cells.count - 1
                    }()
                let entry = (report.accuracy * 100, report.paperF1 * 100)
                if baseline { cells[k].baseline.append(entry) } else { cells[k].arm.append(entry) }
                scored = true
            }
            guard scored else {
                throw Self.failure(
                    "`\(name)` reads \(classifier.languages.joined(separator: ", ")), but no set of data= is in those languages; add one")
            }
        }
        for name in armNames { try score(name, baseline: false) }
        for name in baselineNames { try score(name, baseline: true) }
        cells = cells.filter { !$0.arm.isEmpty && !$0.baseline.isEmpty }
        guard !cells.isEmpty else {
            throw Self.failure(
                "no model and language has both a classifier and a baseline; give baselines of the same models and languages")
        }
        func mean(_ xs: [Double]) -> Double { xs.reduce(0, +) / Double(max(1, xs.count)) }
        func sd(_ xs: [Double]) -> Double? {
            guard xs.count > 1 else { return nil }
            let m = mean(xs)
            return (xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count - 1)).squareRoot()
        }
        var rows: [[TableCell]] = []
        var gains: [String: [String: Double]] = [:]
        for cell in cells {
            let armF1 = mean(cell.arm.map(\.paperF1)), baseF1 = mean(cell.baseline.map(\.paperF1))
            let armAccuracy = mean(cell.arm.map(\.accuracy)), baseAccuracy = mean(cell.baseline.map(\.accuracy))
            let paired = cell.arm.count == cell.baseline.count ? sd(zip(cell.arm, cell.baseline).map { $0.paperF1 - $1.paperF1 }) : nil
            rows.append([
                .text(cell.model), .text(cell.language), .text(cell.setName), .int(cell.arm.count),
                .double(baseAccuracy), .double(armAccuracy), .double(baseF1), .double(armF1), .double(armF1 - baseF1),
                paired.map { .double($0) } ?? .text("–"),
            ])
            gains[cell.model, default: [:]][cell.language] = armF1 - baseF1
        }
        var languages: [String] = []
        for cell in cells where !languages.contains(cell.language) { languages.append(cell.language) }
        var models: [String] = []
        for cell in cells where !models.contains(cell.model) { models.append(cell.model) }
        context.display(
            BarChart(
                title: "gain in paper F1 of `\(armNames.count > 3 ? "\(armNames.count) classifiers" : armNames.joined(separator: ","))` "
                    + "over the baselines",
                xLabel: "language", yLabel: "gain (F1 points)", categories: languages,
                series: models.map { model in BarSeries(name: model, values: languages.map { gains[model]?[$0] ?? .nan }) }
            ).mimeBundle)
        return Table(
            title: "gain over the baselines per model and language — in %",
            columns: [
                "model", "language", "data", "runs", "baseline accuracy", "accuracy", "baseline paper F1", "paper F1", "gain F1",
                "sd of gain",
            ],
            rows: rows,
            footnote: """
                Runs: classifiers of the model scored on the set (the baselines likewise); each score is the mean over them. \
                Paper F1: 2PR/(P + R) of macro P and R (M'hamdi et al. 2019). Gain: mean paper F1 minus the baselines' mean; \
                sd of gain: standard deviation over runs of the paired difference (classifiers and baselines paired in the \
                order given), – with one run or unequal counts.
                """
        ).mimeBundle
    }
}
