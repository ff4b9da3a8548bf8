import Embeddings
import Jupyter

/// The one adapter from the engine's `Progress` reports to a live `ProgressDisplay`: `handle` is
/// the `ProgressHandler` every long engine call gets. A step report advances the display (its
/// phase text from `describe`, its loss when finite) and is kept as `last`; a poll
/// (`Progress.isPoll`, possibly from a worker thread) touches nothing. Either way the answer
/// is `.stop` once the cell is interrupted. `finish(stopped:)` and `fail()` end the display as
/// done, interrupted or failed.
final class ProgressReporter {
    /// The display this reporter drives.
    let display: ProgressDisplay
    /// The last step report (nil before the first).
    private(set) var last: Progress?
    private let cancellation: CancellationToken
    private let describe: (Progress) -> String
    private let showsLoss: Bool

    /// A display of `total` steps named `unit`, starting under `phase`; `describe` turns a
    /// report into the display's phase text (default: `phase (extra value, …)`); `showsLoss`
    /// false keeps the reports' loss out of the display (when `describe` shows it its own way).
    init(
        context: ExecutionContext, phase: String, total: Int, unit: String, delay: Double = 0,
        showsLoss: Bool = true, describe: ((Progress) -> String)? = nil
    ) {
        display = ProgressDisplay(context: context, phase: phase, total: total, unit: unit, delay: delay)
        cancellation = context.cancellation
        self.showsLoss = showsLoss
        self.describe = describe ?? Self.phaseWithExtras
    }

    /// The `ProgressHandler`: advances the display on step reports; `.stop` after an interrupt.
    func handle(_ progress: Progress) -> ProgressAction {
        if !progress.isPoll {
            last = progress
            let loss = showsLoss ? progress.loss.flatMap { $0.isFinite ? $0 : nil } : nil
            display.advance(to: progress.step, phase: describe(progress), loss: loss)
        }
        return .stopping(if: cancellation.isCancelled)
    }

    /// Ends the display: interrupted when the engine call stopped early, else done.
    func finish(stopped: Bool) { display.finish(stopped ? .interrupted : .done) }

    /// Ends the display as failed (the engine call threw).
    func fail() { display.finish(.failed) }

    /// Runs `body` with `handle` as its handler; when it throws, the display ends as failed
    /// and the error goes on (the interpreter turns engine errors into `%magic:` messages).
    func run<Result>(_ body: (ProgressHandler) throws -> Result) rethrows -> Result {
        do {
            return try body(handle)
        } catch {
            fail()
            throw error
        }
    }

    /// `phase (name value, …)`, or just the phase without extras.
    static func phaseWithExtras(_ progress: Progress) -> String {
        guard !progress.extras.isEmpty else { return progress.phase }
        let extras = progress.extras.map { "\($0.name) \(NumberText.short($0.value))" }
        return progress.phase + " (" + extras.joined(separator: ", ") + ")"
    }
}
