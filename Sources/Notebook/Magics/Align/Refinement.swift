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
        return "\(steps.count) step\(steps.count == 1 ? "" : "s"), induced pairs \(sizes)" + (interrupted ? " (interrupted; the last completed step is kept)" : "")
    }
}

/// Runs MUSE-style Procrustes refinement with a live progress display; an interrupt keeps the
/// map of the last completed step.
enum Refinement {
    static func run(steps: Int, initial: BilingualMapping, source: EmbeddingSpace, target: EmbeddingSpace,
                    maxRank: Int, context: ExecutionContext) throws -> (BilingualMapping, RefinementReport) {
        let progress = ProgressDisplay(context: context, phase: "refining", total: steps, unit: "steps")
        var report = RefinementReport()
        let result = try ProcrustesRefinement.run(
            initial: initial.source, source: source, target: target, steps: steps, maxRank: maxRank,
            shouldStop: { context.cancellation.isCancelled },
            progress: { step in
                report.steps.append(step)
                progress.advance(to: step.iteration, phase: "refining (\(step.pairs.formatted) pairs)")
            })
        report.interrupted = context.cancellation.isCancelled
        progress.finish(report.interrupted ? .interrupted : .done)
        return (BilingualMapping(source: result.map), report)
    }
}
