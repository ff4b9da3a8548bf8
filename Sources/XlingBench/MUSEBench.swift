// `%align muse`'s engine for the unsupervised benchmark (issue 16): a whole MUSE run with BLI.
import Embeddings

/// `muse SRC TGT --test DICT [--seed 0] [--epochs 5] [--epoch-size 32000] [--hidden 2048] [--refine 5]
/// [--most-frequent 75000] [--normalize unit,center,unit] [--threads T]`: adversarial training, model selection and
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
    options.search = NeighborSearch(threads: args.options["threads"].flatMap { Int($0) })
    let t0 = MonotonicClock.seconds()
    var adversarialSeconds = 0.0
    let result: MUSE.Result
    do {
        result = try MUSE.run(source: source.vectors, target: target.vectors, options: options) { progress in
            if progress.phase == "refinement", progress.step == 0 { adversarialSeconds = MonotonicClock.since(t0) }
            return .continue
        }
    } catch { fail("\(error)") }
    let total = MonotonicClock.since(t0)
    var json = common("muse")
    json.set("load_seconds", srcLoad + tgtLoad)
    json.set("adversarial_seconds", options.refinementSteps > 0 ? adversarialSeconds : total)
    json.set("total_seconds", total)
    json.set("criterion", result.history.map(\.criterion))
    json.set("kept", result.kept.map { "\($0.phase) \($0.step)" } ?? "")
    do {
        let map = try LinearMap(weights: result.weights, method: "muse")
        bliScores(BilingualMapping(source: map), source: source, target: target, test: args.options["test"] ?? "", json: &json)
    } catch { fail("\(error)") }
    finish(&json)
}
