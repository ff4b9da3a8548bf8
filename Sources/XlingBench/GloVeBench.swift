import Embeddings

#if canImport(Glibc)
import Glibc
#endif

/// `glove [--corpus PATH] [--language en] [--lines N] [--min-count 3] [--window 10] [--dim 40]
/// [--iterations 10] [--x-max 30] [--alpha 0.75] [--eta 0.05] [--threads-list 1,2] [--repeats 2]
/// [--seed 1] [--bias-eta 0|1] [--schedule hogwild|stratified] [--dump DIR] [--crec PATH]`
///
/// Counts co-occurrences with the bench's own brute-force counter (`BenchCooccurrence`), then:
///
/// * timing mode (default): trains `repeats` times per thread count for `iterations`
///   iterations and reports the median ns per record, records/s, the speed-up over one thread
///   and the final costs. `--crec PATH` also writes the records (shuffled as the trainer
///   shuffles them) as glove.c CREC records (int32 word1, int32 word2, float64 value, 1-based)
///   for a same-run glove.c anchor.
/// * `--dump DIR`: writes, for the numpy reference (`Tests/reference/glove_reference.py`),
///   `records.bin` (the shuffled records: int32 row, int32 col, float64 value, 0-based, LE),
///   `W.f32`, `C.f32` (V×d), `bw.f32`, `bc.f32` (V) — the initial parameters, float32 LE —
///   and `meta.json` (sizes, options, the per-iteration costs of a 1-thread run).
func taskGloVe(_ args: Arguments) {
    let path = args.options["corpus"] ?? "notebooks/data/europarl-en-de/en.txt.gz"
    let t0 = MonotonicClock.seconds()
    let data = BenchCooccurrence.load(
        path: path, language: args.options["language"] ?? "en",
        lines: args.options["lines"].flatMap { Int($0) },
        minCount: args.int("min-count", 3), window: args.int("window", 10))
    let countSeconds = MonotonicClock.seconds() - t0
    let matrix = data.matrix
    var options = GloVeOptions(
        dimension: args.int("dim", 40), iterations: args.int("iterations", 10),
        xMax: args.double("x-max", 30), alpha: args.double("alpha", 0.75),
        learningRate: args.double("eta", 0.05), threads: 1,
        seed: UInt64(args.int("seed", 1)))
    options.biasUsesLearningRate = args.int("bias-eta", 0) != 0
    options.schedule = GloVeOptions.Schedule(rawValue: args.options["schedule"] ?? "hogwild") ?? .hogwild
    var json = common("glove")
    json.set("corpus", path)
    json.set("sentences", data.corpus.sentenceCount)
    json.set("tokens", data.corpus.tokenCount)
    json.set("vocabulary", data.vocabularySize)
    json.set("records", matrix.count)
    json.set("count_seconds", countSeconds)
    json.set("counter", "bench brute-force window count (BenchCooccurrence), symmetric, 1/d")
    json.set("dim", options.dimension)
    json.set("iterations", options.iterations)
    json.set("x_max", options.xMax)
    json.set("schedule", options.schedule.rawValue)

    if let dir = args.options["dump"] {
        dumpGloVe(matrix, options: options, to: dir)
        json.set("dump", dir)
        finish(&json)
        return
    }
    if let crec = args.options["crec"] {
        writeCREC(matrix, order: GloVeTrainer(options: options).recordOrder(count: matrix.count), to: crec)
    }

    let threadCounts = (args.options["threads-list"] ?? "1,2").split(separator: ",").compactMap { Int($0) }
    let repeats = Swift.max(1, args.int("repeats", 2))
    var nsPerRecord: [Int: Double] = [:]
    for threads in threadCounts {
        options.threads = threads
        var perIteration: [Double] = []
        var finalCosts: [Double] = []
        var cpu = 0.0, wall = 0.0
        for _ in 0..<repeats {
            let model: GloVeModel
            let cpu0 = processCPUSeconds(), wall0 = MonotonicClock.seconds()
            do { model = try GloVeTrainer(options: options).train(matrix) } catch { fail("\(error)") }
            cpu += processCPUSeconds() - cpu0
            wall += MonotonicClock.seconds() - wall0
            perIteration += model.history.seconds
            finalCosts.append(model.history.finalLoss ?? .nan)
            if threads == threadCounts.first { json.set("costs_\(threads)t", model.history.losses) }
        }
        let ns = median(perIteration) / Double(matrix.count) * 1e9
        nsPerRecord[threads] = ns
        json.set("ns_per_record_\(threads)t", ns)
        json.set("ns_per_record_best_\(threads)t", (perIteration.min() ?? .nan) / Double(matrix.count) * 1e9)
        json.set("records_per_second_\(threads)t", 1e9 / ns)
        json.set("final_cost_\(threads)t", finalCosts)
        // CPU seconds per wall second while training: < threads when other processes share the cores.
        json.set("cpu_utilisation_\(threads)t", cpu / wall)
    }
    if let one = nsPerRecord[1], let two = nsPerRecord[2] { json.set("speedup_2t", one / two) }
    json.set("glovec_issue_ns_per_record_1t", 630.0)
    json.set("glovec_issue_speedup_2t", 1.58)
    finish(&json)
}

/// Writes the dump described at `taskGloVe`.
func dumpGloVe(_ matrix: CooccurrenceMatrix, options: GloVeOptions, to dir: String) {
    var initialOptions = options
    initialOptions.iterations = 0
    let trainer = GloVeTrainer(options: options)
    let initial: GloVeModel, trained: GloVeModel
    do {
        initial = try GloVeTrainer(options: initialOptions).train(matrix)
        trained = try trainer.train(matrix)
    } catch { fail("\(error)") }
    mkdir(dir, 0o755)
    var bytes: [UInt8] = []
    bytes.reserveCapacity(matrix.count * 16)
    for e in trainer.recordOrder(count: matrix.count) {
        appendLE(&bytes, UInt32(bitPattern: matrix.rows[e]))
        appendLE(&bytes, UInt32(bitPattern: matrix.columns[e]))
        appendLE(&bytes, matrix.values[e].bitPattern)
    }
    let records = BinaryFile(dir + "/records.bin")
    records.write(bytes)
    records.close()
    for (name, values) in [
        ("W", initial.words.storage), ("C", initial.contexts.storage),
        ("bw", initial.wordBiases), ("bc", initial.contextBiases),
    ] {
        let file = BinaryFile(dir + "/\(name).f32")
        file.write(values)
        file.close()
    }
    var meta = JSON()
    meta.set("vocabulary", matrix.rowCount)
    meta.set("records", matrix.count)
    meta.set("dim", options.dimension)
    meta.set("iterations", options.iterations)
    meta.set("x_max", options.xMax)
    meta.set("alpha", options.alpha)
    meta.set("eta", options.learningRate)
    meta.set("grad_clip", options.gradientClip)
    meta.set("bias_uses_eta", options.biasUsesLearningRate)
    meta.set("losses", trained.history.losses)
    let file = BinaryFile(dir + "/meta.json")
    file.write(Array((meta.text + "\n").utf8))
    file.close()
}

/// glove.c's CREC file (int32 word1, int32 word2, float64 value; 1-based ids) in `order`.
func writeCREC(_ matrix: CooccurrenceMatrix, order: [Int], to path: String) {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(matrix.count * 16)
    for e in order {
        appendLE(&bytes, UInt32(bitPattern: matrix.rows[e] + 1))
        appendLE(&bytes, UInt32(bitPattern: matrix.columns[e] + 1))
        appendLE(&bytes, matrix.values[e].bitPattern)
    }
    let file = BinaryFile(path)
    file.write(bytes)
    file.close()
}

/// Appends `value` in little-endian byte order.
func appendLE<T: FixedWidthInteger>(_ bytes: inout [UInt8], _ value: T) {
    var v = value.littleEndian
    withUnsafeBytes(of: &v) { bytes.append(contentsOf: $0) }
}
