// Tasks for the unsupervised / self-learning mappings (issue 16): VecMap's initial dictionary
// and whole run, RCSLS (timing, and a dump for the numpy parity test).
import Embeddings

#if canImport(Glibc)
import Glibc
#endif

/// Loads a .vec[.gz] space, failing the process on error; returns the seconds it took.
func loadSpace(_ path: String) -> (EmbeddingSpace, Double) {
    let t0 = MonotonicClock.seconds()
    do { return (try Word2VecText.load(path: path).0, MonotonicClock.since(t0)) } catch { fail("\(error)") }
}

func loadPairs(_ path: String) -> [(source: String, target: String)] {
    do { return try BilingualDictionary.load(path: path).pairs.map { ($0.source, $0.target) } } catch { fail("\(error)") }
}

/// BLI P@1/5/10 (NN, CSLS; covered words) of a mapping on normalised spaces.
func bliScores(_ mapping: BilingualMapping, source: EmbeddingSpace, target: EmbeddingSpace, test: String, json: inout JSON) {
    do {
        let (s, t) = try mapping.apply(source: source, target: target)
        let result = try BLIEvaluation.evaluate(source: s, target: t, dictionary: loadPairs(test))
        for method in result.methods {
            let name = method.method == .nn ? "nn" : "csls"
            for k in [1, 5, 10] {
                json.set("p\(k)_\(name)", method.precision(at: k, .muse) ?? .nan)
            }
        }
        json.set("test_covered", result.counts.coveredSourceWords)
    } catch { fail("\(error)") }
}

/// `vecmap-init SRC TGT OUT.tsv [--vocab 4000] [--rank 64]`: our unsupervised initial dictionary (`--rank 0`: dense product), written
/// as `source_row<TAB>target_row` lines (compare with Tests/reference/vecmap_init_reference.py).
func taskVecMapInit(_ args: Arguments) {
    var (source, _) = loadSpace(args.arg(0, "SRC"))
    var (target, _) = loadSpace(args.arg(1, "TGT"))
    let out = args.arg(2, "OUT")
    source.normalize([.unit, .center, .unit])
    target.normalize([.unit, .center, .unit])
    let t0 = MonotonicClock.seconds()
    let pairs: TrainingPairs
    var stages: [String: Double] = [:], cpuStages: [String: Double] = [:]
    var cpuMark = processCPUSeconds()
    do {
        pairs = try VecMapInitialization.dictionary(
            source: source.vectors, target: target.vectors, vocabulary: args.int("vocab", 4000),
            threads: args.options["threads"].flatMap { Int($0) } ?? WorkerThreads.defaultThreads,
            sketchRank: args.int("rank", VecMapInitialization.defaultSketchRank)
        ) { name, seconds in
            stages[name, default: 0] += seconds
            let now = processCPUSeconds()
            cpuStages[name, default: 0] += now - cpuMark
            cpuMark = now
        }
    } catch { fail("\(error)") }
    let seconds = MonotonicClock.since(t0)
    guard let file = fopen(out, "w") else { fail("cannot write \(out)") }
    for (i, j) in zip(pairs.sourceRows, pairs.targetRows) { fputs("\(i)\t\(j)\n", file) }
    fclose(file)
    var json = common("vecmap-init")
    json.set("pairs", pairs.count)
    json.set("seconds", seconds)
    for (name, value) in stages.sorted(by: { $0.key < $1.key }) { json.set("stage \(name)", value) }
    for (name, value) in cpuStages.sorted(by: { $0.key < $1.key }) { json.set("cpu \(name)", value) }
    finish(&json)
}

/// `vecmap SRC TGT --test DICT [--seed 0] [--interval 50] [--cutoff 20000] [--iters N]
/// [--init unsupervised|identical] [--threads T] [--screen float32|bfloat16]`: the whole run, with BLI on
/// the test dictionary (`--screen`: the one-sweep iteration's tiles, default the fastest this CPU runs).
func taskVecMap(_ args: Arguments) {
    var (source, srcLoad) = loadSpace(args.arg(0, "SRC"))
    var (target, tgtLoad) = loadSpace(args.arg(1, "TGT"))
    source.normalize([.unit, .center, .unit])
    target.normalize([.unit, .center, .unit])
    var options = VecMapSelfLearning.Options()
    options.seed = UInt64(args.int("seed", 0))
    options.interval = args.int("interval", options.interval)
    options.cutoff = args.int("cutoff", options.cutoff)
    options.maxIterations = args.options["iters"].flatMap { Int($0) }
    options.candidates = args.int("candidates", options.candidates)
    options.singleSweep = args.int("sweeps", 1) == 1
    options.keptCandidates = args.int("kept", options.keptCandidates)
    options.search = NeighborSearch(
        blockRows: args.int("block-rows", 1024), blockColumns: args.int("block-columns", 512),
        threads: args.options["threads"].flatMap { Int($0) },
        screen: args.options["screen"].map { name -> SimilarityScreen in
            guard let screen = SimilarityScreen(rawValue: name) else { fail("--screen float32|bfloat16") }
            return screen
        } ?? .fastest)
    let t0 = MonotonicClock.seconds()
    let initial: TrainingPairs
    do {
        if args.options["init"] == "identical" {
            initial = IdenticalStrings.pairs(source: source, target: target)
        } else {
            initial = try VecMapInitialization.dictionary(source: source.vectors, target: target.vectors)
        }
    } catch { fail("\(error)") }
    let initSeconds = MonotonicClock.since(t0)
    let result: VecMapSelfLearning.Result
    // Per stage: wall seconds and process CPU seconds, summed over iterations 2… (the one-sweep ones).
    var stageWall: [String: Double] = [:], stageCPU: [String: Double] = [:]
    var cpuClock = processCPUSeconds(), iterationsSeen = 0
    let stages: (String, Double) -> Void = { name, wall in
        let now = processCPUSeconds()
        defer { cpuClock = now }
        if name == "procrustes" { iterationsSeen += 1 }
        guard iterationsSeen >= 2 else { return }
        stageWall[name, default: 0] += wall
        stageCPU[name, default: 0] += now - cpuClock
    }
    do {
        result = try VecMapSelfLearning.run(
            source: source.vectors, target: target.vectors, initial: initial, options: options, stages: stages)
    } catch { fail("\(error)") }
    let total = MonotonicClock.since(t0)
    var json = common("vecmap")
    json.set("load_seconds", srcLoad + tgtLoad)
    json.set("init_seconds", initSeconds)
    json.set("total_seconds", total)
    json.set("iterations", result.history.count)
    json.set("iteration_seconds", result.history.map(\.seconds))
    json.set("process_cpu_seconds", processCPUSeconds())
    json.set("objective", result.history.map(\.objective))
    json.set("dense_rows", result.denseRows)
    // FNV-1a of the last dictionary's (source, target) rows in order: equal hashes ⇒ (almost surely) the same dictionary.
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for (i, j) in zip(result.dictionary.sourceRows, result.dictionary.targetRows) {
        for v in [UInt64(i), UInt64(j)] {
            hash = (hash ^ v) &* 0x100_0000_01b3
        }
    }
    json.set("dictionary_hash", String(hash, radix: 16))
    json.set("screen", options.search.screen.effective.rawValue)
    json.set("dictionary_pairs", result.dictionary.count)
    for (name, value) in stageWall.sorted(by: { $0.key < $1.key }) {
        json.set("stage \(name) wall", value)
        json.set("stage \(name) cpu", stageCPU[name] ?? 0)
    }
    json.set("converged", result.converged)
    bliScores(result.mapping, source: source, target: target, test: args.options["test"] ?? "", json: &json)
    finish(&json)
}

/// `rcsls SRC TGT --dict TRAIN --test TEST [--iters 10] [--projection none|spectral|orthogonal]`: time, peak
/// memory and BLI of RCSLS on the whole vocabularies as negatives; also the time of one CSLS
/// retrieval of every source word over the whole target vocabulary.
func taskRCSLS(_ args: Arguments) {
    var (source, _) = loadSpace(args.arg(0, "SRC"))
    var (target, _) = loadSpace(args.arg(1, "TGT"))
    source.normalize([.unit])
    target.normalize([.unit])
    let train = TrainingPairs.lookUp(loadPairs(args.options["dict"] ?? ""), source: source.vocabulary, target: target.vocabulary).pairs
    var options = RCSLS.Options()
    options.iterations = args.int("iters", options.iterations)
    options.projection = RCSLS.Projection(rawValue: args.options["projection"] ?? "none") ?? .none
    let hwm0 = procStatusKiB("VmHWM")
    let t0 = MonotonicClock.seconds()
    let fitted: (map: LinearMap, steps: [RCSLS.Step], interrupted: Bool)
    do { fitted = try RCSLS.fit(source: source.vectors, target: target.vectors, pairs: train, options: options) } catch { fail("\(error)") }
    let seconds = MonotonicClock.since(t0)
    var json = common("rcsls")
    json.set("pairs", train.count)
    json.set("seconds", seconds)
    json.set("loss", fitted.steps.map(\.loss))
    json.set("vm_hwm_before_kib", hwm0)
    let mapping = BilingualMapping(source: fitted.map)
    bliScores(mapping, source: source, target: target, test: args.options["test"] ?? "", json: &json)
    do {
        let mapped = NeighborSearch.unitNormalized(try fitted.map.apply(to: source.vectors))
        let t = NeighborSearch.unitNormalized(target.vectors)
        let t1 = MonotonicClock.seconds()
        _ = try NeighborSearch().search(source: mapped, target: t, k: 10, method: .csls(k: 10))
        json.set("csls_all_seconds", MonotonicClock.since(t1))
        json.set("csls_queries", mapped.rows)
        json.set("csls_targets", t.rows)
    } catch { fail("\(error)") }
    finish(&json)
}

/// `rcsls-dump DIR [--n 300] [--negatives 2000] [--seed 1]`: a fixed W (Procrustes on the first n
/// fi–fr xling-eval pairs, then perturbed), the pair matrices and negatives, and our loss and
/// gradient, as XLF32MAT files in DIR (for Tests/reference/test_rcsls_parity.py).
func taskRCSLSDump(_ args: Arguments) {
    let dir = args.arg(0, "DIR")
    let rows = args.int("negatives", 2000)
    let n = args.int("n", 300)
    var (source, _) = loadSpace(args.options["src"] ?? "/work/shared/data/vectors/spacy-fi-floret-300/fi.vec.gz")
    var (target, _) = loadSpace(args.options["tgt"] ?? "/work/shared/data/vectors/spacy-fr-300/fr.vec.gz")
    source.normalize([.unit])
    target.normalize([.unit])
    let dict = args.options["dict"] ?? "/work/shared/data/dictionaries/xling-eval/bli_datasets/fi-fr/yacle.train.freq.1k.fi-fr.tsv.gz"
    var pairs = TrainingPairs.lookUp(loadPairs(dict), source: source.vocabulary, target: target.vocabulary).pairs
    pairs = TrainingPairs(sourceRows: Array(pairs.sourceRows.prefix(n)), targetRows: Array(pairs.targetRows.prefix(n)))
    do {
        let (x, y) = try trainingMatrices(source: source, target: target, pairs: pairs)
        let zs = try source.vectors.selectingRows(Array(0..<min(rows, source.count)))
        let zt = try target.vectors.selectingRows(Array(0..<min(rows, target.count)))
        var rng = SplitMix64(seed: UInt64(args.int("seed", 1)))
        var w = try Procrustes.fit(x: x, y: y).weights
        for i in 0..<w.storage.count { w.storage[i] += 0.02 * (rng.nextFloat() - 0.5) }
        let eval = try RCSLS.evaluate(x: x, y: y, sourceNegatives: zs, targetNegatives: zt, w: w, k: 10)
        for (name, m) in [("x", x), ("y", y), ("zs", zs), ("zt", zt), ("w", w), ("gradient", eval.gradient)] {
            writeMatrix(m, to: "\(dir)/\(name).f32")
        }
        writeMatrix(try Matrix(rows: 1, cols: 1, values: [Float(eval.loss)]), to: "\(dir)/loss.f32")
        var json = common("rcsls-dump")
        json.set("loss", eval.loss)
        json.set("pairs", x.rows)
        finish(&json)
    } catch { fail("\(error)") }
}

/// `bli-vec SRC.vec TGT.vec --test DICT`: BLI of two already mapped spaces (e.g. VecMap's output),
/// with the same evaluation code as the other tasks.
func taskBLIVec(_ args: Arguments) {
    let (source, _) = loadSpace(args.arg(0, "SRC"))
    let (target, _) = loadSpace(args.arg(1, "TGT"))
    var json = common("bli-vec")
    bliScores(
        BilingualMapping(source: .identity(source.dimension)), source: source, target: target, test: args.options["test"] ?? "", json: &json
    )
    finish(&json)
}

/// `detector [--cases rotated,gaussian,en-fr,fi-fr,fi-gaussian] [--words 5000] [--iters N] [--interval 3]
/// [--refinement 8] [--compare-whole 1]`: the failure detector on unsupervised VecMap maps, each with its BLI P@1 where a
/// test dictionary exists: the fastText en space against a rotated copy (must succeed), en against
/// Gaussian noise (must fail), en against the rotated fr copy of notebook 07 (756 words; the MUSE
/// test pairs), fi–fr (the first `--words` words; the xling-eval test pairs) and fi against
/// Gaussian noise of the same size (must fail).
func taskDetector(_ args: Arguments) {
    let refinement = args.int("refinement", 8)
    let cases = Set((args.options["cases"] ?? "rotated,gaussian").split(separator: ",").map(String.init))
    let words = args.int("words", 5000)
    func vecmap(_ x: Matrix, _ z: Matrix, vocab: Int) throws -> BilingualMapping {
        var options = VecMapSelfLearning.Options()
        options.interval = args.int("interval", 3)
        options.maxIterations = args.options["iters"].flatMap { Int($0) }
        let initial = try VecMapInitialization.dictionary(source: x, target: z, vocabulary: vocab)
        return try VecMapSelfLearning.run(source: x, target: z, initial: initial, options: options).mapping
    }
    /// VecMap from `x` to `z`, judged; BLI on `test` when given (spaces needed for the words).
    func judge(_ name: String, _ x: EmbeddingSpace, _ z: EmbeddingSpace, vocab: Int, test: String? = nil) throws {
        let t0 = MonotonicClock.seconds()
        let m = try vecmap(x.vectors, z.vectors, vocab: vocab)
        let xs = try m.source.apply(to: x.vectors), zs = try m.target.map { try $0.apply(to: z.vectors) } ?? z.vectors
        let j = try FailureDetector.judgeMapping(
            mappedSource: xs, mappedTarget: zs, source: x.vectors, target: z.vectors, refinement: refinement)
        var json = common("detector")
        if args.int("compare-whole", 0) == 1 {
            // The older whole-set criterion (no held-out half) on the same mapping, for comparison.
            let whole = try FailureDetector.judgeMapping(
                mappedSource: xs, mappedTarget: zs, source: x.vectors, target: z.vectors, refinement: refinement, heldOut: false)
            json.set("whole_value", whole.value)
            json.set("whole_null_mean", whole.nullMean)
            json.set("whole_verdict", whole.verdict.rawValue)
        }
        json.set("case", name)
        json.set("verdict", j.verdict.rawValue)
        json.set("value", j.value)
        json.set("null_mean", j.nullMean)
        json.set("null_max", j.nullMax)
        json.set("lift", j.lift)
        json.set("sentence", j.sentence)
        json.set("seconds", MonotonicClock.since(t0))
        if let test { bliScores(m, source: x, target: z, test: test, json: &json) }
        finish(&json)
        fflush(nil)
    }
    func noise(like space: EmbeddingSpace, _ rng: inout SplitMix64) throws -> EmbeddingSpace {
        var g = Matrix(rows: space.count, cols: space.dimension)
        for i in 0..<g.storage.count { g.storage[i] = rng.nextFloat() - 0.5 }
        g.apply([.unit, .center, .unit])
        return try EmbeddingSpace(vocabulary: space.vocabulary, vectors: g)
    }
    do {
        var rng = SplitMix64(seed: 5)
        var (en, _) = loadSpace(args.options["en"] ?? "notebooks/data/fasttext-en-fr-756/en.vec.gz")
        en.normalize([.unit, .center, .unit])
        if cases.contains("rotated") {
            let r = try FailureDetector.randomOrthogonal(en.dimension, rng: &rng)
            try judge("rotated", en, EmbeddingSpace(vocabulary: en.vocabulary, vectors: Matrix.product(en.vectors, r)), vocab: 700)
        }
        if cases.contains("gaussian") { try judge("gaussian", en, noise(like: en, &rng), vocab: 700) }
        if cases.contains("en-fr") {
            var (fr, _) = loadSpace("notebooks/data/fasttext-en-fr-756/fr.rotated.vec.gz")
            fr.normalize([.unit, .center, .unit])
            try judge("en-fr", en, fr, vocab: 700, test: "notebooks/data/muse-en-fr-756/test.at.txt")
        }
        if cases.contains("fi-fr") || cases.contains("fi-gaussian") {
            // Up to 5,000 words the notebook's shipped copy serves (notebooks/data/spacy-fi-fr-5k, run from the checkout).
            let shipped = words <= 5000
            var (fi, _) = loadSpace(
                shipped ? "notebooks/data/spacy-fi-fr-5k/fi.vec.gz" : "/work/shared/data/vectors/spacy-fi-floret-300/fi.vec.gz")
            fi = EmbeddingSpace(prefixOf: fi, count: words)
            fi.normalize([.unit, .center, .unit])
            let vocab = min(4000, words)
            if cases.contains("fi-fr") {
                var (fr, _) = loadSpace(
                    shipped ? "notebooks/data/spacy-fi-fr-5k/fr.vec.gz" : "/work/shared/data/vectors/spacy-fr-300/fr.vec.gz")
                fr = EmbeddingSpace(prefixOf: fr, count: words)
                fr.normalize([.unit, .center, .unit])
                try judge("fi-fr", fi, fr, vocab: vocab, test: "notebooks/data/xling-eval-fi-fr/yacle.test.freq.2k.fi-fr.tsv.gz")
            }
            if cases.contains("fi-gaussian") { try judge("fi-gaussian", fi, noise(like: fi, &rng), vocab: vocab) }
        }
    } catch { fail("\(error)") }
}

extension EmbeddingSpace {
    /// The first `count` words (all when fewer).
    init(prefixOf space: EmbeddingSpace, count: Int) {
        let n = min(count, space.count)
        let vectors = (try? space.vectors.selectingRows(Array(0..<n))) ?? space.vectors
        self = (try? EmbeddingSpace(vocabulary: Vocabulary(Array(space.vocabulary.words.prefix(n))), vectors: vectors)) ?? space
    }
}
