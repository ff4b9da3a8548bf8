import Embeddings

#if canImport(Glibc)
import Glibc
#endif

/// `classifier`: trains a `TextClassifier` on SIB-200 English with the committed 50-d GloVe
/// (`notebooks/data/glove-en-sib200`) and reports the training time per epoch, the documents
/// per second and the test accuracy.
func taskClassifier(_ args: Arguments) {
    if let dir = args.options["dump"] { return dumpClassifierSteps(args, dir: dir) }
    if let path = args.options["sequences"] { return dumpSequences(args, path: path) }
    let vectors = args.options["vectors"] ?? "notebooks/data/glove-en-sib200/en.vec.gz"
    let sib = args.options["sib200"] ?? "notebooks/data/sib200/eng_Latn"
    var options = TextClassifierOptions()
    options.model = TextClassifierModel(rawValue: args.options["model"] ?? "boe") ?? .boe
    // han reads sentences: its documents keep their punctuation (as `%load labeled … punct=keep`).
    let tokenizer = Tokenizer(stripPunctuation: options.model != .han)
    let space: EmbeddingSpace, train: LabeledDocuments, test: LabeledDocuments
    do {
        space = try Word2VecText.load(path: vectors, language: "en").0
        train = try LabeledDocuments.read(path: sib + "/train.tsv", language: "en", format: .sib200, tokenizer: tokenizer)
        test = try LabeledDocuments.read(path: sib + "/test.tsv", language: "en", format: .sib200, tokenizer: tokenizer)
    } catch { fail("\(error)") }
    options.updateEmbeddings = args.int("update-emb", 1) != 0
    options.epochs = args.options["epochs"].flatMap { Int($0) } // nil: the model's default (50, perceptron 10)
    options.hidden = args.options["hidden"].flatMap { Int($0) } // nil: the model's default
    options.batchSize = args.options["batch"].flatMap { Int($0) }
    options.seed = UInt64(args.int("seed", 0))
    var best = Double.infinity, bestCPU = Double.infinity
    var accuracy = 0.0
    var profile = (worker: 0.0, critical: 0.0)
    for _ in 0..<max(1, args.int("repeats", 3)) {
        DataParallelProfile.reset()
        let t0 = MonotonicClock.seconds(), c0 = processCPUSeconds()
        let classifier: TextClassifier
        do { classifier = try TextClassifier.train(train, space: space, options: options) } catch { fail("training failed: \(error)") }
        best = min(best, MonotonicClock.seconds() - t0)
        let cpu = processCPUSeconds() - c0
        if cpu < bestCPU { profile = (DataParallelProfile.workerSeconds, DataParallelProfile.criticalSeconds) }
        bestCPU = min(bestCPU, cpu)
        accuracy = (try? classifier.evaluate(test).accuracy) ?? .nan
    }
    let epochs = options.resolvedEpochs
    var json = common("classifier")
    json.set("model", options.model.rawValue)
    json.set("update_emb", options.resolvedUpdateEmbeddings)
    json.set("vocabulary", space.count)
    json.set("dim", space.dimension)
    json.set("hidden", options.resolvedHidden)
    json.set("epochs", epochs)
    json.set("documents", train.count)
    json.set("train_seconds_best", best)
    json.set("seconds_per_epoch", best / Double(epochs))
    json.set("cpu_seconds_per_epoch", bestCPU / Double(epochs)) // user + system, all threads (a shared machine inflates wall time)
    // Data-parallel runs (threads ≥ 2): the workers' thread CPU and the critical path (Σ over steps of
    // the slowest worker), and the wall time an idle machine would give (`DataParallelProfile`).
    json.set("worker_cpu_seconds_per_epoch", profile.worker / Double(epochs))
    json.set("critical_cpu_seconds_per_epoch", profile.critical / Double(epochs))
    json.set("idle_wall_estimate_per_epoch", (bestCPU - profile.worker + profile.critical) / Double(epochs))
    json.set("documents_per_second", Double(train.count * epochs) / best)
    json.set("test_accuracy", accuracy)
    finish(&json)
}

/// `classifier --dump DIR`: the bag-of-embeddings network before and after `--steps` Adam
/// steps on consecutive 32-document batches of SIB-200 English (no shuffling), for the numpy
/// replay in `Tests/reference/test_boe_reference.py`. Writes raw little-endian float32 files
/// (`table`, `w0`, `b0`, `w1`, `b1`, each also `*_after`), `bags.txt` (label, then row ids, per
/// document) and `meta.json` (shapes, settings, the per-step losses).
func dumpClassifierSteps(_ args: Arguments, dir: String) {
    let vectors = args.options["vectors"] ?? "notebooks/data/glove-en-sib200/en.vec.gz"
    let sib = args.options["sib200"] ?? "notebooks/data/sib200/eng_Latn"
    let space: EmbeddingSpace, train: LabeledDocuments
    do {
        space = try Word2VecText.load(path: vectors, language: "en").0.normalized([.unit])
        train = try LabeledDocuments.read(path: sib + "/train.tsv", language: "en", format: .sib200)
    } catch { fail("\(error)") }
    let steps = args.int("steps", 3), batch = 32, hidden = args.int("hidden", 16)
    let weighted = args.int("balanced", 1) != 0
    let classes = train.labelNames.count
    var generator = SplitMix64(seed: UInt64(args.int("seed", 0)))
    guard var optimizer = try? Optimizer(.adam, learningRate: Float(args.double("eta", 0.003))) else { fail("settings") }
    let weights = weighted ? ClassWeights.balanced(labels: train.labels, classes: classes) : nil
    var network = BagOfEmbeddingsNetwork(
        table: space.vectors, trainableEmbeddings: true, hiddenSizes: [hidden], classes: classes, activation: .tanh, dropout: 0,
        classWeights: weights, generator: &generator)
    let bags = train.documents.map { $0.compactMap { space.vocabulary.id($0) } }
    mkdir(dir, 0o755)
    func save(_ name: String, _ values: [Float]) {
        let file = BinaryFile(dir + "/\(name).f32")
        file.write(values)
        file.close()
    }
    func saveAll(_ suffix: String) {
        let store = network.store
        save("table" + suffix, network.table.storage)
        save("w0" + suffix, store[network.hidden[0].weight].storage)
        save("b0" + suffix, store[network.hidden[0].bias].storage)
        save("w1" + suffix, store[network.output.weight].storage)
        save("b1" + suffix, store[network.output.bias].storage)
    }
    saveAll("")
    var losses: [Double] = []
    for step in 0..<steps {
        let ids = Array((step * batch)..<min((step + 1) * batch, train.count))
        // The trainer's step, by hand: zero-grad, forward on a tape, backward, Adam.
        network.store.zeroGrad()
        var tape = Tape(network.store)
        let loss = network.loss(ids.map { bags[$0] }, labels: ids.map { train.labels[$0] }, on: &tape, generator: &generator)
        losses.append(Double(tape[loss].storage[0]))
        tape.backward(from: loss, into: &network.store)
        optimizer.step(&network.store)
    }
    saveAll("_after")
    var text = ""
    for (bag, label) in zip(bags, train.labels).prefix(steps * batch) {
        text += ([label] + bag).map(String.init).joined(separator: " ") + "\n"
    }
    let file = BinaryFile(dir + "/bags.txt")
    file.write(Array(text.utf8))
    file.close()
    var meta = JSON()
    meta.set("vocabulary", space.count)
    meta.set("dim", space.dimension)
    meta.set("hidden", hidden)
    meta.set("classes", classes)
    meta.set("batch", batch)
    meta.set("steps", steps)
    meta.set("eta", args.double("eta", 0.003))
    meta.set("balanced", weighted)
    meta.set("losses", losses)
    meta.set(
        "class_weights", (weights ?? []).map(Double.init))
    let metaFile = BinaryFile(dir + "/meta.json")
    metaFile.write(Array((meta.text + "\n").utf8))
    metaFile.close()
}

/// `classifier --sequences FILE`: the training documents of SIB-200 English as row-id sequences
/// of the committed GloVe vocabulary (tokens in order, unknown ones dropped, as the classifiers
/// read them), one line per document: label, then ids; the first line holds the vocabulary size
/// and dimension. For the PyTorch anchor of `Tests/bench/neural_bench.py`. With `--sentences 1`
/// (the han row) the documents keep their punctuation and are split as `han` splits them
/// (`SentenceSplitter`; a token is looked up as is, else without its edge punctuation; sentences
/// with no known word dropped), the sentences of a line separated by `|`.
func dumpSequences(_ args: Arguments, path: String) {
    let vectors = args.options["vectors"] ?? "notebooks/data/glove-en-sib200/en.vec.gz"
    let sib = args.options["sib200"] ?? "notebooks/data/sib200/eng_Latn"
    let sentences = args.int("sentences", 0) != 0
    let space: EmbeddingSpace, train: LabeledDocuments
    do {
        space = try Word2VecText.load(path: vectors, language: "en").0
        train = try LabeledDocuments.read(
            path: sib + "/train.tsv", language: "en", format: .sib200, tokenizer: Tokenizer(stripPunctuation: !sentences))
    } catch { fail("\(error)") }
    let stripper = Tokenizer(lowercase: false, stripPunctuation: true)
    func row(_ token: String) -> Int? { space.vocabulary.id(token) ?? stripper.tokens(token).first.flatMap { space.vocabulary.id($0) } }
    var text = "\(space.count) \(space.dimension) \(train.labelNames.count)\n"
    for (tokens, label) in zip(train.documents, train.labels) {
        guard sentences else {
            text += ([label] + tokens.compactMap { space.vocabulary.id($0) }).map(String.init).joined(separator: " ") + "\n"
            continue
        }
        let parts = SentenceSplitter.sentences(tokens).map { tokens[$0].compactMap(row) }.filter { !$0.isEmpty }
        text += "\(label) " + parts.map { $0.map(String.init).joined(separator: " ") }.joined(separator: " | ") + "\n"
    }
    let file = BinaryFile(path)
    file.write(Array(text.utf8))
    file.close()
}
