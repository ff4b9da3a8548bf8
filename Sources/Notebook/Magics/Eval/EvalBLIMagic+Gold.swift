import Embeddings
import Jupyter

/// The candidate sets of `%eval bli`.
enum BLICandidates: String, OptionChoice {
    /// Every target word (MUSE/VecMap BLI).
    case all
    /// The gold targets of the sampled pairs only (Wada & Iwata 2018).
    case gold
}

extension EvalBLIMagic {
    /// `candidates=gold`: Wada & Iwata's word-alignment protocol on `pairs=` one-to-one gold pairs
    /// (`GoldCandidateBLI`); a table with P@k per retrieval method and chance k/M.
    func gold(
        source: EmbeddingSpace, target: EmbeddingSpace, dictionary: [(source: String, target: String)], dictName: String,
        label: String, trainingPairs: Int, session: Session, context: ExecutionContext
    ) throws -> MimeBundle? {
        guard source.dimension == target.dimension else {
            throw Self.failure(
                "the spaces have \(source.dimension) and \(target.dimension) dimensions; map them into one space first (%align)")
        }
        let wanted = arguments[Self.pairs], seed = arguments.seed(session)
        let chosen = GoldCandidateBLI.pairs(
            dictionary: dictionary, source: source.vocabulary, target: target.vocabulary, count: wanted, seed: seed)
        guard chosen.count >= 2 else {
            throw Self.failure(
                """
                `\(dictName)` has \(chosen.count) one-to-one pair(s) with both words in the vocabularies; candidates=gold needs at \
                least 2 (check the dictionary's direction)
                """)
        }
        let d = source.dimension
        var s = Matrix(rows: chosen.count, cols: d), t = Matrix(rows: chosen.count, cols: d)
        for (i, pair) in chosen.enumerated() {
            for c in 0..<d {
                s.storage[i * d + c] = source.vectors.storage[pair.source * d + c]
                t.storage[i * d + c] = target.vectors.storage[pair.target * d + c]
            }
        }
        let results = try GoldCandidateBLI.evaluate(source: s, target: t, methods: methods, ks: ks)
        let m = chosen.count
        var rows: [[TableCell]] = results.map { r in
            [.text(r.method.token)] + ks.map { k in r.precision(at: k).map { TableCell.percent($0 * 100) } ?? .empty } + [.int(m)]
        }
        rows.append([.text("chance")] + ks.map { TableCell.percent(Double(min($0, m)) / Double(m) * 100) } + [.int(m)])
        let stored = arguments.resultName(
            "bli_gold_" + (arguments.words.first ?? "\(arguments[Self.src] ?? "")_\(arguments[Self.tgt] ?? "")"))
        let record = EvaluationObject(
            evaluated: label + " (gold candidates)", dictionary: dictName, trainingPairs: trainingPairs, ks: ks,
            precision: results.map { r in
                (r.method.token, Dictionary(uniqueKeysWithValues: ks.compactMap { k in r.precision(at: k).map { (k, $0) } }))
            },
            covered: m, languages: [source.language, target.language].compactMap { $0 })
        session.store(record, as: stored, madeBy: "%eval bli \(label) dict=\(dictName) candidates=gold", cell: context.executionCount)
        let short = m < wanted ? " (the dictionary has no more one-to-one pairs in the vocabularies)" : ""
        return Table(
            title: "word alignment of \(label) on `\(dictName)`: gold candidates (precision in %)",
            columns: ["retrieval"] + ks.map { "P@\($0)" } + ["pairs"], rows: rows,
            footnote: """
                Wada & Iwata's protocol: \(m) one-to-one pairs\(short) drawn with seed \(seed); each source word ranked among the \
                \(m) gold targets only, CSLS and inverted softmax computed inside that set; chance is k/\(m). Not comparable with \
                full-vocabulary BLI (candidates=all).
                """
        ).mimeBundle
    }
}
