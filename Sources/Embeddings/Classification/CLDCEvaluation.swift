/// Cross-lingual document classification (Klementiev et al. 2012; Shi et al. 2015 §5.1): train
/// a classifier on one language's labelled documents, test it on another language's, both
/// embedded in one shared space.
///
/// Steps: (1) each labelled set becomes idf-weighted average vectors (`DocumentEmbedder`) in
/// its own language's side of the space, with idf computed over *that set's own documents*
/// (the training documents for the training language, the test documents for the test
/// language — only texts, never labels, are used); (2) an `AveragedPerceptron` is trained on
/// the training vectors; (3) its predictions on the test vectors are scored against the gold
/// labels, next to the majority-class baseline (the training set's most frequent label
/// predicted for every test document).
public enum CLDCEvaluation {
    /// Everything the evaluation measured.
    public struct Result: Sendable {
        /// The training documents as vectors (and their token coverage).
        public var train: DocumentEmbedder.Result
        /// The test documents as vectors (and their token coverage).
        public var test: DocumentEmbedder.Result
        /// The trained classifier.
        public var model: AveragedPerceptron
        /// The classifier's predicted label id of each test document (ids of `train.labelNames`).
        public var predictions: [Int]
        /// The classifier on the test set.
        public var report: ClassificationReport
        /// The majority-class baseline on the test set.
        public var majority: ClassificationReport
        /// The baseline's label id (the training set's most frequent label).
        public var majorityLabel: Int
    }

    /// Runs the protocol. `trainSpace` and `testSpace` must be one shared space (the two sides
    /// of a mapping, or the same space twice) with the same dimension; the two sets must have
    /// the same label names. Throws otherwise, with a message that names the problem. `progress`
    /// is the perceptron's (`AveragedPerceptron.train`): a stop keeps the epochs done so far.
    public static func evaluate(
        train: LabeledDocuments, trainSpace: EmbeddingSpace,
        test: LabeledDocuments, testSpace: EmbeddingSpace,
        epochs: Int = 10, seed: UInt64,
        progress: ProgressHandler = ProgressAction.ignore
    ) throws(ClassificationError) -> Result {
        guard trainSpace.dimension == testSpace.dimension else {
            throw ClassificationError(
                """
                the training space has dimension \(trainSpace.dimension), the test space \(testSpace.dimension): they are not one shared \
                space
                """)
        }
        guard train.labelNames == test.labelNames else {
            let onlyTrain = train.labelNames.filter { !test.labelNames.contains($0) }
            let onlyTest = test.labelNames.filter { !train.labelNames.contains($0) }
            var parts: [String] = []
            if !onlyTrain.isEmpty { parts.append("only in the training set: \(onlyTrain.joined(separator: ", "))") }
            if !onlyTest.isEmpty { parts.append("only in the test set: \(onlyTest.joined(separator: ", "))") }
            throw ClassificationError("the training and test sets have different labels (\(parts.joined(separator: "; ")))")
        }
        let trainVectors = DocumentEmbedder(space: trainSpace, idfFrom: train.documents).embed(train.documents)
        let testVectors = DocumentEmbedder(space: testSpace, idfFrom: test.documents).embed(test.documents)
        let model = try AveragedPerceptron.train(
            features: trainVectors.vectors, labels: train.labels,
            classes: train.labelNames.count, epochs: epochs, seed: seed,
            progress: progress)
        let predictions = model.predict(testVectors.vectors)
        let report = try ClassificationReport(gold: test.labels, predicted: predictions, labelNames: train.labelNames)
        let majorityLabel = train.majorityLabel
        let majority = try ClassificationReport(
            gold: test.labels, predicted: Array(repeating: majorityLabel, count: test.count),
            labelNames: train.labelNames)
        return Result(
            train: trainVectors, test: testVectors, model: model, predictions: predictions,
            report: report, majority: majority, majorityLabel: majorityLabel)
    }
}
