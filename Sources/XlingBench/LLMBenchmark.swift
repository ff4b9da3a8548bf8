import Embeddings

#if canImport(Glibc)
import Glibc
#endif

/// `llm GENERAL_SOURCE SPECIFIC_SOURCE GENERAL_TARGET [--k 10] [--delta 1e-3] [--method llm|linear]
/// [--ridge 0] [--threads T] [--repeats R] [--self-out K] [--dump DIR]`
///
/// Cross-task transfer (Sakuma & Yoshinaga 2019, `Embeddings/Transfer`). Inputs are XLF32MAT
/// files or word2vec text files (`.vec`, `.txt`, optionally `.gz`). One warm-up run, then R
/// timed runs of `LocallyLinearMapping.map` (or `LinearProjection.fit` + `apply`); best and
/// median seconds. `--dump DIR` writes the last run's outputs for the numpy reference
/// (`Tests/reference/llm_reference.py`): `specific_target.f32` (n_t×d_t), and for `llm`
/// `neighbors.f32` (n_t×k source indices, exact in fp32 below 2²⁴), `cosines.f32`,
/// `weights.f32` (α, n_t×k); for `linear` `weights_linear.f32` (d_g×d_t). `--self-out K` also
/// dumps `self_out_K.f32`, the leave-self-out reconstruction of the source with k = K
/// (`NeighborhoodTuning`).
func taskLLM(_ args: Arguments) {
    let generalSource = readAnyMatrix(args.arg(0, "GENERAL_SOURCE file"))
    let specificSource = readAnyMatrix(args.arg(1, "SPECIFIC_SOURCE file"))
    let generalTarget = readAnyMatrix(args.arg(2, "GENERAL_TARGET file"))
    let method = args.options["method"] ?? "llm"
    let options = LocallyLinearMappingOptions(
        k: args.int("k", 10), regularization: args.double("delta", 1e-3),
        threads: args.options["threads"].flatMap { Int($0) })
    let ridge = args.double("ridge", 0)
    let repeats = max(1, args.int("repeats", 3))
    let dump = args.options["dump"]
    var times: [Double] = []
    var json = common("llm")
    do {
        var last: Matrix?
        var lastResult: LocallyLinearMappingResult?
        var lastProjection: LinearProjection?
        for run in 0...repeats {
            let t0 = MonotonicClock.seconds()
            switch method {
            case "llm":
                let result = try LocallyLinearMapping(options: options).map(
                    generalSource: generalSource, specificSource: specificSource, generalTarget: generalTarget,
                    diagnostics: dump != nil)
                last = result.specificTarget
                lastResult = result
            case "linear":
                let projection = try LinearProjection.fit(generalSource: generalSource, specificSource: specificSource, ridge: ridge)
                last = try projection.apply(generalTarget)
                lastProjection = projection
            default:
                fail("unknown --method \(method); use llm or linear")
            }
            if run > 0 { times.append(MonotonicClock.seconds() - t0) }
        }
        guard let output = last else { fail("no run") }
        json.set("method", method)
        json.set("n_source", generalSource.rows)
        json.set("n_target", generalTarget.rows)
        json.set("d_general", generalSource.cols)
        json.set("d_specific", specificSource.cols)
        json.set("k", options.k)
        json.set("delta", options.regularization)
        json.set("threads", options.threads)
        json.set("repeats", repeats)
        json.set("best_seconds", times.min() ?? .nan)
        json.set("median_seconds", median(times))
        json.set("seconds", times)
        json.set("finite", output.isFinite)
        json.set("checksum", output.storage.reduce(0.0) { $0 + Double($1) })
        if let result = lastResult { json.set("exact_matches", result.exactMatches) }
        if let dir = dump {
            mkdir(dir, 0o755)
            writeMatrix(output, to: dir + "/specific_target.f32")
            if let d = lastResult?.diagnostics {
                let k = d.k, n = d.count
                writeMatrix(matrix(rows: n, cols: k, d.neighbors.map { Float($0) }), to: dir + "/neighbors.f32")
                writeMatrix(matrix(rows: n, cols: k, d.cosines), to: dir + "/cosines.f32")
                writeMatrix(matrix(rows: n, cols: k, d.weights), to: dir + "/weights.f32")
                let histogram = d.weightHistogram(bins: 10)
                json.set("alpha_nearest_mean_abs", histogram.nearestMean)
                json.set("alpha_others_mean_abs", histogram.othersMean)
            }
            if let projection = lastProjection { writeMatrix(projection.weights, to: dir + "/weights_linear.f32") }
            if let selfOut = args.options["self-out"].flatMap({ Int($0) }) {
                var rebuilt: Matrix?
                _ = try NeighborhoodTuning.tune(
                    generalSource: generalSource, specificSource: specificSource,
                    candidates: [selfOut], options: options
                ) { _, m in
                    rebuilt = m
                    return 0
                }
                if let rebuilt { writeMatrix(rebuilt, to: dir + "/self_out_\(selfOut).f32") }
            }
            json.set("dump", dir)
        }
    } catch { fail("\(error)") }
    finish(&json)
}

/// `llm-glove --corpora A.txt.gz,B.txt.gz,… [--lines N] [--min-count 1] [--window 10] [--dim 40]
/// [--iterations 15] [--threads 2] [--seed 1] --out FILE.f32 [--words FILE.txt]`
///
/// Real general vectors for the transfer benchmark: one GloVe model (`GloVeTrainer`, W + C) over
/// the concatenation of the given tokenized corpora (e.g. several Europarl languages, so that one
/// space holds every language's words), co-occurrences from the engine's `CooccurrenceCounter`.
/// Writes the V×dim vectors (rows by decreasing frequency) as XLF32MAT and the words, one per line.
func taskLLMGloVe(_ args: Arguments) {
    guard let list = args.options["corpora"], let out = args.options["out"] else {
        fail("llm-glove needs --corpora A,B,… and --out FILE.f32")
    }
    let lines = args.options["lines"].flatMap { Int($0) }
    let threads = args.int("threads", 2)
    let t0 = MonotonicClock.seconds()
    var corpora: [Corpus] = []
    for path in list.split(separator: ",").map(String.init) {
        do { corpora.append(try Corpus.read(path: path, language: "mixed", maxLines: lines)) } catch { fail("\(error)") }
    }
    guard let first = corpora.first else { fail("no corpus given") }
    let corpus = first.concatenating(Array(corpora.dropFirst()))
    let v = corpus.vocabularySize(minCount: args.int("min-count", 1))
    let matrix: CooccurrenceMatrix
    do {
        matrix = try CooccurrenceCounter.monolingual(
            corpus, vocabularySize: v,
            options: CooccurrenceOptions(window: args.int("window", 10), threads: threads))
    } catch { fail("\(error)") }
    let t1 = MonotonicClock.seconds()
    let options = GloVeOptions(
        dimension: args.int("dim", 40), iterations: args.int("iterations", 15), xMax: 30,
        threads: threads, schedule: .stratified, seed: UInt64(args.int("seed", 1)))
    let model: GloVeModel
    do { model = try GloVeTrainer(options: options).train(matrix) } catch { fail("\(error)") }
    let t2 = MonotonicClock.seconds()
    let vectors = model.vectors(.sum)
    writeMatrix(vectors, to: out)
    if let wordsPath = args.options["words"] {
        let file = BinaryFile(wordsPath)
        file.write(Array(corpus.vocabulary.words.prefix(v).joined(separator: "\n").utf8) + [10])
        file.close()
    }
    var json = common("llm-glove")
    json.set("corpora", list)
    json.set("tokens", corpus.tokenCount)
    json.set("vocabulary", v)
    json.set("records", matrix.count)
    json.set("dim", options.dimension)
    json.set("iterations", options.iterations)
    json.set("final_cost", model.history.finalLoss ?? .nan)
    json.set("count_seconds", t1 - t0)
    json.set("train_seconds", t2 - t1)
    json.set("out", out)
    finish(&json)
}

/// An XLF32MAT file, or word2vec text when the name ends in .vec/.txt (optionally .gz).
func readAnyMatrix(_ path: String) -> Matrix {
    let plain = path.hasSuffix(".gz") ? String(path.dropLast(3)) : path
    if plain.hasSuffix(".vec") || plain.hasSuffix(".txt") {
        do { return try Word2VecText.load(path: path).0.vectors } catch { fail("\(error)") }
    }
    return readMatrix(path)
}

/// Writes `m` as XLF32MAT (see `readMatrix`).
func writeMatrix(_ m: Matrix, to path: String) {
    var header = Array("XLF32MAT".utf8)
    appendLE(&header, UInt64(m.rows))
    appendLE(&header, UInt64(m.cols))
    let file = BinaryFile(path)
    file.write(header)
    file.write(m.storage)
    file.close()
}

func matrix(rows: Int, cols: Int, _ values: [Float]) -> Matrix {
    do { return try Matrix(rows: rows, cols: cols, values: values) } catch { fail("\(error)") }
}
