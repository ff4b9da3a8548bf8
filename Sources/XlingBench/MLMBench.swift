import Embeddings
import XlingCore

#if canImport(Glibc)
import Glibc
#endif

/// `mlm`: training throughput of `MultilingualLM` (Wada & Iwata 2018) on Europarl en–de, in
/// direction-tokens per second (Σ(len + 1) over every (language, direction) batch of the timed
/// updates ÷ wall time), after `--warmup` bucket indices; each bucket index is 4 updates (2
/// languages × forward, backward). `--dump PATH` writes the timed buckets (`lang bucket ids…`
/// per sentence, warm-up first) so `Tests/bench/mlm_bench.py` runs PyTorch on the same batches.
/// `--data-parallel 0` at 2 threads splits only the softmax rows (the path before data parallelism).
/// `--epochs E` instead trains E epochs with `MLMTrainer` and prints, per epoch, the loss per
/// token, the selection criterion and BLI P@1 (CSLS, covered pairs) on the xling-eval en–de 2k
/// test pairs, lowercased.
func taskMLM(_ args: Arguments) {
    let lines = args.int("lines", 4000), minCount = args.int("min-count", 3)
    let vocab = args.int("vocab", 5000), dim = args.int("dim", 128), hidden = args.int("hidden", 128)
    let layers = args.int("layers", 1), batch = args.int("batch", 64)
    let warmup = args.int("warmup", 1), timed = args.int("buckets", 5)
    var corpora: [LMCorpus] = []
    for l in ["en", "de"] {
        guard let c = try? Corpus.read(path: "notebooks/data/europarl-en-de/\(l).txt.gz", language: l, maxLines: lines),
            let lm = try? LMCorpus(c, minCount: minCount, maxWords: vocab - 1)
        else { fail("cannot read notebooks/data/europarl-en-de/\(l).txt.gz") }
        corpora.append(lm)
    }
    guard let buckets = try? LMBuckets(corpora.map(\.sentences), batchSize: batch, seed: 1),
        var model = try? MultilingualLM(
            .init(vocabularySizes: corpora.map(\.words.count), embedding: dim, hidden: hidden, layers: layers, dropout: 0.3), seed: 1)
    else { fail("cannot build the model") }
    model.threads = min(BLAS.threads, 2)
    model.dataParallel = args.int("data-parallel", model.dataParallel ? 1 : 0) != 0
    model.softmaxChunkRows = args.int("chunk", model.softmaxChunkRows)
    if let epochs = args.options["epochs"].flatMap({ Int($0) }) { return trainMLM(&model, corpora: corpora, epochs: epochs, batch: batch) }
    let order = Array(buckets.order(epoch: 0, seed: 1).prefix(warmup + timed))
    if let path = args.options["dump"] {
        var text = ""
        for k in order {
            for l in 0..<2 { for s in buckets.buckets[l][k] { text += "\(l) \(k) " + s.map(String.init).joined(separator: " ") + "\n" } }
        }
        guard let f = fopen(path, "w") else { fail("cannot write \(path)") }
        fputs(text, f)
        fclose(f)
    }
    // As `MLMTrainer`: data-parallel updates run with OpenBLAS single-threaded, set once.
    let blasThreads = BLAS.threads
    if model.threads >= 2 && model.dataParallel { BLAS.setThreads(1) }
    defer { BLAS.setThreads(blasThreads) }
    var generator = SplitMix64(seed: 2)
    var tokens = 0
    var start = 0.0, cpuStart = 0.0
    for (i, k) in order.enumerated() {
        if i == warmup {
            tokens = 0
            start = MonotonicClock.seconds()
            cpuStart = processCPUSeconds()
            DataParallelProfile.reset()
        }
        for l in 0..<2 {
            for d in MultilingualLM.Direction.allCases {
                tokens +=
                    model.step(language: l, direction: d, sentences: buckets.buckets[l][k], learningRate: 1, clip: 5, generator: &generator)
                    .tokens
            }
        }
    }
    let seconds = MonotonicClock.since(start), cpu = processCPUSeconds() - cpuStart
    var json = JSON()
    json.set("task", "mlm")
    json.set("vocab", corpora.map(\.words.count).map(String.init).joined(separator: ","))
    json.set("dim", dim)
    json.set("hidden", hidden)
    json.set("layers", layers)
    json.set("tokens", tokens)
    json.set("seconds", seconds)
    json.set("tokens_per_second", Double(tokens) / seconds)
    json.set("cpu_seconds", cpu)
    // Data-parallel updates: the workers' thread CPU, the critical path (Σ of the slowest worker per
    // update) and the wall time an idle machine would give (`DataParallelProfile`).
    json.set("worker_cpu_seconds", DataParallelProfile.workerSeconds)
    json.set("critical_cpu_seconds", DataParallelProfile.criticalSeconds)
    json.set("idle_wall_estimate", cpu - DataParallelProfile.workerSeconds + DataParallelProfile.criticalSeconds)
    print(json.text)
}

/// `mlm --epochs E`: a real training run with the selection criterion and BLI per epoch.
func trainMLM(_ model: inout MultilingualLM, corpora: [LMCorpus], epochs: Int, batch: Int) {
    guard
        let dict = try? Corpus.read(
            path: "notebooks/data/xling-eval-en-de/yacle.test.freq.2k.en-de.tsv.gz", language: "en-de", tokenizer: .whitespace)
    else { fail("cannot read the en-de test dictionary") }
    let words = dict.vocabulary.words
    let pairs = (0..<dict.sentenceCount).compactMap { s -> (source: String, target: String)? in
        let t = dict.sentence(s).map { words[Int($0)] }
        // Lowercased like the corpora (the file keeps German nouns capitalised).
        return t.count == 2 ? (t[0].lowercased(), t[1].lowercased()) : nil
    }
    for epoch in 0..<epochs {
        var options = MLMTrainer.Options()
        options.epochs = 1
        options.batchSize = batch
        options.seed = UInt64(epoch + 1)
        let start = MonotonicClock.seconds()
        guard let result = try? MLMTrainer.train(&model, corpora: corpora, options: options),
            let en = try? model.space(language: 0, corpus: corpora[0]), let de = try? model.space(language: 1, corpus: corpora[1]),
            let bli = try? BLIEvaluation.evaluate(source: en, target: de, dictionary: pairs, methods: [.csls(k: 10)], ks: [1, 10])
        else { fail("training failed") }
        var json = JSON()
        json.set("epoch", epoch + 1)
        json.set("seconds", MonotonicClock.since(start))
        json.set("loss_per_token", result.epochs[0].lossPerToken.flatMap { $0 })
        json.set("criterion", result.epochs[0].criterion ?? .nan)
        json.set("bli_p1", bli.methods[0].precision(at: 1, .vecmap) ?? .nan)
        json.set("bli_p10", bli.methods[0].precision(at: 10, .vecmap) ?? .nan)
        json.set("coverage", bli.methods[0].counts.coverage)
        print(json.text)
    }
}
