import Embeddings

/// `classifier`: trains a `TextClassifier` on SIB-200 English with the committed 50-d GloVe
/// (`notebooks/data/glove-en-sib200`) and reports the training time per epoch, the documents
/// per second and the test accuracy.
func taskClassifier(_ args: Arguments) {
    let vectors = args.options["vectors"] ?? "notebooks/data/glove-en-sib200/en.vec.gz"
    let sib = args.options["sib200"] ?? "notebooks/data/sib200/eng_Latn"
    let space: EmbeddingSpace, train: LabeledDocuments, test: LabeledDocuments
    do {
        space = try Word2VecText.load(path: vectors, language: "en").0
        train = try LabeledDocuments.read(path: sib + "/train.tsv", language: "en", format: .sib200)
        test = try LabeledDocuments.read(path: sib + "/test.tsv", language: "en", format: .sib200)
    } catch { fail("\(error)") }
    var options = TextClassifierOptions()
    options.model = TextClassifierModel(rawValue: args.options["model"] ?? "boe") ?? .boe
    options.updateEmbeddings = args.int("update-emb", 1) != 0
    options.epochs = args.int("epochs", 50)
    options.hidden = args.int("hidden", 300)
    options.batchSize = args.int("batch", 32)
    options.seed = UInt64(args.int("seed", 0))
    var best = Double.infinity
    var accuracy = 0.0
    for _ in 0..<max(1, args.int("repeats", 3)) {
        let t0 = now()
        guard let classifier = try? TextClassifier.train(train, space: space, options: options) else { fail("training failed") }
        best = min(best, now() - t0)
        accuracy = (try? classifier.evaluate(test).accuracy) ?? .nan
    }
    let epochs = options.resolvedEpochs
    var json = common("classifier")
    json.set("model", options.model.rawValue)
    json.set("update_emb", options.updateEmbeddings)
    json.set("vocabulary", space.count)
    json.set("dim", space.dimension)
    json.set("hidden", options.hidden)
    json.set("epochs", epochs)
    json.set("documents", train.count)
    json.set("train_seconds_best", best)
    json.set("seconds_per_epoch", best / Double(epochs))
    json.set("documents_per_second", Double(train.count * epochs) / best)
    json.set("test_accuracy", accuracy)
    finish(&json)
}
