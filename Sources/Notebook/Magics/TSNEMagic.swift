import Embeddings
import Jupyter

/// `%tsne [S] [words=… | top=N] [langs=…] [labels=N] [perplexity=30] [iters=1000] [seed=…] …`:
/// a t-SNE map (van der Maaten & Hinton 2008; Barnes-Hut above 500 points, FFT interpolation
/// (Linderman et al. 2019) above 8,000) of words of a
/// space, mapping or joint space, drawn as a scatter (Vega-Lite with tooltips and zoom, plus
/// SVG) with one colour per language, like
/// Figure 4 of Shi et al. (2015). The points are the words' unit vectors in the shared space.
///
/// Shows a live progress display with the KL divergence; an interrupt keeps the map of the
/// last completed iteration (shown, then `KeyboardInterrupt`).
struct TSNEMagic: Magic {
    /// `method=`: how the repulsive forces are computed.
    enum Method: String, OptionChoice {
        case auto, exact
        case barnesHut = "barnes-hut"
        case fft
    }
    /// `knn=`: how the neighbours behind the affinities are found.
    enum Neighbors: String, OptionChoice { case auto, exact, approximate }
    /// `init=`: where the map starts.
    enum Start: String, OptionChoice { case pca, random }

    static let words = Opt.list(
        "words",
        help: """
            the words to picture (each in every chosen language that has it); each gets a label where one fits
            """)
    static let top = Opt.int("top", min: 1, max: 100_000, default: 200, help: "picture the N most frequent words of each language")
    static let langs = Opt.list("langs", note: "all of the space", help: "the languages to picture")
    static let labels = Opt.int(
        "labels", min: 0, max: 100_000, note: "every word of words=, else \(defaultLabels)",
        help: """
            how many words get a visible label, most frequent first, languages interleaved
            """)
    static let perplexity = Opt.double(
        "perplexity", min: 1, max: 10_000, default: TSNEOptions().perplexity,
        help: "effective neighbours per point; needs more than 3 × perplexity points")
    static let iters = Opt.int(
        "iters", min: 1, max: 100_000, default: 1000,
        help: "gradient-descent iterations, the first min(250, iters/4) with early exaggeration")
    static let exaggeration = Opt.double(
        "exaggeration", min: 1, max: 1000, default: TSNEOptions().earlyExaggeration,
        help: "the early-exaggeration factor")
    static let lr = Opt.double(
        "lr", min: 0.001, note: "N/exaggeration per phase (N/12 early, N after), openTSNE 1.0.4's rule",
        help: "learning rate, the same in both phases when given")
    static let knn = Opt.choice(
        "knn", default: Neighbors.auto,
        help: """
            nearest neighbours for the affinities: exact (N² × dimension by matrix blocks), approximate (cells of a random \
            partition moved by k-means, each point compared by matrix blocks with the points of the cells nearest to it: \
            \(TSNENeighborForest().probes) or \(Int(TSNENeighborForest().probeShare * 100)) % of the cells, whichever is more; \
            recall against exact in Tests/bench/README.md), or auto: exact up to \(TSNEOptions.exactNeighborLimit) points (the \
            settings and threshold measured on 300-d floret vectors, Tests/bench/README.md)
            """)
    static let method = Opt.choice(
        "method", default: Method.auto,
        help: """
            exact gradient, Barnes-Hut (O(N log N)), FFT-accelerated interpolation (FIt-SNE, O(N)), or auto: exact up to \
            \(TSNEOptions.exactLimit) points, Barnes-Hut up to \(TSNEOptions.barnesHutLimit), FFT above (the sizes where each became \
            the faster in xling-bench)
            """)
    static let theta = Opt.double("theta", min: 0, max: 1, default: TSNEOptions().theta, help: "Barnes-Hut accuracy θ (0 = exact)")
    static let start = Opt.choice(
        "init", default: Start.pca,
        help: """
            the start: the first two principal components, or random points drawn from the seed (the PCA start \
            draws no random numbers)
            """)
    static let name = Opt.text(
        "as", .string,
        help: """
            keep the 2-d coordinates as an object: vectors (one language) or a joint space (two), e.g. for \
            `%save NAME path=F.vec side=source|target`
            """)
    static let spec = MagicSpec(
        name: "tsne",
        abstract: """
            a t-SNE picture of words of a space, mapping or joint space: one colour per language, labels, hover titles
            """,
        positionals: [
            .init(
                "space", .object, optional: true,
                help: """
                    vectors, a mapping or a joint space (default: the latest mapping or joint space, else the latest vectors)
                    """)
        ],
        keys: [
            words, top, langs, labels, perplexity, iters, exaggeration, lr, method, theta, knn, start, CommonOptions.seed,
            CommonOptions.threads, name,
        ],
        discussion: """
            The map starts from the first two principal components (or, with init=random, from points drawn from the seed), so the same \
            words, options and thread count give the same picture. Large maps: the nearest neighbours are exact up to \
            \(TSNEOptions.exactNeighborLimit) points (N² × dimension multiply-adds by matrix blocks), approximate above (knn=; memory \
            N × 90 neighbours either way, no N × N matrix), and the repulsion is interpolated on a grid with \
            FFT convolutions (method=fft, openTSNE's default settings: 3 nodes per interval, at least 50 intervals of at most one unit). \
            threads= splits the neighbour search and every gradient over the cores. Hover a dot to see its word, language and \
            frequency rank; drag to pan, scroll to zoom. Punctuation and special tokens (</s>, <unk>) get a dot but no label. \
            Interrupt to stop early: the map of the last completed iteration is shown and the cell ends with KeyboardInterrupt. \
            Defaults are openTSNE 1.0.4's (perplexity 30, early exaggeration 12 for the first 250 iterations, learning rate \
            N/exaggeration per phase, PCA start, FFT grid) except iters=1000 (openTSNE runs 750) and the momentum schedule: 0.5 \
            during early exaggeration and 0.8 after, the step reset between the phases (van der Maaten 2014; openTSNE 1.0.4 uses \
            0.8 in both phases and keeps the step: on 20,000 and 49,586 floret words that reached an exact KL 1.4 % higher and \
            0.6 % lower in 2-3 % more CPU time, so it was not adopted; see Tests/bench/README.md). The auto thresholds \
            (method=, knn=) and the approximate search's settings were measured with xling-bench on 300-d floret vectors, where the \
            approximate neighbours' recall against the exact ones was about 0.9 at 100,000 points; see Tests/bench/README.md.
            """,
        examples: [
            "%tsne en_fr top=200", "%tsne joint top=150 langs=en,de labels=40 perplexity=20",
            "%tsne en_fr top=300 as=en_fr_map", "%tsne fi top=20000 method=fft threads=2",
            "%tsne en_fr words=january,february,janvier,février,one,two,un,deux perplexity=2",
        ])

    /// Visible labels with `top=` (or the default) when `labels=` is not given.
    static let defaultLabels = 40

    /// `x` as written by a user: "30" for a whole number, else up to a few decimals.
    static func number(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e9 ? "\(Int(x))" : NumberText.short(x)
    }

    /// "0.54 s", or "7 ms" below a tenth of a second.
    static func duration(_ seconds: Double) -> String {
        seconds < 0.1 ? "\(Int((seconds * 1000).rounded())) ms" : "\(NumberText.fixed(seconds, 2)) s"
    }

    let spaceName: String?
    let arguments: MagicArguments

    init(_ arguments: MagicArguments) throws {
        spaceName = arguments.words.first
        self.arguments = arguments
        if arguments.has(Self.words), arguments.has(Self.top) {
            throw Self.usageError("give words=… or top=N, not both")
        }
        if arguments.has(Self.words), arguments[Self.words]?.isEmpty ?? true {
            throw Self.usageError("words= is empty; list words as words=a,b,c")
        }
    }

    /// The engine's options from the arguments (seed from `%set seed` unless given).
    func options(_ session: Session) -> TSNEOptions {
        var options = TSNEOptions()
        options.perplexity = arguments[Self.perplexity]
        options.iterations = arguments[Self.iters]
        options.earlyExaggerationIterations = min(250, options.iterations / 4)
        options.earlyExaggeration = arguments[Self.exaggeration]
        options.learningRate = arguments[Self.lr]
        options.theta = arguments[Self.theta]
        options.method =
            switch arguments[Self.method] {
            case .exact: .exact
            case .barnesHut: .barnesHut
            case .fft: .fft
            case .auto: .automatic
            }
        options.neighbors =
            switch arguments[Self.knn] {
            case .exact: .exact
            case .approximate: .approximate
            case .auto: .automatic
            }
        options.threads = arguments.threads(session)
        options.initialization = arguments[Self.start] == .random ? .random : .pca
        options.seed = arguments.seed(session)
        return options
    }

    func run(in session: Session, context: ExecutionContext) throws -> MimeBundle? {
        let (name, all) = try Self.languages(of: spaceName, session: session)
        let selection = try Self.select(from: all, objectName: name, arguments: arguments)
        let options = options(session)
        let count = selection.points.count
        guard count > options.neighborCount else {
            let most = (Double(max(count - 1, 0)) / 3 * 100).rounded(.down) / 100
            let more =
                arguments.has(Self.words)
                ? "give more words"
                : "picture more words (top=\(options.neighborCount / max(selection.languages.count, 1) + 1) or more)"
            let fix = most >= 1 ? "write perplexity=\(Self.number(most)) or less, or \(more)" : more
            throw Self.failure(
                """
                \(count) point\(count == 1 ? " is" : "s are") too few for perplexity \(Self.number(options.perplexity)): t-SNE needs more \
                than 3 × perplexity = \(options.neighborCount); \(fix)
                """)
        }
        let points = try selection.matrix()
        var lastKL: Double?
        let reporter = ProgressReporter(
            context: context, phase: "t-SNE affinities", total: options.iterations,
            unit: "iterations", showsLoss: false
        ) { progress in
            if let kl = progress.loss { lastKL = kl }
            return "t-SNE " + progress.phase + (lastKL.map { " · KL \(NumberText.fixed($0, 3))" } ?? "")
        }
        let result = try reporter.run { try TSNE(options: options).embed(points, progress: $0) }
        reporter.finish(stopped: result.stopped)
        if let mapName = arguments[Self.name] {
            try storeMap(result, selection: selection, objectName: name, as: mapName, session: session, context: context)
        }
        let (chart, summary) = picture(result, selection: selection, name: name, options: options)
        context.display(chart)
        guard result.stopped else { return summary }
        context.display(summary)
        let kept = arguments[Self.name].map { " and kept as `\($0)`" } ?? ""
        let when =
            result.completedIterations == 0 && result.finalKL.isNaN
            ? " during the nearest-neighbour search: the starting map is shown\(kept)"
            : ": the map after \(result.completedIterations) of \(options.iterations) iterations is shown\(kept)"
        context.stream("Interrupted\(when). Run %tsne again for the full one.\n", name: "stderr")
        throw Interrupted()
    }

    /// The map (Vega-Lite with tooltips and zoom, SVG, a one-line text) and its summary as a
    /// separate bundle (Markdown and text: points per language, labels shown, KL, iterations,
    /// time, where the map was stored), shown right under the picture. A separate display,
    /// because Markdown or HTML in the chart's own bundle would outrank the chart in JupyterLab.
    func picture(
        _ result: TSNEResult, selection: Selection, name: String, options: TSNEOptions
    ) -> (chart: MimeBundle, summary: MimeBundle) {
        let codes = selection.languages.map(\.code)
        let points = selection.points.indices.map { i in
            ScatterPlot.Point(
                x: Double(result.coordinates[i, 0]), y: Double(result.coordinates[i, 1]),
                text: selection.word(i), group: selection.points[i].language, rank: selection.points[i].row + 1)
        }
        let plot = ScatterPlot(
            title: """
                t-SNE of `\(name)` (\(codes.joined(separator: ", ")); perplexity \(Self.number(options.perplexity)))
                """,
            groups: codes, points: points, labelled: selection.labelled)
        let rendering = plot.render()
        let perLanguage = zip(codes, selection.counts).map { "\($0) \($1)" }.joined(separator: ", ")
        let method =
            switch result.method {
            case .exact, .automatic: "exact gradient"
            case .barnesHut: "Barnes-Hut θ=\(NumberText.short(options.theta))"
            case .fft: "FFT interpolation (\(options.interpolation.nodes) nodes per interval)"
            }
        let threads = options.threads == 1 ? "1 thread" : "\(options.threads) threads"
        let seconds = result.affinitySeconds + result.optimizationSeconds
        let kl = result.finalKL.isNaN ? "no KL (stopped before the affinities)" : "KL \(NumberText.fixed(result.finalKL, 4))"
        let text = """
            t-SNE of `\(name)`: \(selection.points.count) points (\(perLanguage)), \
            \(rendering.labels.count) of \(selection.labelled.count) labels shown
            \(kl) after \(result.completedIterations) of \(options.iterations) \
            iterations\(result.stopped ? " (interrupted)" : "")
            \(method), perplexity \(Self.number(options.perplexity)), exaggeration \(Self.number(options.earlyExaggeration)) \
            for \(options.earlyExaggerationIterations) iterations, learning rate \(NumberText.short(result.earlyLearningRate)) then \
            \(NumberText.short(result.learningRate)), \(result.neighborSearch == .exact ? "exact" : "approximate") neighbours, \
            \(options.initialization == .pca ? "PCA start" : "random start, seed \(options.seed)")
            \(Self.duration(seconds)) (affinities \(Self.duration(result.affinitySeconds)), \
            optimisation \(Self.duration(result.optimizationSeconds))), \(threads)
            """ + (arguments[Self.name].map { "\nthe 2-d coordinates are stored as `\($0)` (see %who)" } ?? "")
        let chart = chartBundle(
            svg: rendering.svg, vegaLite: rendering.vegaLite, summary: plot.summary(shownLabels: rendering.labels.count))
        let markdown =
            text.split(separator: "\n").joined(separator: "  \n") + "\n\nIn JupyterLab, hover a dot for its word, language and frequency "
            + "rank; drag to pan, scroll to zoom, double-click to reset."
        return (chart, ["text/markdown": .string(markdown), "text/plain": .string(text)])
    }
}
