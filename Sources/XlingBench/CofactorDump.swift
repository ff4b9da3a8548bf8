import Embeddings

#if canImport(Glibc)
import Glibc
#endif

/// `cofactor --dump DIR [--objective clc-wa|clc+wa|clsim|none] [--factors contexts|words]
/// [--balance 1|0] [--lines 250] [--parallel-lines 200] [--min-count 3] [--window 5] [--dim 12]
/// [--iterations 1] [--eta 0.025] [--wc 1] [--seed 1]`
///
/// Writes a small real co-factorization problem for the numpy reference
/// (`Tests/reference/cofactor_reference.py`): the monolingual window counts of the first
/// `lines` lines of Europarl en and de (`BenchCooccurrence`), the cross term from the first
/// `parallel-lines` WMT en–de pairs (CLC-WA: eq. 4 counts; CLC+WA: eq. 5 counts around the
/// grow-diag IBM-1 links; CLSim: their translation similarities), then a one-thread run:
///
/// * `first.bin`, `second.bin`, `cross.bin`: count matrices (int32 row, int32 col, float64
///   value; LE), or `pairs.bin` for CLSim (int32 source, int32 target, float32 sim);
/// * `elements.bin`: the elements in visit order (uint8 kind, 3 pad bytes, int32 a, int32 b,
///   float32 target, float32 weight);
/// * `init_*.f32` / `final_*.f32`: W1, C1, W2, C2 (n × d), own-matrix biases b1w, b1c, b2w, b2c,
///   cross-lane biases x1w, x1c, x2w, x2c, and `matrix` (b1, b2, b×), before and after the run;
/// * `meta.json`: sizes, options, the balance, and the per-term losses of every iteration.
func dumpCofactor(_ args: Arguments, to dir: String) {
    let lines = args.int("lines", 250), minCount = args.int("min-count", 3), window = args.int("window", 5)
    let first = BenchCooccurrence.load(
        path: "notebooks/data/europarl-en-de/en.txt.gz", language: "en", lines: lines, minCount: minCount, window: window)
    let second = BenchCooccurrence.load(
        path: "notebooks/data/europarl-en-de/de.txt.gz", language: "de", lines: lines, minCount: minCount, window: window)
    let parallel: ParallelCorpus
    do {
        parallel = try ParallelCorpus.read(
            sourcePath: "notebooks/data/wmt-en-de-10k/train.en.gz", targetPath: "notebooks/data/wmt-en-de-10k/train.de.gz",
            sourceLanguage: "en", targetLanguage: "de", maxLines: args.int("parallel-lines", 200))
    } catch { fail("\(error)") }
    let n1 = first.vocabularySize, n2 = second.vocabularySize
    let sourceMap = parallel.source.idMap(into: first.corpus.vocabulary, limit: n1)
    let targetMap = parallel.target.idMap(into: second.corpus.vocabulary, limit: n2)
    let objective = args.options["objective"] ?? "clc-wa"
    let cross: CrossLingualObjective
    do {
        switch objective {
        case "clc-wa":
            cross = .cooccurrence(
                try CooccurrenceCounter.sentencePairs(parallel, sourceMap: sourceMap, targetMap: targetMap, rows: n1, columns: n2))
        case "clc+wa", "clsim":
            let models = BidirectionalAlignment.train(parallel)
            let alignment = models.symmetrized(.growDiag)
            if objective == "clc+wa" {
                cross = .cooccurrence(
                    try CooccurrenceCounter.alignedWindows(
                        parallel, alignment: alignment, sourceMap: sourceMap, targetMap: targetMap, rows: n1, columns: n2,
                        window: window))
            } else {
                let sims = TranslationSimilarity.compute(
                    forward: models.forward, backward: models.backward, alignment: alignment, parallel: parallel)
                cross = .similarity(
                    sims.compactMap { p in
                        let j = sourceMap[Int(p.source)], k = targetMap[Int(p.target)]
                        return j >= 0 && k >= 0 && p.similarity > 0 ? (j, k, p.similarity) : nil
                    })
            }
        default:
            cross = .none
        }
    } catch { fail("\(error)") }
    var options = CofactorOptions(
        dimension: args.int("dim", 12), iterations: args.int("iterations", 1), crossWeight: args.double("wc", 1),
        learningRate: args.double("eta", 0.025), threads: 1, seed: UInt64(args.int("seed", 1)))
    options.crossFactors = args.options["factors"] == "words" ? .words : .wordsWithContexts
    options.balanceCross = args.int("balance", 1) != 0
    var initialOptions = options
    initialOptions.iterations = 0
    let initial: CofactorModel, trained: CofactorModel
    let elements: [CofactorElement], balance: CofactorBalance
    do {
        initial = try CofactorTrainer(options: initialOptions).train(first: first.matrix, second: second.matrix, cross: cross)
        trained = try CofactorTrainer(options: options).train(first: first.matrix, second: second.matrix, cross: cross)
        (elements, balance) = try CofactorTrainer(options: options).elements(first: first.matrix, second: second.matrix, cross: cross)
    } catch { fail("\(error)") }
    mkdir(dir, 0o755)
    writeCounts(first.matrix, to: dir + "/first.bin")
    writeCounts(second.matrix, to: dir + "/second.bin")
    switch cross {
    case .cooccurrence(let x): writeCounts(x, to: dir + "/cross.bin")
    case .similarity(let pairs):
        var bytes: [UInt8] = []
        for p in pairs {
            appendLE(&bytes, UInt32(bitPattern: p.source))
            appendLE(&bytes, UInt32(bitPattern: p.target))
            appendLE(&bytes, p.similarity.bitPattern)
        }
        let file = BinaryFile(dir + "/pairs.bin")
        file.write(bytes)
        file.close()
    case .none: break
    }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(elements.count * 20)
    for e in elements {
        bytes += [e.kind, 0, 0, 0]
        appendLE(&bytes, UInt32(bitPattern: e.a))
        appendLE(&bytes, UInt32(bitPattern: e.b))
        appendLE(&bytes, e.target.bitPattern)
        appendLE(&bytes, e.weight.bitPattern)
    }
    let file = BinaryFile(dir + "/elements.bin")
    file.write(bytes)
    file.close()
    for (prefix, model) in [("init", initial), ("final", trained)] {
        for (name, values) in [
            ("W1", model.firstWords.storage), ("C1", model.firstContexts.storage),
            ("W2", model.secondWords.storage), ("C2", model.secondContexts.storage),
            ("b1w", model.firstWordBiases), ("b1c", model.firstContextBiases),
            ("b2w", model.secondWordBiases), ("b2c", model.secondContextBiases),
            ("x1w", model.firstCrossBiases), ("x1c", model.firstContextCrossBiases),
            ("x2w", model.secondCrossBiases), ("x2c", model.secondContextCrossBiases),
            ("matrix", [model.matrixBiases.first, model.matrixBiases.second, model.matrixBiases.cross]),
        ] {
            let f = BinaryFile(dir + "/\(prefix)_\(name).f32")
            f.write(values)
            f.close()
        }
    }
    var meta = JSON()
    meta.set("objective", objective)
    meta.set("factors", options.crossFactors.rawValue)
    meta.set("balance", options.balanceCross)
    meta.set("n1", n1)
    meta.set("n2", n2)
    meta.set("dim", options.dimension)
    meta.set("iterations", options.iterations)
    meta.set("eta", options.learningRate)
    meta.set("x_max_mono", options.monolingualXMax)
    meta.set("x_max_cross", options.crossXMax)
    meta.set("alpha", options.alpha)
    meta.set("w1", options.firstWeight)
    meta.set("w2", options.secondWeight)
    meta.set("wc", options.crossWeight)
    meta.set("elements", elements.count)
    meta.set("scale", balance.scale)
    meta.set("repeats", balance.repeats)
    meta.set("loss_first", trained.terms.map(\.first))
    meta.set("loss_second", trained.terms.map(\.second))
    meta.set("loss_cross", trained.terms.map(\.cross))
    let m = BinaryFile(dir + "/meta.json")
    m.write(Array((meta.text + "\n").utf8))
    m.close()
}

/// A count matrix as int32 row, int32 column, float64 value records (LE).
func writeCounts(_ matrix: CooccurrenceMatrix, to path: String) {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(matrix.count * 16)
    for e in 0..<matrix.count {
        appendLE(&bytes, UInt32(bitPattern: matrix.rows[e]))
        appendLE(&bytes, UInt32(bitPattern: matrix.columns[e]))
        appendLE(&bytes, matrix.values[e].bitPattern)
    }
    let file = BinaryFile(path)
    file.write(bytes)
    file.close()
}
