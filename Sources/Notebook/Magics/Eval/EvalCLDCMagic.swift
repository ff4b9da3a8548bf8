import Embeddings
import Jupyter

/// `%eval cldc space=S train=L1 test=L2 [classifier=perceptron] [epochs=10] [seed=N]`:
/// cross-lingual document classification (`CLDCEvaluation`).
struct EvalCLDCMagic: Magic {
    /// The classifier of `%eval cldc`.
    enum Classifier: String, OptionChoice { case perceptron }

    static let space = Key<[String]>(
        required: "space", .list,
        help: """
            the shared space — a mapping (each labelled set uses the side of its language) or one vectors object; \
            several compare in one table
            """)
    static let train = Key<[String]>(required: "train", .list, help: "labelled documents to train on")
    static let test = Key<[String]>(required: "test", .list, help: "labelled documents (another language) to test on")
    static let classifier = Opt.choice(
        "classifier", default: Classifier.perceptron,
        help: "the classifier (averaged perceptron, Klementiev et al. 2012)")
    static let epochs = Opt.int("epochs", min: 1, max: 10_000, default: 10, help: "training epochs")

    static let spec = MagicSpec(
        name: "eval cldc", abstract: "cross-lingual document classification: train on one language, test on another",
        keys: [space, train, test, classifier, epochs, CommonOptions.seed],
        discussion: """
            Klementiev et al. 2012, Shi et al. 2015 §5.1: each document is the idf-weighted average of its words' \
            vectors (idf over the documents of its own labelled set, out-of-vocabulary words skipped), an averaged \
            perceptron is trained on the train= set and tested on the test= set, next to the majority-class \
            baseline; macro-F1 is the mean of per-class F1, and a class never predicted has precision 0.
            """,
        examples: [
            "%eval cldc space=en_fr train=en_train test=fr_test",
            "%eval cldc space=A,B train=en_train,de_train test=de_test,en_test",
        ])

    let arguments: MagicArguments

    init(_ arguments: MagicArguments) throws { self.arguments = arguments }

    /// Runs the evaluation: one space and one direction gives the full report
    /// (`runOneCLDC`); lists (`space=A,B train=en_train,de_train test=de_test,en_test`) give
    /// one comparison table, like Table 1 of Shi et al. 2015.
    func run(in session: Session, context: ExecutionContext) throws -> MimeBundle? {
        let spaces = arguments[Self.space], trains = arguments[Self.train], tests = arguments[Self.test]
        if spaces.count == 1, trains.count == 1, tests.count == 1 { return try runOneCLDC(session, context) }
        guard trains.count == tests.count else {
            throw arguments.usageError(
                """
                train= names \(trains.count) set(s) but test= names \(tests.count); give one test set per training set (directions pair up \
                in order)
                """)
        }
        let epochs = arguments[Self.epochs]
        let seed = Int(arguments.seed(session))
        let directions = try zip(trains, tests).map { trainName, testName in
            (try session.labeled(trainName, for: "eval").documents, try session.labeled(testName, for: "eval").documents)
        }
        var rows: [[TableCell]] = []
        var majority: [TableCell] = [.text("majority class")]
        for spaceName in spaces {
            let sides = try Self.sides(of: spaceName, in: session)
            var row: [TableCell] = [.text(spaceName)]
            for (index, (train, test)) in directions.enumerated() {
                let result = try Self.evaluate(
                    train: (trains[index], train), test: (tests[index], test), sides: sides,
                    spaceName: spaceName, epochs: epochs, seed: seed, context: context)
                if context.cancellation.isCancelled {
                    throw Self.failure("interrupted during `\(spaceName)`, \(train.language)→\(test.language)")
                }
                row += [.percent(result.report.accuracy * 100), .percent(result.report.macroF1 * 100)]
                if rows.isEmpty { majority += [.percent(result.majority.accuracy * 100), .percent(result.majority.macroF1 * 100)] }
            }
            rows.append(row)
        }
        let columns =
            ["space"]
            + directions.flatMap { train, test in
                ["\(train.language)→\(test.language) accuracy", "\(train.language)→\(test.language) macro F1"]
            }
        let sets = zip(trains, tests).map { "`\($0)` → `\($1)`" }.joined(separator: ", ")
        return Table(
            title: "cross-lingual document classification (averaged perceptron, in %)", columns: columns, rows: rows + [majority],
            footnote: """
                train → test: \(sets). Documents: idf-weighted averages of word vectors (idf over each set's own documents); \
                averaged perceptron, \(epochs) epochs, seed \(seed); majority class: the training set's most frequent label. \
                `%eval cldc space=S train=L1 test=L2` with one space and one direction shows coverage and the confusion matrix.
                """
        ).mimeBundle
    }

    /// One space, one direction: the summary table, after a display of the confusion matrix.
    func runOneCLDC(_ session: Session, _ context: ExecutionContext) throws -> MimeBundle? {
        let spaceName = arguments[Self.space][0], trainName = arguments[Self.train][0], testName = arguments[Self.test][0]
        let train = try session.labeled(trainName, for: "eval").documents
        let test = try session.labeled(testName, for: "eval").documents
        let sides = try Self.sides(of: spaceName, in: session)
        let epochs = arguments[Self.epochs]
        let seed = Int(arguments.seed(session))
        let result = try Self.evaluate(
            train: (trainName, train), test: (testName, test), sides: sides,
            spaceName: spaceName, epochs: epochs, seed: seed, context: context)
        let direction = "\(train.language)→\(test.language)"
        let epochsRun = result.model.mistakesPerEpoch.count
        context.display(Self.confusionTable(result, direction: direction).mimeBundle)
        func row(_ name: String, _ report: ClassificationReport) -> [TableCell] {
            [
                .text(name), .text(direction), .percent(report.accuracy * 100), .percent(report.macroPrecision * 100),
                .percent(report.macroRecall * 100), .percent(report.macroF1 * 100),
            ]
        }
        let majorityName = train.labelNames[result.majorityLabel]
        let rows = [row("averaged perceptron", result.report), row("majority class (\(majorityName))", result.majority)]
        func coverage(_ name: String, _ set: LabeledDocuments, _ embedded: DocumentEmbedder.Result) -> String {
            let zero =
                embedded.zeroDocuments == 0
                ? ""
                : """
                , \(embedded.zeroDocuments) document\(embedded.zeroDocuments == 1 ? "" : "s") without a weighted in-vocabulary word (zero \
                vector)
                """
            return """
                `\(name)` (\(set.language), \(set.count.formatted) documents): \(NumberText.fixed(embedded.coverage * 100, 1))% of \
                \(embedded.tokens.formatted) tokens in the space\(zero)
                """
        }
        let interrupted = epochsRun < epochs ? " — interrupted after \(epochsRun) of \(epochs) epochs, the partial model was evaluated" : ""
        let footnote = [
            "token coverage: " + coverage(trainName, train, result.train) + "; " + coverage(testName, test, result.test),
            """
            documents: idf-weighted averages of word vectors (idf over each set's own documents); averaged perceptron, \(epochsRun) \
            epochs, seed \(seed), training mistakes in the last epoch: \(result.model.mistakesPerEpoch.last ?? 0)\(interrupted)
            """,
            """
            macro P/R/F1: means over the \(train.labelNames.count) classes (F1 per class, then averaged; a class never predicted has \
            precision 0); majority class: the training set's most frequent label
            """,
        ].joined(separator: ". ")
        return Table(
            title: """
                cross-lingual document classification \(direction): train `\(trainName)` → test `\(testName)` in `\(spaceName)` (in %)
                """,
            columns: ["classifier", "direction", "accuracy", "macro P", "macro R", "macro F1"], rows: rows,
            footnote: footnote
        ).mimeBundle
    }

    /// One train → test evaluation in the space's sides of the two sets' languages; errors
    /// name the space and the sets.
    static func evaluate(
        train: (name: String, set: LabeledDocuments), test: (name: String, set: LabeledDocuments),
        sides: [(language: String?, space: EmbeddingSpace)], spaceName: String, epochs: Int, seed: Int,
        context: ExecutionContext
    ) throws -> CLDCEvaluation.Result {
        let trainSpace = try side(for: train.set, named: train.name, sides: sides, spaceName: spaceName)
        let testSpace = try side(for: test.set, named: test.name, sides: sides, spaceName: spaceName)
        do {
            return try CLDCEvaluation.evaluate(
                train: train.set, trainSpace: trainSpace, test: test.set, testSpace: testSpace,
                epochs: epochs, seed: UInt64(max(0, seed)),
                progress: { _ in .stopping(if: context.cancellation.isCancelled) })
        } catch {
            throw Self.failure("`\(spaceName)`, `\(train.name)` → `\(test.name)`: \(error.description)")
        }
    }

    /// The confusion matrix (rows gold, columns predicted) with per-class P/R/F1 in %.
    static func confusionTable(_ result: CLDCEvaluation.Result, direction: String) -> Table {
        let report = result.report
        let perClass = report.perClass
        let rows: [[TableCell]] = report.labelNames.indices.map { g in
            [.text(report.labelNames[g])] + report.confusion[g].map { TableCell.int($0) }
                + [
                    .int(perClass[g].support), .percent(perClass[g].precision * 100), .percent(perClass[g].recall * 100),
                    .percent(perClass[g].f1 * 100),
                ]
        }
        return Table(
            title: "confusion matrix of the averaged perceptron, \(direction) (rows: gold label, columns: predicted)",
            columns: ["gold \\ predicted"] + report.labelNames + ["support", "P (%)", "R (%)", "F1 (%)"], rows: rows,
            footnote: "P: correct / predicted as the class (0 when never predicted); R: correct / gold examples of the class")
    }

    /// The sides of the shared space `name`: a mapping's two mapped spaces, or one vectors object.
    static func sides(of name: String, in session: Session) throws -> [(language: String?, space: EmbeddingSpace)] {
        let object = try session.object(name, for: "eval")
        if let mapping = object as? MappingObject {
            let mapped = try mapping.mapped()
            return [(mapping.languages[0], mapped.source), (mapping.languages[1], mapped.target)]
        }
        if let vectors = object as? SpaceObject { return [(vectors.space.language, vectors.space)] }
        throw Self.failure("`\(name)` is \(object.kind), not a shared space: give a mapping (%align) or vectors (%load vectors) as space=")
    }

    /// The side of the space in the language of `documents`; a vectors object without a
    /// language serves every set.
    static func side(
        for documents: LabeledDocuments, named name: String,
        sides: [(language: String?, space: EmbeddingSpace)], spaceName: String
    ) throws -> EmbeddingSpace {
        if let match = sides.first(where: { $0.language == documents.language }) { return match.space }
        if sides.count == 1, sides[0].language == nil { return sides[0].space }
        let has = sides.compactMap(\.language).joined(separator: ", ")
        throw Self.failure(
            """
            `\(name)` is in \(documents.language), but the space `\(spaceName)` has \(has.isEmpty ? "no language" : has); load the \
            documents with the space's language code (lang=) or give a space that covers \(documents.language)
            """)
    }
}
