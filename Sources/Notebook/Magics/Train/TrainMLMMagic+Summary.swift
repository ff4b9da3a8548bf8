import Embeddings
import Jupyter

extension TrainMLMMagic {
    /// The per-epoch chart: mean loss per token of each language and direction, and the criterion.
    static func chart(_ result: MLMTrainer.Result, languages: [String], name: String) -> LineChart {
        var series: [ChartSeries] = []
        for (l, code) in languages.enumerated() {
            for (d, direction) in ["forward", "backward"].enumerated() {
                series.append(
                    ChartSeries(
                        name: "\(code) \(direction)",
                        points: result.epochs.map { ChartPoint(x: Double($0.epoch + 1), y: $0.lossPerToken[l][d]) }))
            }
        }
        return LineChart(title: "loss per token of `\(name)`", xLabel: "epoch", yLabel: "NLL per token", series: series)
    }

    /// The summary table of a run.
    func summary(
        _ result: MLMTrainer.Result, corpora: [LMCorpus], names: [String], stored: [String], precision: [[MLMEpochPrecision]],
        evaluation: [String], judgements: [FailureDetector.Judgement], options: MLMTrainer.Options, threads: Int,
        model m: MultilingualLM.Configuration,
        resumedFrom: (path: String, epochs: Int)?
    ) -> MimeBundle {
        let c = arguments
        var rows: [[TableCell]] = zip(names, corpora).map { name, corpus in
            let tokens = corpus.sentences.reduce(0) { $0 + $1.count }
            return [
                .text("\(corpus.language) text, vocabulary"),
                .text(
                    """
                    `\(name)`: \(corpus.sentences.count.formatted) sentences, \(tokens.formatted) tokens \
                    (\(corpus.droppedLines.formatted) lines over \(c[Self.maxLength]) tokens or empty dropped); \
                    \((corpus.words.count - 1).formatted) words + UNK (\(NumberText.fixed(corpus.unknownRate * 100, 1))% of tokens)
                    """),
            ]
        }
        rows += [
            [
                .text("model"),
                .text(
                    """
                    e \(m.embedding), h \(m.hidden), \(m.layers) LSTM layer\(m.layers == 1 ? "" : "s") per direction, \
                    dropout \(NumberText.short(Double(m.dropout)))
                    """),
            ],
            [
                .text("training"),
                .text(
                    """
                    SGD lr \(NumberText.short(Double(options.learningRate))), clip \(NumberText.short(options.clip)), \
                    batch \(options.batchSize), \(result.epochs.count) of \(options.epochs) epochs
                    """ + (resumedFrom.map { ", resumed after epoch \($0.epochs) from \($0.path)" } ?? "")
                        + (c[Self.checkpoint].map { "; checkpoint after every epoch in \($0)" } ?? "")),
            ],
        ]
        for (i, epoch) in result.epochs.enumerated() {
            let losses = zip(corpora, epoch.lossPerToken).map { corpus, pair in
                "\(corpus.language) \(NumberText.fixed(pair[0], 2))/\(NumberText.fixed(pair[1], 2))"
            }.joined(separator: ", ")
            var text = "loss/token fw/bw \(losses)"
            if let criterion = epoch.criterion { text += "; criterion \(NumberText.fixed(criterion, 4))" }
            if i < precision.count, !precision[i].isEmpty { text += "; " + MLMEpochPrecision.line(precision[i]) }
            text +=
                "; \(NumberText.fixed(epoch.seconds, 1)) s, \(NumberText.short(Double(epoch.tokens) / max(epoch.seconds, 1e-9))) tokens/s"
            rows.append([.text("epoch \(epoch.epoch + 1)" + (result.keptEpoch == epoch.epoch ? " (kept)" : "")), .text(text)])
        }
        var kept: String
        if let stop = result.stoppedAt {
            kept = "interrupted: the parameters after update \(stop.step) of epoch \(stop.epoch + 1)"
        } else if let epoch = result.keptEpoch, options.keep == .last {
            kept = "epoch \(epoch + 1), the last (keep=last)"
            let best = result.epochs.filter { $0.criterion != nil }.max { $0.criterion! < $1.criterion! }
            if let best, best.epoch != epoch {
                kept += "; the criterion's best was epoch \(best.epoch + 1) (keep=criterion keeps that)"
            }
        } else if let epoch = result.keptEpoch {
            kept =
                "epoch \(epoch + 1), the best mean CSLS of the \(options.selectionWords.formatted) most frequent \(corpora[0].language) words"
        } else {
            kept = "the last epoch"
        }
        rows.append([.text("model kept"), .text(kept)])
        if !evaluation.isEmpty {
            let pairs = evaluation.enumerated().map { i, name in "`\(name)` (\(corpora[0].language)↔\(corpora[i + 1].language))" }
            rows.append([
                .text("P@1 dictionaries"),
                .text(pairs.joined(separator: ", ") + ": CSLS, both directions (each dictionary also read reversed); not used to choose"),
            ])
        }
        for (corpus, judgement) in zip(corpora.dropFirst(), judgements) {
            rows.append([
                .text("verdict \(corpora[0].language)↔\(corpus.language) (failure detector)"),
                .text(
                    """
                    \(judgement.verdict.rawValue): \(judgement.criterion) \(NumberText.fixed(judgement.value, 3)) against \
                    \(NumberText.fixed(judgement.nullMean, 3)) ± \(NumberText.fixed(judgement.nullSpread, 3)) \
                    (max \(NumberText.fixed(judgement.nullMax, 3))) for \(judgement.null.count) random rotations of the \(corpus.language) rows
                    """),
            ])
        }
        rows.append([.text("threads, seed"), .text("\(threads), \(options.seed)")])
        return Table(
            title: "multilingual LM `\(stored.joined(separator: "`, `"))` (\(corpora.map(\.language).joined(separator: ", ")))",
            columns: ["property", "value"], rows: rows,
            footnote: (result.stoppedAt != nil ? "Interrupted: the model of the last finished update is kept. " : "")
                + "Stored as \(stored.map { "`\($0)`" }.joined(separator: ", ")) (input embeddings, one joint space"
                + (stored.count > 1 ? " per language with \(corpora[0].language)" : "")
                + "); try `%eval bli \(stored[0]) dict=…`, `%neighbors WORD in=\(stored[0])` or `%tsne \(stored[0])`."
        ).mimeBundle
    }
}
