import Embeddings
import Jupyter

/// The summary side of a factorization training run (`%train glove|cofactor`): its
/// `ProgressReporter` (the display, updated after every iteration with the loss and records
/// per second), the wall time and throughput for the table, and the loss chart at the end.
final class TrainingRun {
    /// The adapter from the trainer's reports to the display; `reporter.handle` is the handler.
    let reporter: ProgressReporter
    private let records: Int

    /// A run of `iterations` passes over `records` records, shown under `phase`.
    init(context: ExecutionContext, iterations: Int, records: Int, phase: String = "training") {
        self.records = records
        reporter = ProgressReporter(context: context, phase: phase, total: iterations, unit: "iterations") { progress in
            let rate = NumberText.short((progress.extra("records/s") ?? 0) / 1e6)
            return "\(progress.phase) (\(rate) M records/s)"
        }
    }

    /// "12.3 s (1.6 M records/s)": training wall time and mean throughput.
    var timeDescription: String {
        let seconds = reporter.last?.elapsedSeconds ?? 0
        let perSecond = seconds > 0 ? Double(records) * Double(max(reporter.display.step, 1)) / seconds : 0
        return "\(NumberText.fixed(seconds, 1)) s (\(NumberText.short(perSecond / 1e6)) M records/s)"
    }

    /// A line chart of per-iteration losses, one series per name (Vega-Lite with tooltips and
    /// zoom, and SVG; see `LineChart`).
    func lossChart(title: String, series: [(String, [Double])]) -> LineChart {
        LineChart(
            title: title, xLabel: "iteration", yLabel: "loss per record",
            series: series.map { name, losses in
                ChartSeries(name: name, points: losses.enumerated().map { ChartPoint(x: Double($0.offset + 1), y: $0.element) })
            })
    }
}
