import Embeddings

#if canImport(Glibc)
import Glibc
#endif

/// `cofactor [--first PATH] [--second PATH] [--lines N] [--min-count 3] [--window 10]
/// [--pairs 20000] [--dim 40] [--iterations 50] [--threads 2] [--optimizer sgd|adaGrad]
/// [--eta 0.025] [--seed 1]`
///
/// Times a CLSim co-factorization (Shi et al. 2015) at realistic sizes: the two monolingual
/// matrices are the bench's brute-force window counts (`BenchCooccurrence`) of Europarl en and
/// de; the similarity pairs are SYNTHETIC (random (j, k) among the ids below both vocabulary
/// sizes, similarity uniform in (0, 1]) because this branch has no translation table — they
/// cost what real pairs cost. Reports wall seconds (total and per iteration), the process CPU
/// seconds, records, the per-term losses, and glove.c's time for the two monolingual halves
/// alone at the rate (2 × 50 × 1.035 s).
func taskCofactor(_ args: Arguments) {
    if let dir = args.options["dump"] {
        dumpCofactor(args, to: dir)
        return
    }
    let base = "notebooks/data/europarl-en-de/"
    let lines = args.options["lines"].flatMap { Int($0) }
    let minCount = args.int("min-count", 3), window = args.int("window", 10)
    let first = BenchCooccurrence.load(
        path: args.options["first"] ?? base + "en.txt.gz", language: "en",
        lines: lines, minCount: minCount, window: window)
    let second = BenchCooccurrence.load(
        path: args.options["second"] ?? base + "de.txt.gz", language: "de",
        lines: lines, minCount: minCount, window: window)
    let shared = Swift.min(first.vocabularySize, second.vocabularySize)
    var generator = SplitMix64(seed: 99)
    var pairs: [(source: Int32, target: Int32, similarity: Float)] = []
    for _ in 0..<args.int("pairs", 20_000) {
        pairs.append(
            (
                Int32(generator.next() % UInt64(shared)), Int32(generator.next() % UInt64(shared)),
                1 - generator.nextFloat()
            ))
    }
    let options = CofactorOptions(
        dimension: args.int("dim", 40), iterations: args.int("iterations", 50),
        optimizer: CofactorOptions.Optimizer(rawValue: args.options["optimizer"] ?? "sgd") ?? .sgd,
        learningRate: args.double("eta", 0.025), threads: args.int("threads", 2),
        seed: UInt64(args.int("seed", 1)))
    let cpu0 = processCPUSeconds(), t0 = MonotonicClock.seconds()
    let model: CofactorModel
    do {
        model = try CofactorTrainer(options: options).train(
            first: first.matrix, second: second.matrix,
            cross: .similarity(pairs))
    } catch { fail("\(error)") }
    let wall = MonotonicClock.seconds() - t0, cpu = processCPUSeconds() - cpu0
    var json = common("cofactor")
    json.set("first_vocabulary", first.vocabularySize)
    json.set("second_vocabulary", second.vocabularySize)
    json.set("first_records", first.matrix.count)
    json.set("second_records", second.matrix.count)
    json.set("similarity_pairs", pairs.count)
    json.set("pairs_note", "synthetic random pairs (timing only)")
    json.set("dim", options.dimension)
    json.set("iterations", model.history.completedIterations)
    json.set("threads", options.threads)
    json.set("optimizer", options.optimizer.rawValue)
    json.set("wall_seconds", wall)
    json.set("cpu_seconds", cpu)
    json.set("median_iteration_seconds", median(model.history.seconds))
    let records = Double(first.matrix.count + second.matrix.count + pairs.count)
    json.set("ns_per_record_wall", median(model.history.seconds) / records * 1e9)
    json.set("loss_total", model.history.losses)
    json.set("loss_first_final", model.terms.last?.first ?? .nan)
    json.set("loss_second_final", model.terms.last?.second ?? .nan)
    json.set("loss_cross_final", model.terms.last?.cross ?? .nan)
    json.set("glovec_two_halves_seconds_at_issue_rate", 2 * 50 * 1.035)
    finish(&json)
}

/// User + system CPU seconds of this process so far (all threads).
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6
}
