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
        try train(pooled: [data], spaces: [data.language: general], options: options, dev: dev, progress: progress)
    }

    /// Trains one classifier on the pooled labelled sets of several languages (M'hamdi et al.'s
    /// "multi" regime; one set is the single-language `train`), each language's words looked up in
    /// its own side of `spaces` (language → space, the sides of one shared space, all of the same
    /// dimension): the embedding layer holds every side's rows, keyed by language. With
    /// `alignment` (bigru-att, han), Sent-Ali: batches of its sentence pairs, both sides encoded by
    /// the shared sentence encoder (bigru-att: the whole encoder; han: the word level), pull the
    /// encodings together by cosine distance, 1 − mean cos(S_i, T_i), alternating at random with
    /// the classification batches (a coin per step, as the paper's code), with its own Adam
    /// (`options.alignLearningRate`) over the embeddings and the encoder; the pair languages need
    /// sides in `spaces` too. `dev` is one set in one of the languages.
    ///
    /// Throws when the sets' labels differ, a language has no side, a training document is empty,
    /// the sides' dimensions differ, or a setting is out of range.
    public static func train(
        pooled sets: [LabeledDocuments], spaces general: [String: EmbeddingSpace], options: TextClassifierOptions,
        dev: LabeledDocuments? = nil, alignment: ParallelCorpus? = nil,
        progress: ProgressHandler = ProgressAction.ignore
    ) throws(ClassificationError) -> TextClassifier {
        guard let data = sets.first else { throw ClassificationError("no labelled documents to train on") }
        for set in sets.dropFirst() where set.labelNames != data.labelNames {
            throw ClassificationError(
                """
                the labels differ between languages: \(data.language) has \(data.labelNames.joined(separator: ", ")) but \(set.language) \
                has \(set.labelNames.joined(separator: ", "))
                """, fix: "pool sets with the same labels (drop or relabel the classes that differ)")
        }
        var languages: [String] = []
        for language in sets.map(\.language) + (alignment.map { [$0.source.language, $0.target.language] } ?? [])
        where !languages.contains(language) { languages.append(language) }
        guard Set(sets.map(\.language)).count == sets.count else {
            throw ClassificationError("two labelled sets are in the same language", fix: "give one set per language")
        }
        var sides: [(language: String, space: EmbeddingSpace)] = []
        for language in languages {
            guard let side = general[language] else {
                let known = general.keys.sorted().joined(separator: ", ")
                let what = sets.contains { $0.language == language } ? "the labelled set" : "the parallel corpus (align=)"
                throw ClassificationError(
                    "\(what) is in \(language), but the space has no \(language) side (it has \(known))",
                    fix: "give a space (or a mapping) with a \(language) side")
            }
            let space = side.normalized(options.normalization)
            guard space.count > 0, space.dimension > 0 else {
                throw ClassificationError(
                    "the \(language) side has \(space.count) words of dimension \(space.dimension): train or load vectors first")
            }
            sides.append((language, space))
        }
        guard Set(sides.map(\.space.dimension)).count == 1 else {
            throw ClassificationError(
                "the sides have different dimensions (\(sides.map { "\($0.language) \($0.space.dimension)" }.joined(separator: ", ")))",
                fix: "give sides of one shared space")
        }
        let multilingual = languages.count > 1
        if multilingual, options.model == .perceptron {
            throw ClassificationError(
                "the perceptron trains on one language", fix: "use model=mlp, cnn, bigru-att or han for pooled languages")
        }
        if alignment != nil, options.model != .bigruAtt, options.model != .han { // the networks with `sentenceVectors`
            throw ClassificationError(
                "align= (Sent-Ali) needs a sentence encoder", fix: "use model=bigru-att or model=han with align=, or drop align=")
        }
        let lexicon: Vocabulary
        let table: Matrix
        if multilingual {
            lexicon = Vocabulary(
                sides.flatMap { side in side.space.vocabulary.words.map { TextClassifier.multilingualKey($0, language: side.language) } })
            guard lexicon.count == sides.reduce(0, { $0 + $1.space.count }) else {
                throw ClassificationError("a side of the space repeats a word")
            }
            var stacked = Matrix(rows: lexicon.count, cols: sides[0].space.dimension)
            var offset = 0
            for side in sides {
                let v = side.space.vectors
                for k in v.storage.indices { stacked.storage[offset + k] = v.storage[k] }
                offset += v.storage.count
            }
            table = stacked
        } else {
            lexicon = sides[0].space.vocabulary
            table = sides[0].space.vectors
        }
        if let dev, dev.labelNames != data.labelNames {
            throw ClassificationError(
                """
                the dev set's labels (\(dev.labelNames.joined(separator: ", "))) differ from the training set's \
                (\(data.labelNames.joined(separator: ", ")))
                """)
        }
        if let dev, !languages.contains(dev.language) {
            throw ClassificationError(
                "the dev set is in \(dev.language) but the classifier reads \(languages.joined(separator: ", "))",
                fix: "give a dev set in one of the training languages")
        }
        if options.model != .perceptron {
            for set in sets {
                if let empty = set.documents.firstIndex(where: \.isEmpty) {
                    throw ClassificationError(
                        "document \(empty + 1) of the \(set.language) training set is empty (no tokens)",
                        fix: "drop empty documents from the training set")
                }
            }
        }
        let classes = data.labelNames.count
        let epochs = options.resolvedEpochs
        guard epochs >= 1 else { throw ClassificationError("epochs must be at least 1, got \(epochs)") }
        var shell = try TextClassifier(
            model: options.model, language: data.language, labelNames: data.labelNames,
            lexicon: lexicon,
            head: .perceptron(
                PerceptronClassifier(
                    vocabulary: lexicon, embeddings: table,
                    perceptron: AveragedPerceptron(classes: classes, dimension: table.cols))))
        shell.languages = languages
        var bags: [[Int]] = []
        var tokens = 0.0, covered = 0.0
        for set in sets {
            let (setBags, setCoverage) = shell.bags(set.documents, language: set.language)
            bags += setBags
            let n = Double(set.tokenCount)
            tokens += n
            covered += n * setCoverage
        }
        let coverage = tokens == 0 ? 0 : covered / tokens
        let labels = sets.flatMap(\.labels)
        var counts = [Int](repeating: 0, count: classes)
        for label in labels { counts[label] += 1 }
        var majorityLabel = 0
        for k in counts.indices where counts[k] > counts[majorityLabel] { majorityLabel = k }
        var seen = [Bool](repeating: false, count: lexicon.count)
        for bag in bags { for id in bag { seen[id] = true } }
        let devCoverage = dev.map { shell.bags($0.documents, language: $0.language).coverage }
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
        case .balanced: weights = ClassWeights.balanced(labels: labels, classes: classes)
        case .log: weights = ClassWeights.logarithmic(labels: labels, classes: classes)
        }
        let dropout = options.resolvedDropout
        guard dropout >= 0, dropout < 1 else { throw ClassificationError("dropout rate must be in [0, 1), got \(dropout)") }
        if options.model == .han {
            guard sets.contains(where: { SentenceSplitter.hasMarks($0.documents) }) else {
                throw ClassificationError(
                    """
                    han reads documents as sentences, but no token of the training documents ends a sentence or clause \
                    (. ! ? ; : ,): their punctuation was stripped when they were loaded; load them with punct=keep
                    """)
            }
        }
        do {
            var generator = SplitMix64(seed: options.seed)
            let trainable = options.resolvedUpdateEmbeddings, units = options.resolvedHidden
            let network: any ClassifierNetwork
            switch options.model {
            case .cnn:
                network = SequenceClassifierNetwork(
                    cnnOver: table, trainableEmbeddings: trainable, widths: options.widths, filters: options.filters, classes: classes,
                    dropout: dropout, classWeights: weights, generator: &generator)
            case .bigruAtt:
                network = SequenceClassifierNetwork(
                    biGRUOver: table, trainableEmbeddings: trainable, units: units, classes: classes, dropout: dropout,
                    classWeights: weights, generator: &generator)
            case .han:
                network = HierarchicalClassifierNetwork(
                    over: table, trainableEmbeddings: trainable, units: units, classes: classes, dropout: dropout,
                    classWeights: weights, generator: &generator)
            case .boe, .mlp, .perceptron:
                network = BagOfEmbeddingsNetwork(
                    name: options.model.rawValue, table: table, trainableEmbeddings: trainable, hiddenSizes: [units], classes: classes,
                    activation: options.model == .mlp ? .relu : .tanh, dropout: dropout, classWeights: weights, generator: &generator)
            }
            let (trained, result) = try fit(
                network, sets: sets, labels: labels, dev: dev, alignment: alignment, shell: shell, options: options,
                generator: &generator, progress: progress)
            let training = TextClassifierTraining(
                options: options, documents: labels.count, majorityLabel: majorityLabel,
                coverage: coverage, devCoverage: devCoverage, history: result.history,
                keptEpoch: result.keptEpoch, stoppedEarly: result.stoppedEarly,
                interrupted: result.interrupted, classWeights: weights)
            var classifier = try TextClassifier(
                model: options.model, language: data.language, labelNames: data.labelNames, lexicon: lexicon,
                head: .network(trained), initialEmbeddings: trainable ? table : nil,
                seenInTraining: seen, training: training)
            classifier.languages = languages
            return classifier
        } catch let error as NeuralError {
            throw ClassificationError(error.description)
        } catch let error as ClassificationError {
            throw error
        } catch {
            throw ClassificationError("\(error)")
        }
    }

    /// The one training path of every network: its documents through `shell`'s rows, the
    /// classification task (Adam or `options.optimizer` over every trainable parameter), with
    /// `alignment` the Sent-Ali task over the network's sentence encoder, dev accuracy for early
    /// stopping; returns the network holding the kept parameters.
    private static func fit<Network: ClassifierNetwork>(
        _ network: Network, sets: [LabeledDocuments], labels: [Int], dev: LabeledDocuments?, alignment: ParallelCorpus?,
        shell: TextClassifier, options: TextClassifierOptions, generator: inout SplitMix64, progress: ProgressHandler
    ) throws -> (Network, Trainer.Result) {
        var shape = network
        var store = shape.store
        shape.store = ParameterStore() // the trainer owns the parameters; the tasks read them from the tape
        let documents = sets.flatMap { Network.documents($0.documents, language: $0.language, in: shell) }
        let devDocuments = dev.map { Network.documents($0.documents, language: $0.language, in: shell) } ?? []
        let devGold = dev?.labels ?? []
        let model = shape
        func devAccuracy(_ store: ParameterStore) -> Double {
            var trained = model
            trained.store = store
            let predicted = trained.predict(devDocuments)
            return Double(zip(predicted, devGold).filter { $0 == $1 }.count) / Double(max(1, devGold.count))
        }
        let optimizer = try Optimizer(options.optimizer, learningRate: options.resolvedLearningRate)
        let weights = model.classWeights
        // A document's work in a data-parallel shard: its tokens.
        let costs = documents.map { ($0 as? [Int])?.count ?? ($0 as? [[Int]])?.reduce(0) { $0 + $1.count } ?? 1 }
        let shardLoss: @Sendable (inout Tape, [Int], [Int], inout SplitMix64) throws(NeuralError) -> Var = {
            tape, shard, batch, generator in
            model.shardLoss(
                shard.map { documents[$0] }, labels: shard.map { labels[$0] },
                batchWeight: ClassWeights.total(labels: batch.map { labels[$0] }, classWeights: weights), on: &tape, generator: &generator)
        }
        var tasks = [
            TrainingTask(
                name: "classification", examples: labels.count, batchSize: options.resolvedBatchSize, optimizers: [optimizer],
                shardLoss: shardLoss, exampleCost: { costs[$0] }
            ) {
                (tape: inout Tape, batch: [Int], generator: inout SplitMix64) throws(NeuralError) -> Var in
                model.loss(batch.map { documents[$0] }, labels: batch.map { labels[$0] }, on: &tape, generator: &generator)
            }
        ]
        if let alignment {
            tasks.append(try alignmentTask(alignment, encoder: model, store: store, shell: shell, options: options))
        }
        var trainer = try Trainer(
            options: .init(
                epochs: options.resolvedEpochs, patience: dev == nil ? nil : options.resolvedPatience, alternation: .random,
                threads: options.model.isSequence ? options.resolvedThreads : 1),
            tasks: tasks)
        let result = try trainer.train(&store, generator: &generator, devScore: dev == nil ? nil : devAccuracy, progress: progress)
        shape.store = store
        return (shape, result)
    }

    /// Sent-Ali (M'hamdi et al. 2019 §3.2): batches of `corpus`'s pairs, both sides through the
    /// network's sentence encoder, loss 1 − mean cos(S_i, T_i), with its own Adam
    /// (`options.alignLearningRate`) over every shared (non-`output.`) parameter. With
    /// `options.alignNegatives` (default) the loss adds mean cos(S_i, T_{i+1}), each source against
    /// the next pair's target in the batch (an in-batch negative): the paper's loss alone is
    /// minimised by an encoder that maps every sentence to one vector, and on SIB-200 and on small
    /// tests it does collapse (`SentenceEncoderSpread`); with the negative a constant encoder scores
    /// 1, not 0.
    private static func alignmentTask<Network: ClassifierNetwork>(
        _ corpus: ParallelCorpus, encoder model: Network, store: ParameterStore, shell: TextClassifier, options: TextClassifierOptions
    ) throws -> TrainingTask {
        let pairs = alignmentPairs(corpus, shell: shell)
        guard !pairs.isEmpty else {
            throw ClassificationError(
                "no pair of the parallel corpus has words in the space on both sides", fix: "give a corpus in the space's languages")
        }
        let shared = store.parameters.filter { !store.name($0).hasPrefix("output.") }
        let aligner = try Optimizer(.adam, learningRate: options.alignLearningRate, parameters: shared)
        let negatives = options.alignNegatives
        return TrainingTask(
            name: "alignment", examples: pairs.count, batchSize: options.resolvedBatchSize, optimizers: [aligner],
            shardLoss: { tape, shard, batch, _ in
                alignmentShareLoss(model, pairs: pairs, shard: shard, batch: batch, negatives: negatives, on: &tape)
            },
            exampleCost: { pairs[$0].source.count + pairs[$0].target.count }
        ) {
            (tape: inout Tape, batch: [Int], _: inout SplitMix64) throws(NeuralError) -> Var in
            alignmentLoss(model, pairs: pairs, batch: batch, negatives: negatives, on: &tape)
        }
    }

    /// The Sent-Ali loss of one batch of `pairs`: 1 − mean cos(S_i, T_i), plus with `negatives` and
    /// at least 2 pairs mean cos(S_i, T_{(i+1) mod n}).
    static func alignmentLoss<Network: ClassifierNetwork>(
        _ model: Network, pairs: [(source: [Int], target: [Int])], batch: [Int], negatives: Bool, on tape: inout Tape
    ) -> Var {
        guard let source = model.sentenceVectors(batch.map { pairs[$0].source }, on: &tape),
            let target = model.sentenceVectors(batch.map { pairs[$0].target }, on: &tape)
        else { preconditionFailure("align= was checked to need a sentence encoder") }
        let loss = tape.add(
            tape.constant(Matrix(rows: 1, cols: 1, repeating: 1)), tape.mean(tape.cosineSimilarity(source, target)), beta: -1)
        guard negatives, batch.count >= 2 else { return loss }
        let next = tape.pickRows(target, ids: batch.indices.map { ($0 + 1) % batch.count })
        return tape.add(loss, tape.mean(tape.cosineSimilarity(source, next)))
    }

    /// Data-parallel Sent-Ali: the share of the batch's alignment loss carried by `shard` (a
    /// consecutive part of `batch`, positions a..<b of n): (|shard|/n)·(1 − mean_shard cos(S_i, T_i))
    /// plus, with `negatives` and n ≥ 2, (|shard|/n)·mean_shard cos(S_i, T_{(i+1) mod n}). The
    /// negative of the shard's last pair is the target at position b mod n, which this shard encodes
    /// as well (an extra target row; its gradient is this shard's share), so the shares of a split
    /// add up to the whole batch's loss.
    static func alignmentShareLoss<Network: ClassifierNetwork>(
        _ model: Network, pairs: [(source: [Int], target: [Int])], shard: [Int], batch: [Int], negatives: Bool, on tape: inout Tape
    ) -> Var {
        let n = batch.count, m = shard.count
        guard let start = batch.firstIndex(of: shard[0]) else { preconditionFailure("a shard is part of its batch") }
        let withNegative = negatives && n >= 2
        let targets = shard.map { pairs[$0].target } + (withNegative ? [pairs[batch[(start + m) % n]].target] : [])
        guard let source = model.sentenceVectors(shard.map { pairs[$0].source }, on: &tape),
            let target = model.sentenceVectors(targets, on: &tape)
        else { preconditionFailure("align= was checked to need a sentence encoder") }
        let c = Float(m) / Float(n)
        let own = withNegative ? tape.pickRows(target, ids: Array(0..<m)) : target
        let share = tape.add(
            tape.constant(Matrix(rows: 1, cols: 1, repeating: 1)), tape.mean(tape.cosineSimilarity(source, own)), alpha: c, beta: -c)
        guard withNegative else { return share }
        let next = tape.pickRows(target, ids: Array(1...m))
        return tape.add(share, tape.mean(tape.cosineSimilarity(source, next)), beta: c)
    }

    /// The pairs of `corpus` as embedding-row sequences of `shell`'s sides (a pair with no known
    /// word on either side is dropped).
    static func alignmentPairs(_ corpus: ParallelCorpus, shell: TextClassifier) -> [(source: [Int], target: [Int])] {
        func side(_ c: Corpus) -> [[Int]] {
            let sentences = (0..<c.sentenceCount).map { s in c.sentence(s).map { c.vocabulary[Int($0)] } }
            return shell.bags(sentences, language: c.language).bags
        }
        return zip(side(corpus.source), side(corpus.target)).filter { !$0.0.isEmpty && !$0.1.isEmpty }.map { ($0.0, $0.1) }
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
