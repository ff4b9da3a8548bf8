import Embeddings
import Jupyter

/// `%llm k=3 general=S specific=K target=xx [method=llm|linear|direct] [tune=source dev=L]`:
/// transfers the classifier K to language xx by giving it an embedding layer for xx's words
/// (Sakuma & Yoshinaga 2019, §3.2). The general cross-lingual space S relates each target word
/// to source words; the classifier's own (task-specific) source rows say what those source words
/// mean for the task.
///
/// - `llm`: locally linear mapping (eq. 3–6), `LocallyLinearMapping`;
/// - `linear`: the linear-projection baseline (eq. 1–2), `LinearProjection`;
/// - `direct`: the target words keep their general vectors ("CLWE fixed": right for a classifier
///   whose embedding layer was frozen on S, the naive choice for one that trained it).
struct LLMMagic: Magic {
    /// `method=`: how the target language's task-specific vectors are made.
    enum Method: String, OptionChoice, CustomStringConvertible {
        case llm, linear, direct
        var description: String { rawValue }
    }
    /// `tune=`: where k is chosen.
    enum Tuning: String, OptionChoice { case source }

    static let general = Opt.required(
        "general", .object,
        help: """
            the general cross-lingual space: a mapping or joint space with the classifier's language and the target language
            """)
    static let specific = Opt.required(
        "specific", .object,
        help: """
            the classifier to transfer (%train classifier): its embedding rows are the task-specific source vectors
            """)
    static let target = Opt.required("target", .string, help: "the target language code (a side of general=)")
    static let method = Opt.choice(
        "method", default: Method.llm,
        help: """
            llm: locally linear mapping (eq. 3-6); linear: least-squares projection general → task-specific (eq. 1-2); \
            direct: the target's general vectors as they are (normalised like the classifier's input)
            """)
    static let k = Opt.int(
        "k", min: 1, default: LocallyLinearMappingOptions().k,
        help: "llm: how many nearest source words reconstruct each target word")
    static let tune = Opt.choice(
        "tune", Tuning.self,
        help: """
            llm: choose k by leave-self-out reconstruction of the source words, scored by the classifier's accuracy on dev=
            """)
    static let dev = Opt.text("dev", .object, help: "tune=source: labelled source-language development data")
    static let kRange = Opt.list("k_range", default: ["1", "2", "3", "5", "10", "20"], help: "tune=source: the k to try")
    static let reg = Opt.double(
        "reg", min: 0, max: 1, default: LocallyLinearMappingOptions.defaultRegularization,
        help: "llm: δ of the regularised system (C + δ·tr(C)/k·I)α ∝ 1")
    static let ridge = Opt.double("ridge", min: 0, default: 0, help: "linear: ridge penalty of the least-squares fit")
    static let show = Opt.list(
        "show", note: "a few frequent words whose nearest source word occurred in training",
        help: "target words for the before/after neighbour table")
    static let spec = MagicSpec(
        name: "llm",
        abstract: """
            transfer a classifier to another language: task-specific target embeddings by locally linear mapping (Sakuma & Yoshinaga \
            2019), linear projection, or the general vectors as they are
            """,
        keys: [general, specific, target, method, k, tune, dev, kRange, reg, ridge, show, CommonOptions.name("K_xx")],
        discussion: """
            For each target word y (every word of the target side of general=), llm takes its k nearest source words by cosine in the \
            general space, solves the reconstruction weights α (Σα = 1) that rebuild y's general vector from theirs, and gives y the \
            α-weighted sum of those words' rows in the classifier's embedding layer. The system is regularised with δ·tr(C)/k so that k > \
            dim, duplicate neighbours and exact matches stay finite; a target vector identical to a source vector takes that word's row. \
            The result is a new classifier for the target language; evaluate it with %eval classifier.
            """,
        examples: [
            "%llm k=3 general=ende specific=boe_en target=de as=boe_de",
            "%llm general=ende specific=boe_en target=de tune=source dev=sib_en_dev",
            "%llm general=ende specific=boe_en target=de method=linear",
        ])

    let arguments: MagicArguments

    init(_ arguments: MagicArguments) throws {
        let method = arguments[Self.method]
        if method != .llm {
            for key in [Self.tune.option, Self.k.option, Self.kRange.option, Self.reg.option, Self.dev.option]
            where arguments.has(key) {
                throw Self.usageError("\(key.key)= belongs to method=llm, not method=\(method)")
            }
        }
        if method != .linear, arguments.has(Self.ridge) {
            throw Self.usageError("ridge= belongs to method=linear")
        }
        if arguments.has(Self.tune) != arguments.has(Self.dev) {
            throw Self.usageError(
                arguments.has(Self.tune)
                    ? "tune=source scores each k on the source language's development data: add dev=NAME (labelled, %load labeled)"
                    : "dev= is only read by tune=source")
        }
        if arguments.has(Self.tune), arguments.has(Self.k) {
            throw Self.usageError("give k= or tune=source (which picks k from k_range=), not both")
        }
        let range = arguments[Self.kRange]
        guard !range.isEmpty, range.allSatisfy({ Int($0).map { $0 >= 1 } ?? false }) else {
            throw Self.usageError("k_range= must list positive integers, e.g. k_range=1,2,3,5,10")
        }
        self.arguments = arguments
    }

    func run(in session: Session, context: ExecutionContext) throws -> MimeBundle? {
        let specificName = arguments[Self.specific], generalName = arguments[Self.general]
        let target = arguments[Self.target]
        let method = arguments[Self.method]
        let classifier = try session.classifier(specificName, for: "llm").classifier
        let sides = try TransferSides(general: generalName, source: classifier.language, target: target, in: session)
        let source = try sides.sourceRows(for: classifier, classifierName: specificName)
        let started = MonotonicClock.seconds()
        var facts: [(String, String)] = [("method", Self.methodTitle(method))]
        let specificTarget: Matrix
        var diagnostics: TransferDiagnostics?
        switch method {
        case .linear:
            let ridge = arguments[Self.ridge]
            let projection = try LinearProjection.fit(generalSource: source.general, specificSource: source.specific, ridge: ridge)
            specificTarget = try projection.apply(sides.target.vectors)
            facts.append(
                (
                    "projection",
                    """
                    \(projection.weights.rows)×\(projection.weights.cols) least squares over \(source.general.rows.formatted) source words, \
                    ridge \(ridge)
                    """
                ))
        case .direct:
            guard sides.target.dimension == classifier.dimension else {
                throw Self.failure(
                    """
                    `\(generalName)` has \(sides.target.dimension) dimensions but `\(specificName)`'s embedding layer \
                    \(classifier.dimension); method=direct needs the space the classifier was trained on (or use method=llm / linear)
                    """)
            }
            // The classifier saw its general rows after its own normalisation (`normalize=`).
            specificTarget = sides.target.normalized(classifier.normalization).vectors
        case .llm:
            var options = LocallyLinearMappingOptions(k: arguments[Self.k], regularization: arguments[Self.reg])
            options.threads = session.settings.threads
            if arguments.has(Self.tune), let devName = arguments[Self.dev] {
                let tuning = try tune(
                    classifier: classifier, source: source, devName: devName, options: options,
                    session: session, context: context)
                options.k = tuning.best
                context.display(tuning.table.mimeBundle)
                facts.append(("k", "\(tuning.best), chosen on `\(devName)` by leave-self-out (k tried: \(tuning.tried))"))
            } else {
                facts.append(("k", "\(options.k)"))
            }
            let result = try LocallyLinearMapping(options: options).map(
                generalSource: source.general, specificSource: source.specific,
                generalTarget: sides.target.vectors, diagnostics: true)
            specificTarget = result.specificTarget
            diagnostics = result.diagnostics
            facts.append(("regularisation δ", "\(options.regularization) (C + δ·tr(C)/k·I)"))
            facts.append(
                (
                    "exact matches",
                    """
                    \(result.exactMatches.formatted) target words equal a source word's general vector and took its row
                    """
                ))
        }
        let transferred = try classifier.replacingEmbeddings(
            language: target, vocabulary: sides.target.vocabulary.words, embeddings: specificTarget)
        let seconds = MonotonicClock.since(started)
        if let diagnostics {
            context.display(Self.weightChart(diagnostics).mimeBundle)
        }
        let views = TransferViews(
            classifier: classifier, source: source, target: sides.target, specificTarget: specificTarget,
            diagnostics: diagnostics)
        if let table = try views.neighborTable(show: arguments[Self.show], threads: session.settings.threads) {
            context.display(table.mimeBundle)
        }
        let name = arguments.resultName("\(specificName)_\(target)")
        let detail =
            method == .llm
            ? """
            llm, k=\(diagnostics?.k ?? 0)\(arguments.has(Self.tune) ? " tuned on the source" : "")
            """ : method.rawValue
        let how = "`\(specificName)` transferred to \(target) through `\(generalName)` (\(detail))"
        session.store(
            ClassifierObject(transferred, origin: how), as: name,
            madeBy: "%llm general=\(generalName) specific=\(specificName) target=\(target) method=\(method)",
            cell: context.executionCount)
        facts += [
            (
                "source words",
                """
                \(source.general.rows.formatted) rows of `\(specificName)` (\(source.seen.formatted) seen in training) found in \
                `\(generalName)`'s \(classifier.language) side
                """
            ),
            ("target words", "\(sides.target.count.formatted) (\(target) side of `\(generalName)`), \(classifier.dimension)-d"),
            ("time", "\(NumberText.fixed(seconds, 2)) s"),
            ("stored as", "`\(name)`: try `%eval classifier \(name) data=…` on \(target) data"),
        ]
        return Table(
            title: "`\(specificName)` → \(target): task-specific \(target) embeddings", columns: ["property", "value"],
            rows: facts.map { [.text($0.0), .text($0.1)] }
        ).mimeBundle
    }

    /// tune=source: leave-self-out reconstructions of the source rows for each k in k_range,
    /// scored by the classifier's accuracy on the dev set with those rows.
    func tune(
        classifier: TextClassifier, source: TransferSides.SourceRows, devName: String,
        options: LocallyLinearMappingOptions, session: Session,
        context: ExecutionContext
    ) throws -> (best: Int, tried: String, table: Table) {
        let dev = try session.labeled(devName, for: "llm").documents
        guard dev.language == classifier.language else {
            throw Self.failure(
                """
                `\(devName)` is in \(dev.language), but tune=source scores on the source language (\(classifier.language)): give \
                \(classifier.language) development data as dev=
                """)
        }
        try classifier.checkCompatible(dev)
        let candidates = arguments[Self.kRange].compactMap(Int.init).filter { $0 < source.general.rows }
        guard !candidates.isEmpty else {
            throw Self.failure("every k of k_range= needs more than \(source.general.rows - 1) other source words; choose smaller k")
        }
        let tuning = try NeighborhoodTuning.tune(
            generalSource: source.general, specificSource: source.specific, candidates: candidates,
            options: options
        ) { _, rebuilt in
            if context.cancellation.isCancelled { throw Self.failure("interrupted while tuning k; nothing was stored") }
            var table = classifier.embeddings
            let d = table.cols
            for (row, index) in source.rows.enumerated() {
                table.storage.replaceSubrange(index * d..<(index + 1) * d, with: rebuilt.storage[row * d..<(row + 1) * d])
            }
            let rebuiltClassifier = try classifier.replacingEmbeddings(
                language: classifier.language, vocabulary: classifier.vocabulary, embeddings: table)
            return try rebuiltClassifier.evaluate(dev).accuracy
        }
        let table = Table(
            title: "tune=source: accuracy on `\(devName)` with leave-self-out source embeddings, per k (in %)",
            columns: ["k", "dev accuracy", "chosen"],
            rows: tuning.scores.map { [.int($0.k), .percent($0.score * 100), .text($0.k == tuning.best ? "←" : "")] },
            footnote: """
                every source word's row rebuilt from its k nearest other source words (§3.2 of Sakuma & Yoshinaga 2019); \
                ties go to the smaller k
                """)
        return (tuning.best, tuning.scores.map { String($0.k) }.joined(separator: ","), table)
    }

    /// Figure 2: how α is distributed for the nearest neighbour vs the others.
    static func weightChart(_ diagnostics: TransferDiagnostics) -> BarChart {
        let histogram = diagnostics.weightHistogram(bins: 10, upperBound: 1)
        let total = Double(max(1, diagnostics.count)), others = Double(max(1, diagnostics.count * (diagnostics.k - 1)))
        let categories = (0..<10).map {
            NumberText.fixed(Double(histogram.edges[$0]), 1) + "–" + NumberText.fixed(Double(histogram.edges[$0 + 1]), 1)
        }
        var series = [BarSeries(name: "nearest neighbour", values: histogram.nearest.map { Double($0) / total * 100 })]
        if diagnostics.k > 1 {
            series.append(BarSeries(name: "other neighbours", values: histogram.others.map { Double($0) / others * 100 }))
        }
        return BarChart(
            title: "reconstruction weights |α| (k = \(diagnostics.k); |α| ≥ 1 in the last bin)", xLabel: "|α|",
            yLabel: "share of weights (%)", categories: categories, series: series, yDomain: BarChart.percent)
    }

    static func methodTitle(_ method: Method) -> String {
        switch method {
        case .linear: return "linear projection (eq. 1–2)"
        case .direct: return "direct: general target vectors, normalised as the classifier's input (CLWE fixed)"
        case .llm: return "locally linear mapping (eq. 3–6)"
        }
    }
}
