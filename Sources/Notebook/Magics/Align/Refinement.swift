import Embeddings
import Jupyter

/// What `%align … refine=N` reports about its refinement steps.
struct RefinementReport {
    var steps: [ProcrustesRefinement.Step] = []
    var interrupted = false

    /// The size of the last induced dictionary, if any step ran.
    var lastPairs: Int? { steps.last?.pairs }

    /// One line: pairs per step.
    var summary: String {
        let sizes = steps.map { $0.pairs.formatted }.joined(separator: " → ")
        return """
            \(steps.count) step\(steps.count == 1 ? "" : "s"), induced pairs \(sizes)
            """ + (interrupted ? " (interrupted; the last completed step is kept)" : "")
    }
}

/// Runs MUSE-style Procrustes refinement with a live progress display; an interrupt keeps the
/// map of the last completed step.
enum Refinement {
    static func run(
        steps: Int, initial: BilingualMapping, source: EmbeddingSpace, target: EmbeddingSpace,
        maxRank: Int, context: ExecutionContext
    ) throws -> (BilingualMapping, RefinementReport) {
        let reporter = ProgressReporter(context: context, phase: "refining", total: steps, unit: "steps") { progress in
            progress.extra("pairs").map { "refining (\(Int($0).formatted) pairs)" } ?? "refining"
        }
        let result = try reporter.run {
            try ProcrustesRefinement.run(
                initial: initial.source, source: source, target: target, steps: steps,
                maxRank: maxRank, progress: $0)
        }
        let report = RefinementReport(steps: result.steps, interrupted: result.steps.count < steps)
        reporter.finish(stopped: report.interrupted)
        return (BilingualMapping(source: result.map), report)
    }
}
