import Embeddings
import Jupyter

/// The live display of `%train mlm`: one step per SGD update over all epochs; its phase text
/// shows the epoch, direction-tokens per second, the loss per token of every language and
/// direction so far this epoch, and, from the first finished epoch on, the selection criterion
/// and (with `eval=`) BLI P@1 of the last epoch in every evaluated direction.
final class MLMLiveProgress {
    /// The display (`[running] training (epoch …`).
    let display: ProgressDisplay
    private let languages: [String]
    private let epochs: Int, updatesPerEpoch: Int
    private var lastEpoch = ""

    /// A display of `epochs × updatesPerEpoch` updates (a resumed run starts at epoch `firstEpoch`, 0-based).
    init(context: ExecutionContext, languages: [String], epochs: Int, updatesPerEpoch: Int, firstEpoch: Int = 0) {
        self.languages = languages
        self.epochs = epochs
        self.updatesPerEpoch = updatesPerEpoch
        display = ProgressDisplay(
            context: context, phase: "training (epoch \(firstEpoch + 1)/\(epochs))", total: epochs * updatesPerEpoch, unit: "updates")
    }

    /// "en fw 6.12 bw 6.20, de fw …" from a [language][direction] table.
    func losses(_ table: [[Double]]) -> String {
        zip(languages, table).map { code, pair in
            "\(code) fw \(NumberText.fixed(pair[0], 2)) bw \(NumberText.fixed(pair[1], 2))"
        }.joined(separator: ", ")
    }

    /// After every update.
    func update(_ p: MLMTrainer.Progress) {
        let phase =
            "training (epoch \(p.epoch + 1)/\(epochs), \(NumberText.short(p.tokensPerSecond)) tokens/s, loss/token \(losses(p.lossPerToken))"
            + lastEpoch + ")"
        display.advance(to: p.epoch * updatesPerEpoch + p.step, phase: phase)
    }

    /// After every epoch: keeps its criterion and P@1 for the text of the next epoch.
    func finishEpoch(_ report: MLMTrainer.EpochReport, precision: [MLMEpochPrecision]) {
        var parts: [String] = []
        if let c = report.criterion { parts.append("criterion \(NumberText.fixed(c, 4))") }
        if !precision.isEmpty { parts.append(MLMEpochPrecision.line(precision)) }
        lastEpoch = parts.isEmpty ? "" : "; epoch \(report.epoch + 1): " + parts.joined(separator: ", ")
        display.advance(
            to: (report.epoch + 1) * updatesPerEpoch, phase: "training (epoch \(report.epoch + 1)/\(epochs) done" + lastEpoch + ")")
    }
}
