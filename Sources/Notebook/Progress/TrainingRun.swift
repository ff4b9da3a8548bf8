import Embeddings
import Jupyter

/// The live view of a training run: a progress display updated after every iteration (loss,
/// records per second, ETA), the interrupt check, and the loss chart at the end.
final class TrainingRun {
    private let display: ProgressDisplay
    private let context: ExecutionContext
    private let records: Int
    private var seconds = 0.0

    /// A run of `iterations` passes over `records` records, shown under `phase`.
    init(context: ExecutionContext, iterations: Int, records: Int, phase: String = "training") {
        self.context = context
        self.records = records
        display = ProgressDisplay(context: context, phase: phase, total: iterations, unit: "iterations")
    }

    /// The trainer's per-iteration callback: updates the display; false (stop) on interrupt.
    func report(_ progress: TrainingProgress) -> Bool {
        seconds = progress.elapsedSeconds
        let rate = NumberText.short(progress.recordsPerSecond / 1e6)
        display.advance(to: progress.iteration, phase: "training (\(rate) M records/s)", loss: progress.loss)
        return !context.cancellation.isCancelled
    }

    /// Marks the display done, or interrupted when the trainer stopped early.
    func finish(stopped: Bool) { display.finish(stopped ? .interrupted : .done) }

    /// Marks the display interrupted after an error.
    func fail() { display.finish(.interrupted) }

    /// "12.3 s (1.6 M records/s)": training wall time and mean throughput.
    var timeDescription: String {
        let perSecond = seconds > 0 ? Double(records) * Double(max(display.step, 1)) / seconds : 0
        return "\(NumberText.fixed(seconds, 1)) s (\(NumberText.short(perSecond / 1e6)) M records/s)"
    }

    /// A line chart of per-iteration losses, one series per name.
    func lossChart(title: String, series: [(String, [Double])]) -> LineChart {
        LineChart(title: title, xLabel: "iteration", yLabel: "loss per record",
                  series: series.map { name, losses in
                      ChartSeries(name: name, points: losses.enumerated().map { ChartPoint(x: Double($0.offset + 1), y: $0.element) })
                  })
    }
}
