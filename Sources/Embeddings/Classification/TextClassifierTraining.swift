/// How a `TextClassifier` was trained: the settings, the data's coverage, and each epoch.
public struct TextClassifierTraining: Sendable {
    /// The settings used.
    public var options: TextClassifierOptions
    /// The number of training documents.
    public var documents: Int
    /// The training set's most frequent label id (the majority-class baseline's answer).
    public var majorityLabel: Int
    /// Share of training tokens found in the vocabulary.
    public var coverage: Double
    /// Share of dev tokens found in the vocabulary, with a dev set.
    public var devCoverage: Double?
    /// One report per completed epoch: the mean training loss (perceptron: the share of
    /// training examples it got wrong) and the dev accuracy, when there is a dev set.
    public var history: [Trainer.EpochRecord]
    /// The epoch whose model was kept (the best dev epoch with a dev set).
    public var keptEpoch: Int
    /// Early stopping ended the run before the last epoch.
    public var stoppedEarly: Bool
    /// The progress handler (an interrupt) stopped the run; the model so far is kept.
    public var interrupted: Bool
    /// The class weights of the loss, when balanced.
    public var classWeights: [Float]?
}

extension TextClassifier {
    /// Trains a classifier on `data` with its embedding layer initialised from `space` after
    /// `options.normalization` (the whole vocabulary, so words unseen in training keep their general vectors; tokens not in
    /// `space` are dropped). With `dev`, the dev accuracy is measured after every epoch and the
    /// best epoch's model is kept, stopping after `options.patience` epochs without improvement.
    /// `progress` hears of every epoch and is polled before every batch (the perceptron: before
    /// the first epoch; see `Trainer.train`, `AveragedPerceptron.train`); on `.stop` the
    /// model so far is kept and `training.interrupted` is set.
    ///
    /// Throws when `space` has no words or dimension 0, `dev` has other labels, or a setting is out of range.
    public static func train(
        _ data: LabeledDocuments, space general: EmbeddingSpace, options: TextClassifierOptions,
        dev: LabeledDocuments? = nil,
        progress: ProgressHandler = ProgressAction.ignore
    ) throws(ClassificationError) -> TextClassifier {
        let space = general.normalized(options.normalization)
        guard space.count > 0, space.dimension > 0 else {
            throw ClassificationError("the space has \(space.count) words of dimension \(space.dimension): train or load vectors first")
        }
        if let dev, dev.labelNames != data.labelNames {
            throw ClassificationError(
                """
                the dev set's labels (\(dev.labelNames.joined(separator: ", "))) differ from the training set's \
                (\(data.labelNames.joined(separator: ", ")))
                """)
        }
        let classes = data.labelNames.count
        let epochs = options.resolvedEpochs
        guard epochs >= 1 else { throw ClassificationError("epochs must be at least 1, got \(epochs)") }
        let shell = try TextClassifier(
            model: options.model, language: data.language, labelNames: data.labelNames,
            lexicon: space.vocabulary,
            head: .perceptron(
                PerceptronClassifier(
                    vocabulary: space.vocabulary, embeddings: space.vectors,
                    perceptron: AveragedPerceptron(classes: classes, dimension: space.dimension))))
        let (bags, coverage) = shell.bags(data.documents)
        var seen = [Bool](repeating: false, count: space.count)
        for bag in bags { for id in bag { seen[id] = true } }
        let devCoverage = dev.map { shell.bags($0.documents).coverage }
        if options.model == .perceptron {
            return try trainPerceptron(
                data, shell: shell, options: options, dev: dev, seen: seen, coverage: coverage,
                devCoverage: devCoverage, progress: progress)
        }
        guard options.hidden >= 1 else { throw ClassificationError("hidden layers need at least 1 unit, got \(options.hidden)") }
        guard options.batchSize >= 1 else { throw ClassificationError("batch size must be at least 1, got \(options.batchSize)") }
        let weights = options.balancedClassWeights ? ClassWeights.balanced(labels: data.labels, classes: classes) : nil
        let dropout = options.resolvedDropout
        guard dropout >= 0, dropout < 1 else { throw ClassificationError("dropout rate must be in [0, 1), got \(dropout)") }
        do {
            var generator = SplitMix64(seed: options.seed)
            var network = BagOfEmbeddingsNetwork(
                table: space.vectors, trainableEmbeddings: options.updateEmbeddings,
                hiddenSizes: options.model == .mlp ? [options.hidden, options.hidden] : [options.hidden], classes: classes,
                activation: options.model == .mlp ? .relu : .tanh, dropout: dropout, classWeights: weights, generator: &generator)
            let optimizer = try Optimizer(options.optimizer, learningRate: options.resolvedLearningRate)
            let devBags = dev.map { shell.bags($0.documents).bags } ?? []
            let devGold = dev?.labels ?? []
            let labels = data.labels
            var store = network.store
            network.store = ParameterStore()
            let shape = network
            func devAccuracy(_ store: ParameterStore) -> Double {
                var trained = shape
                trained.store = store
                let predicted = trained.predict(devBags)
                return Double(zip(predicted, devGold).filter { $0 == $1 }.count) / Double(max(1, devGold.count))
            }
            let task = TrainingTask(name: "classification", examples: data.count, batchSize: options.batchSize, optimizers: [optimizer]) {
                (tape: inout Tape, batch: [Int], generator: inout SplitMix64) throws(NeuralError) -> Var in
                shape.loss(batch.map { bags[$0] }, labels: batch.map { labels[$0] }, on: &tape, generator: &generator)
            }
            var trainer = try Trainer(options: .init(epochs: epochs, patience: dev == nil ? nil : options.patience), tasks: [task])
            let result = try trainer.train(&store, generator: &generator, devScore: dev == nil ? nil : devAccuracy, progress: progress)
            network.store = store
            let training = TextClassifierTraining(
                options: options, documents: data.count, majorityLabel: data.majorityLabel,
                coverage: coverage, devCoverage: devCoverage, history: result.history,
                keptEpoch: result.keptEpoch, stoppedEarly: result.stoppedEarly,
                interrupted: result.interrupted, classWeights: weights)
            return try TextClassifier(
                model: options.model, language: data.language, labelNames: data.labelNames, lexicon: space.vocabulary,
                head: .network(network), initialEmbeddings: options.updateEmbeddings ? space.vectors : nil,
                seenInTraining: seen, training: training)
        } catch let error as NeuralError {
            throw ClassificationError(error.description)
        } catch let error as ClassificationError {
            throw error
        } catch {
            throw ClassificationError("\(error)")
        }
    }

    /// The perceptron: `AveragedPerceptron` for `resolvedEpochs` epochs over idf-weighted means;
    /// a dev set is scored once at the end (no early stopping: the average already smooths).
    private static func trainPerceptron(
        _ data: LabeledDocuments, shell: TextClassifier, options: TextClassifierOptions,
        dev: LabeledDocuments?, seen: [Bool], coverage: Double, devCoverage: Double?,
        progress: ProgressHandler
    ) throws(ClassificationError) -> TextClassifier {
        let epochs = options.resolvedEpochs
        var interrupted = false
        let perceptron = try PerceptronClassifier.train(
            vocabulary: shell.lexicon, embeddings: shell.embeddings, documents: data.documents, labels: data.labels,
            classes: data.labelNames.count, epochs: epochs, seed: options.seed,
            progress: { report in
                let action = progress(report)
                if action == .stop { interrupted = true }
                return action
            })
        var classifier = try TextClassifier(
            model: .perceptron, language: data.language, labelNames: data.labelNames,
            lexicon: shell.lexicon, head: .perceptron(perceptron), seenInTraining: seen)
        var devAccuracy: Double? = nil
        if let dev { devAccuracy = try classifier.evaluate(dev).accuracy }
        let n = Double(max(1, data.count))
        var history = perceptron.perceptron.mistakesPerEpoch.enumerated().map { index, mistakes in
            Trainer.EpochRecord(epoch: index + 1, epochs: epochs, trainLoss: Double(mistakes) / n, devScore: nil, elapsedSeconds: 0)
        }
        if !history.isEmpty { history[history.count - 1].devScore = devAccuracy }
        classifier.training = TextClassifierTraining(
            options: options, documents: data.count, majorityLabel: data.majorityLabel,
            coverage: coverage, devCoverage: devCoverage, history: history,
            keptEpoch: history.count, stoppedEarly: false, interrupted: interrupted, classWeights: nil)
        return classifier
    }
}
