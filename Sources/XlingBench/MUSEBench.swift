// `%align muse`'s engine for the unsupervised benchmark (issue 16): a whole MUSE run with BLI.
import Embeddings

#if canImport(Glibc)
import Glibc
#endif

/// `muse SRC TGT --test DICT [--seed 0] [--epochs 5] [--epoch-size 32000] [--hidden 2048] [--refine 5]
/// [--most-frequent 75000] [--batch 32] [--dis-steps 5] [--lr 0.1] [--normalize unit,center,unit] [--threads T]`: adversarial training, model selection and
/// refinement, with seconds per phase, the criterion per epoch/step and BLI on the test dictionary.
func taskMUSE(_ args: Arguments) {
    var (source, srcLoad) = loadSpace(args.arg(0, "SRC"))
    var (target, tgtLoad) = loadSpace(args.arg(1, "TGT"))
    guard case .success(let chain) = EmbeddingSpace.Normalization.chain(args.options["normalize"] ?? "unit,center,unit") else {
        fail("bad --normalize")
    }
    source.normalize(chain)
    target.normalize(chain)
    var options = MUSE.Options()
    options.seed = UInt64(args.int("seed", 0))
    options.epochs = args.int("epochs", options.epochs)
    options.epochSize = args.int("epoch-size", options.epochSize)
    options.hidden = args.int("hidden", options.hidden)
    options.mostFrequent = args.int("most-frequent", options.mostFrequent)
    options.refinementSteps = args.int("refine", options.refinementSteps)
    options.batchSize = args.int("batch", options.batchSize)
    options.discriminatorSteps = args.int("dis-steps", options.discriminatorSteps)
    if let lr = args.options["lr"].flatMap({ Float($0) }) { options.learningRate = lr }
    options.search = NeighborSearch(threads: args.options["threads"].flatMap { Int($0) })
    let t0 = MonotonicClock.seconds()
    var adversarialSeconds = 0.0
    var firstReport: (Int, Double, Double)? = nil, lastReport: (Int, Double, Double)? = nil
    let result: MUSE.Result
    do {
        result = try MUSE.run(source: source.vectors, target: target.vectors, options: options) { progress in
            if progress.phase == "refinement", progress.step == 0 { adversarialSeconds = MonotonicClock.since(t0) }
            if !progress.isPoll, progress.phase == "adversarial", !progress.extras.contains(where: { $0.name == "criterion" }) {
                // Training reports only (no evaluation in between): the per-iteration clocks.
                let now = (progress.step, MonotonicClock.since(t0), cpuSeconds())
                if firstReport == nil {
                    firstReport = now
                } else if progress.step > firstReport!.0, progress.step < options.iterationsPerEpoch {
                    lastReport = now
                }
            }
            if !progress.isPoll, progress.extras.contains(where: { $0.name == "criterion" }) {
                let extras = progress.extras.map { "\($0.name) \($0.value)" }.joined(separator: ", ")
                eprint("muse \(progress.phase) \(progress.step)/\(progress.total) at \(progress.elapsedSeconds) s: \(extras)")
            }
            return .continue
        }
    } catch { fail("\(error)") }
    let total = MonotonicClock.since(t0)
    var json = common("muse")
    json.set("load_seconds", srcLoad + tgtLoad)
    json.set("adversarial_seconds", options.refinementSteps > 0 ? adversarialSeconds : total)
    json.set("total_seconds", total)
    json.set("cpu_seconds", cpuSeconds())
    if let a = firstReport, let b = lastReport, a.1 < b.1 {
        // Between two progress reports of the first epoch: training steps only.
        json.set("iteration_wall_seconds", (b.1 - a.1) / Double(b.0 - a.0))
        json.set("iteration_cpu_seconds", (b.2 - a.2) / Double(b.0 - a.0))
    }
    json.set("criterion", result.history.map(\.criterion))
    json.set("discriminator_accuracy", result.history.compactMap(\.discriminatorAccuracy))
    json.set("kept", result.kept.map { "\($0.phase) \($0.step)" } ?? "")
    do {
        let map = try LinearMap(weights: result.weights, method: "muse")
        bliScores(BilingualMapping(source: map), source: source, target: target, test: args.options["test"] ?? "", json: &json)
    } catch { fail("\(error)") }
    finish(&json)
}

/// One line on stderr (progress while the JSON goes to stdout).
private func eprint(_ message: String) {
    let text = message + "\n"
    _ = text.withCString { write(2, $0, strlen($0)) }
}

/// CPU seconds of the whole process (all threads).
private func cpuSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}
