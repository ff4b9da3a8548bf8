import Embeddings

#if canImport(Glibc)
import Glibc
#endif

/// `tsne X.f32 [--rows N] [--perplexity 30] [--iterations 750] [--early-iterations 250]
/// [--exaggeration 12] [--learning-rate auto|η] [--theta 0.5] [--method automatic|exact|barnesHut]
/// [--init pca|random] [--seed 1] [--kl-every 50] [--repeats 1] [--exact-kl 0|1] [--dump OUT.f32]
/// [--threads 1] [--nodes 3] [--min-intervals 50] [--interval-width 1] [--early-momentum 0.5] [--momentum 0.8]
/// [--reset-step 1]`: our t-SNE on the first N
/// rows of a matrix file on `--threads` workers (method `fft` = interpolation). Reports the best fit time of the
/// repeats (affinities + optimisation, the span openTSNE's and scikit-learn's `fit` cover), the
/// final KL (our estimate; with `--exact-kl 1` also the exact-Z KL over our P) and the KL
/// curve; `--dump` writes the N × 2 coordinates as an XLF32MAT file.
///
/// `tsne --glove-corpus TEXT.gz --glove-out X.f32 [--language de] [--dim 40] [--glove-iterations 15]`
/// instead trains GloVe (min count 5, window 10, one thread, seed 1) and writes W + C, rows in
/// descending corpus frequency, for the benchmark's "N most frequent words".
func taskTSNE(_ args: Arguments) {
    if let corpus = args.options["glove-corpus"] {
        writeGloVeVectors(corpus: corpus, args: args)
        return
    }
    let path = args.arg(0, "matrix file")
    let points = readMatrix(path, maxRows: args.options["rows"].flatMap { Int($0) })
    var options = TSNEOptions()
    options.perplexity = args.double("perplexity", options.perplexity)
    options.iterations = args.int("iterations", options.iterations)
    options.earlyExaggerationIterations = args.int("early-iterations", options.earlyExaggerationIterations)
    options.earlyExaggeration = args.double("exaggeration", options.earlyExaggeration)
    if let rate = args.options["learning-rate"], rate != "auto" {
        guard let value = Double(rate) else { fail("--learning-rate takes a number or auto, got \(rate)") }
        options.learningRate = value
    }
    options.theta = args.double("theta", options.theta)
    if let knn = args.options["knn"] {
        guard let value = TSNENeighborSearch(rawValue: knn) else { fail("--knn takes automatic, exact or approximate, got \(knn)") }
        options.neighbors = value
    }
    options.forest = forestOptions(args)
    if let method = args.options["method"] {
        guard let value = TSNEMethod(rawValue: method) else { fail("--method takes automatic, exact, barnesHut or fft, got \(method)") }
        options.method = value
    }
    if let initialization = args.options["init"] {
        guard let value = TSNEInitialization(rawValue: initialization) else { fail("--init takes pca or random, got \(initialization)") }
        options.initialization = value
    }
    options.seed = UInt64(args.int("seed", 1))
    options.klEvery = args.int("kl-every", options.klEvery)
    options.threads = max(1, args.int("threads", 1))
    options.earlyMomentum = args.double("early-momentum", options.earlyMomentum)
    options.finalMomentum = args.double("momentum", options.finalMomentum)
    options.resetsStepAfterExaggeration = args.int("reset-step", options.resetsStepAfterExaggeration ? 1 : 0) != 0
    options.interpolation.nodes = args.int("nodes", options.interpolation.nodes)
    options.interpolation.minIntervals = args.int("min-intervals", options.interpolation.minIntervals)
    options.interpolation.intervalWidth = args.double("interval-width", options.interpolation.intervalWidth)
    let repeats = max(1, args.int("repeats", 1))

    var best = Double.infinity
    var result: TSNEResult?
    for _ in 0..<repeats {
        let start = MonotonicClock.seconds()
        do {
            let run = try TSNE(options: options).embed(points)
            let seconds = MonotonicClock.seconds() - start
            if seconds < best {
                best = seconds
                result = run
            }
        } catch { fail("\(error)") }
    }
    guard let result else { fail("no run") }
    var json = common("tsne")
    json.set("matrix", path)
    json.set("n", points.rows)
    json.set("dim", points.cols)
    json.set("perplexity", options.perplexity)
    json.set("iterations", options.iterations)
    json.set("early_iterations", options.earlyExaggerationIterations)
    json.set("exaggeration", options.earlyExaggeration)
    json.set("learning_rate", result.learningRate)
    json.set("early_learning_rate", result.earlyLearningRate)
    json.set("neighbor_search", result.neighborSearch.rawValue)
    json.set("theta", options.theta)
    json.set("method", result.method.rawValue)
    json.set("seed", Int(options.seed))
    json.set("repeats", repeats)
    json.set("threads", options.threads)
    json.set("fit_seconds", best)
    json.set("affinity_seconds", result.affinitySeconds)
    json.set("optimization_seconds", result.optimizationSeconds)
    json.set("completed_iterations", result.completedIterations)
    json.set("final_kl", result.finalKL)
    json.set("kl_iterations", result.klHistory.map { Double($0.iteration) })
    json.set("kl_history", result.klHistory.map(\.kl))
    if args.int("exact-kl", 0) != 0 {
        let affinities = TSNEAffinities(points: points, perplexity: options.perplexity)
        json.set("exact_kl", TSNE.exactKL(affinities, coordinates: result.coordinates))
    }
    if let dump = args.options["dump"] {
        writeMatrix(result.coordinates, to: dump)
        json.set("dump", dump)
    }
    finish(&json)
}

/// The approximate kNN settings: `[--trees 1] [--cell-size 1024] [--probes 12] [--probe-share 0.25] [--rounds 1] [--fanout 12] [--knn-seed 1]`.
func forestOptions(_ args: Arguments) -> TSNENeighborForest {
    var forest = TSNENeighborForest()
    forest.trees = max(1, args.int("trees", forest.trees))
    forest.cellSize = max(2, args.int("cell-size", forest.cellSize))
    forest.probes = max(1, args.int("probes", forest.probes))
    forest.probeShare = min(1, max(0, args.double("probe-share", forest.probeShare)))
    forest.lloydIterations = max(0, args.int("lloyd", forest.lloydIterations))
    forest.refinementRounds = max(0, args.int("rounds", forest.refinementRounds))
    forest.refinementFanout = max(1, args.int("fanout", forest.refinementFanout))
    forest.seed = UInt64(args.int("knn-seed", 1))
    return forest
}

/// `tsne-knn X.f32 [--rows N] [--k 90] [--threads 1] [--exact 1] [--sample Q]` + the forest options:
/// the approximate kNN's time and, with `--exact 1`, the exact sweep's time and the recall
/// (mean and worst row) of the approximate lists against the exact ones; `--sample Q` instead
/// measures the recall on Q evenly spaced query rows, their exact lists by direct distances.
func taskTSNEKnn(_ args: Arguments) {
    let path = args.arg(0, "matrix file")
    let points = readMatrix(path, maxRows: args.options["rows"].flatMap { Int($0) })
    let k = args.int("k", 90), threads = max(1, args.int("threads", 1))
    let forest = forestOptions(args)
    let t0 = MonotonicClock.seconds()
    let approximate = forest.approximateIndices(points, k: k, threads: threads)
    let approximateSeconds = MonotonicClock.since(t0)
    var json = common("tsne-knn")
    json.set("n", points.rows)
    json.set("k", k)
    json.set("threads", threads)
    json.set("trees", forest.trees)
    json.set("cell_size", forest.cellSize)
    json.set("probes", forest.probes)
    json.set("probe_share", forest.probeShare)
    json.set("lloyd", forest.lloydIterations)
    json.set("rounds", forest.refinementRounds)
    json.set("fanout", forest.refinementFanout)
    json.set("approximate_seconds", approximateSeconds)
    let sample = args.int("sample", 0)
    if sample > 0 {
        // Recall over `sample` evenly spaced query rows, their exact lists by direct distances.
        let n = points.rows, q = min(sample, n)
        let rows = (0..<q).map { $0 * n / q }
        let t1 = MonotonicClock.seconds()
        let exact = TSNENeighborForest.exactIndices(of: rows, in: points, k: k, threads: threads)
        json.set("sample_exact_seconds", MonotonicClock.since(t1))
        let picked = rows.flatMap { approximate[($0 * k)..<(($0 + 1) * k)] }
        let recall = TSNENeighborForest.recall(approximate: Array(picked), exact: exact, k: k)
        json.set("sample", q)
        json.set("recall", recall.mean)
        json.set("worst_row_recall", recall.worst)
    } else if args.int("exact", 1) != 0 {
        let t1 = MonotonicClock.seconds()
        let exact = TSNENeighborForest.exactIndices(points, k: k, threads: threads)
        json.set("exact_seconds", MonotonicClock.since(t1))
        let recall = TSNENeighborForest.recall(approximate: approximate, exact: exact, k: k)
        json.set("recall", recall.mean)
        json.set("worst_row_recall", recall.worst)
    }
    finish(&json)
}

/// `tsne-gradient Y.f32 P-PREFIX [--method fft|barnesHut|exact] [--theta 0.5] [--exaggeration 1]
/// [--threads 1] --out G.f64`: our gradient g = ¼ ∂KL/∂y at the coordinates Y (N × 2) over a P
/// given as raw little-endian CSR arrays `PREFIX.indptr` (int64, N + 1), `PREFIX.indices`
/// (int32) and `PREFIX.data` (float64); writes g as N × 2 float64 and reports the KL estimate.
/// For the differential test against openTSNE's gradient on the same P and Y.
func taskTSNEGradient(_ args: Arguments) {
    let y = readMatrix(args.arg(0, "coordinates file"))
    let prefix = args.arg(1, "P prefix")
    guard y.cols == 2 else { fail("coordinates must be N × 2, got \(y.rows) × \(y.cols)") }
    let indptr: [Int64] = readRaw(prefix + ".indptr")
    let indices: [Int32] = readRaw(prefix + ".indices")
    let data: [Double] = readRaw(prefix + ".data")
    guard let p = TSNEAffinities(count: y.rows, rowStart: indptr.map { Int($0) }, columns: indices, values: data) else {
        fail("\(prefix).* is not an N × N CSR matrix with N = \(y.rows)")
    }
    let name = args.options["method"] ?? "fft"
    guard let method = TSNEMethod(rawValue: name) else { fail("--method takes exact, barnesHut or fft, got \(name)") }
    let start = MonotonicClock.seconds()
    let (g, kl) = TSNE.gradient(
        p, coordinates: y.storage.map(Double.init), method: method, theta: args.double("theta", 0.5),
        exaggeration: args.double("exaggeration", 1), threads: max(1, args.int("threads", 1)))
    let seconds = MonotonicClock.since(start)
    guard let out = args.options["out"] else { fail("tsne-gradient needs --out G.f64") }
    writeRaw(g, to: out)
    var json = common("tsne-gradient")
    json.set("n", y.rows)
    json.set("method", method.rawValue)
    json.set("kl", kl)
    json.set("seconds", seconds)
    json.set("out", out)
    finish(&json)
}

/// `tsne-p X.f32 [--rows N] [--perplexity 30] [--threads 1] --out PREFIX`: the exact-kNN P of the
/// first N rows written as CSR arrays `PREFIX.indptr` (int64), `PREFIX.indices` (int32) and
/// `PREFIX.data` (float64), the format `tsne-gradient` reads: the neutral P over which the
/// benchmark scores both tools' maps.
func taskTSNEP(_ args: Arguments) {
    let points = readMatrix(args.arg(0, "matrix file"), maxRows: args.options["rows"].flatMap { Int($0) })
    guard let prefix = args.options["out"] else { fail("tsne-p needs --out PREFIX") }
    let start = MonotonicClock.seconds()
    let p = TSNEAffinities(points: points, perplexity: args.double("perplexity", 30), threads: max(1, args.int("threads", 1)))
    let seconds = MonotonicClock.since(start)
    writeRaw(p.rowStart.map { Int64($0) }, to: prefix + ".indptr")
    writeRaw(p.columns, to: prefix + ".indices")
    writeRaw(p.values, to: prefix + ".data")
    var json = common("tsne-p")
    json.set("n", points.rows)
    json.set("entries", p.values.count)
    json.set("seconds", seconds)
    json.set("out", prefix)
    finish(&json)
}

/// The whole file as an array of `T` (raw little-endian values).
func readRaw<T>(_ path: String) -> [T] {
    guard let file = fopen(path, "rb") else { fail("cannot open \(path)") }
    defer { fclose(file) }
    fseek(file, 0, SEEK_END)
    let bytes = ftell(file)
    fseek(file, 0, SEEK_SET)
    let count = bytes / MemoryLayout<T>.stride
    let raw = UnsafeMutableRawPointer.allocate(byteCount: max(bytes, 1), alignment: 16)
    defer { raw.deallocate() }
    guard fread(raw, 1, bytes, file) == bytes else { fail("short read of \(path)") }
    return Array(UnsafeBufferPointer(start: raw.bindMemory(to: T.self, capacity: count), count: count))
}

/// Writes `values` as raw little-endian bytes.
func writeRaw<T>(_ values: [T], to path: String) {
    guard let file = fopen(path, "wb") else { fail("cannot write \(path)") }
    defer { fclose(file) }
    values.withUnsafeBytes { bytes in _ = fwrite(bytes.baseAddress, 1, bytes.count, file) }
}

/// Trains the benchmark's GloVe vectors (see `taskTSNE`) and writes them.
func writeGloVeVectors(corpus: String, args: Arguments) {
    guard let out = args.options["glove-out"] else { fail("--glove-corpus needs --glove-out X.f32") }
    let t0 = MonotonicClock.seconds()
    let data = BenchCooccurrence.load(
        path: corpus, language: args.options["language"] ?? "de", lines: nil,
        minCount: args.int("min-count", 5), window: 10)
    let options = GloVeOptions(
        dimension: args.int("dim", 40), iterations: args.int("glove-iterations", 15),
        xMax: 100, alpha: 0.75, learningRate: 0.05, threads: 1, seed: 1)
    let model: GloVeModel
    do { model = try GloVeTrainer(options: options).train(data.matrix) } catch { fail("\(error)") }
    guard let sum = try? model.words.adding(model.contexts) else { fail("GloVe word and context shapes differ") }
    writeMatrix(sum, to: out)
    var json = common("tsne-glove-vectors")
    json.set("corpus", corpus)
    json.set("vocabulary", data.vocabularySize)
    json.set("dim", options.dimension)
    json.set("glove_iterations", options.iterations)
    json.set("final_cost", model.history.finalLoss ?? .nan)
    json.set("seconds", MonotonicClock.seconds() - t0)
    json.set("out", out)
    finish(&json)
}
