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
    /// The class weights of the loss, when weighted.
    public var classWeights: [Float]?
}

extension TextClassifier {
    /// Trains a classifier on `data` with its embedding layer initialised from `space` after
    /// `options.normalization` (the whole vocabulary, so words unseen in training keep their general vectors; tokens not in
    /// `space` are dropped). With `dev`, the dev accuracy is measured after every epoch and the
    /// best epoch's model is kept, stopping after `options.resolvedPatience` epochs without improvement.
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
        guard options.resolvedHidden >= 1 else {
            throw ClassificationError("hidden layers need at least 1 unit, got \(options.resolvedHidden)")
        }
        guard options.resolvedBatchSize >= 1 else {
            throw ClassificationError("batch size must be at least 1, got \(options.resolvedBatchSize)")
        }
        if options.model == .cnn {
            guard options.filters >= 1, !options.widths.isEmpty, options.widths.allSatisfy({ $0 >= 1 }) else {
                throw ClassificationError("a cnn needs at least 1 filter and kernel widths of at least 1 (e.g. widths=3,4,5 filters=200)")
            }
        }
        let weights: [Float]?
        switch options.classWeighting {
        case .none: weights = nil
        case .balanced: weights = ClassWeights.balanced(labels: data.labels, classes: classes)
        case .log: weights = ClassWeights.logarithmic(labels: data.labels, classes: classes)
        }
        let dropout = options.resolvedDropout
        guard dropout >= 0, dropout < 1 else { throw ClassificationError("dropout rate must be in [0, 1), got \(dropout)") }
        if options.model == .han {
            guard SentenceSplitter.hasMarks(data.documents) else {
                throw ClassificationError(
                    """
                    han reads documents as sentences, but no token of the training documents ends a sentence or clause \
                    (. ! ? ; : ,): their punctuation was stripped when they were loaded; load them with punct=keep
                    """)
            }
        }
        do {
            var generator = SplitMix64(seed: options.seed)
            let head: Head
            var store: ParameterStore
            // loss(tape, training-document indices, generator); predict(store, dev)
            let loss: (inout Tape, [Int], inout SplitMix64) -> Var
            let predict: (ParameterStore) -> [Int]
            let labels = data.labels
            switch options.model {
            case .cnn, .bigruAtt:
                var network =
                    options.model == .cnn
                    ? SequenceClassifierNetwork(
                        cnnOver: space.vectors, trainableEmbeddings: options.updateEmbeddings, widths: options.widths,
                        filters: options.filters, classes: classes, dropout: dropout, classWeights: weights, generator: &generator)
                    : SequenceClassifierNetwork(
                        biGRUOver: space.vectors, trainableEmbeddings: options.updateEmbeddings, units: options.resolvedHidden,
                        classes: classes, dropout: dropout, classWeights: weights, generator: &generator)
                store = network.store
                network.store = ParameterStore()
                let shape = network
                let devBags = dev.map { shell.bags($0.documents).bags } ?? []
                loss = { tape, batch, generator in
                    shape.loss(batch.map { bags[$0] }, labels: batch.map { labels[$0] }, on: &tape, generator: &generator)
                }
                predict = { store in
                    var trained = shape
                    trained.store = store
                    return trained.predict(devBags)
                }
                head = .sequence(shape)
            case .han:
                var network = HierarchicalClassifierNetwork(
                    over: space.vectors, trainableEmbeddings: options.updateEmbeddings, units: options.resolvedHidden, classes: classes,
                    dropout: dropout, classWeights: weights, generator: &generator)
                store = network.store
                network.store = ParameterStore()
                let shape = network
                let documents = shell.sentenceBags(data.documents)
                let devDocuments = dev.map { shell.sentenceBags($0.documents) } ?? []
                loss = { tape, batch, generator in
                    shape.loss(batch.map { documents[$0] }, labels: batch.map { labels[$0] }, on: &tape, generator: &generator)
                }
                predict = { store in
                    var trained = shape
                    trained.store = store
                    return trained.predict(devDocuments)
                }
                head = .hierarchical(shape)
            case .boe, .mlp, .perceptron:
                var network = BagOfEmbeddingsNetwork(
                    table: space.vectors, trainableEmbeddings: options.updateEmbeddings,
                    hiddenSizes: options.model == .mlp ? [options.resolvedHidden, options.resolvedHidden] : [options.resolvedHidden],
                    classes: classes, activation: options.model == .mlp ? .relu : .tanh, dropout: dropout, classWeights: weights,
                    generator: &generator)
                store = network.store
                network.store = ParameterStore()
                let shape = network
                let devBags = dev.map { shell.bags($0.documents).bags } ?? []
                loss = { tape, batch, generator in
                    shape.loss(batch.map { bags[$0] }, labels: batch.map { labels[$0] }, on: &tape, generator: &generator)
                }
                predict = { store in
                    var trained = shape
                    trained.store = store
                    return trained.predict(devBags)
                }
                head = .network(shape)
            }
            let optimizer = try Optimizer(options.optimizer, learningRate: options.resolvedLearningRate)
            let devGold = dev?.labels ?? []
            func devAccuracy(_ store: ParameterStore) -> Double {
                let predicted = predict(store)
                return Double(zip(predicted, devGold).filter { $0 == $1 }.count) / Double(max(1, devGold.count))
            }
            let task = TrainingTask(
                name: "classification", examples: data.count, batchSize: options.resolvedBatchSize, optimizers: [optimizer]
            ) { (tape: inout Tape, batch: [Int], generator: inout SplitMix64) throws(NeuralError) -> Var in
                loss(&tape, batch, &generator)
            }
            var trainer = try Trainer(options: .init(epochs: epochs, patience: dev == nil ? nil : options.resolvedPatience), tasks: [task])
            let result = try trainer.train(&store, generator: &generator, devScore: dev == nil ? nil : devAccuracy, progress: progress)
            let trainedHead: Head
            switch head {
            case .network(var network):
                network.store = store
                trainedHead = .network(network)
            case .sequence(var network):
                network.store = store
                trainedHead = .sequence(network)
            case .hierarchical(var network):
                network.store = store
                trainedHead = .hierarchical(network)
            case .perceptron: preconditionFailure("the perceptron trains elsewhere")
            }
            let training = TextClassifierTraining(
                options: options, documents: data.count, majorityLabel: data.majorityLabel,
                coverage: coverage, devCoverage: devCoverage, history: result.history,
                keptEpoch: result.keptEpoch, stoppedEarly: result.stoppedEarly,
                interrupted: result.interrupted, classWeights: weights)
            return try TextClassifier(
                model: options.model, language: data.language, labelNames: data.labelNames, lexicon: space.vocabulary,
                head: trainedHead, initialEmbeddings: options.updateEmbeddings ? space.vectors : nil,
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
