import Embeddings

/// The two sides of `%llm`'s general space: the classifier's (source) language and the target
/// language, each an `EmbeddingSpace` in the shared coordinates (a mapping's mapped spaces, or a
/// joint space's two halves).
struct TransferSides {
    let source: EmbeddingSpace
    let target: EmbeddingSpace

    /// The sides of `general` for `source` and `target`; errors name the languages it has.
    init(general: String, source language: String, target: String, in session: Session) throws {
        guard let mapping = try session.object(general, for: "llm") as? MappingObject else {
            let kind = try session.object(general, for: "llm").kind
            throw LLMMagic.failure(
                """
                `\(general)` holds \(kind) (`%who` lists every object), not a cross-lingual space: give a mapping (%align) or a joint \
                space (%train cofactor) that covers \(language) and \(target)
                """)
        }
        let mapped = try mapping.mapped()
        let sides = [(mapping.languages[0], mapped.source), (mapping.languages[1], mapped.target)]
        let has = mapping.languages.joined(separator: " and ")
        guard language != target else {
            throw LLMMagic.failure(
                """
                target=\(target) is the classifier's own language; give another language of `\(general)` (it has \(has))
                """)
        }
        guard let sourceSide = sides.first(where: { $0.0 == language })?.1 else {
            throw LLMMagic.failure(
                """
                the classifier is in \(language), but `\(general)` has \(has): give a general space that covers \(language)
                """)
        }
        guard let targetSide = sides.first(where: { $0.0 == target })?.1 else {
            throw LLMMagic.failure(
                """
                `\(general)` has no \(target) side (it has \(has)): give target= one of its languages, or a general space that covers \
                \(target)
                """)
        }
        self.source = sourceSide
        self.target = targetSide
    }

    /// The classifier's rows that the general source side also has, aligned row by row.
    struct SourceRows {
        /// Row indices into the classifier's vocabulary.
        let rows: [Int]
        /// |rows| × d_g: the words' general vectors.
        let general: Matrix
        /// |rows| × d_t: the words' rows of the classifier's embedding layer.
        let specific: Matrix
        /// How many of them occurred in the classifier's training documents.
        let seen: Int
    }

    /// X_gen and X_spec over the words the classifier and the general source side share.
    func sourceRows(for classifier: TextClassifier, classifierName: String) throws -> SourceRows {
        var rows: [Int] = [], generalRows: [Int] = []
        for (row, word) in classifier.vocabulary.enumerated() {
            if let id = source.vocabulary.id(word) {
                rows.append(row)
                generalRows.append(id)
            }
        }
        guard rows.count >= 2 else {
            throw LLMMagic.failure(
                """
                `\(classifierName)` shares \(rows.count) word(s) with the general space's \(classifier.language) side; train the \
                classifier on (or from) that space
                """)
        }
        let general = try source.vectors.selectingRows(generalRows)
        let specific = try classifier.embeddings.selectingRows(rows)
        return SourceRows(
            rows: rows, general: general, specific: specific,
            seen: rows.filter { classifier.seenInTraining[$0] }.count)
    }
}

/// The nearest-neighbour view of a transfer (Table 6 of Sakuma & Yoshinaga 2019): chosen target
/// words' nearest words among both languages, before (general space) and after (task-specific
/// space: the classifier's source rows and the new target rows).
struct TransferViews {
    let classifier: TextClassifier
    let source: TransferSides.SourceRows
    let target: EmbeddingSpace
    let specificTarget: Matrix
    let diagnostics: TransferDiagnostics?

    /// The table for `show` (or a default choice), nil when there is nothing to show.
    func neighborTable(show: [String]?, threads: Int) throws -> Table? {
        let words = try chosenWords(show)
        guard !words.isEmpty else { return nil }
        let sourceCount = source.rows.count
        let before = try stacked(source.general, target.vectors)
        let after = try stacked(source.specific, specificTarget)
        let queries = words.map { sourceCount + $0 }
        let found = try TransferDiagnostics.neighborTable(words: queries, before: before, after: after, k: 5, threads: threads)
        func name(_ index: Int) -> String {
            index < sourceCount
                ? "\(classifier.vocabulary[source.rows[index]]) (\(classifier.language))"
                : "\(target.vocabulary[index - sourceCount]) (\(target.language ?? "target"))"
        }
        let rows: [[TableCell]] = zip(words, found).map { word, lists in
            [
                .text(target.vocabulary[word]), .text(lists.before.map { name($0.index) }.joined(separator: ", ")),
                .text(lists.after.map { name($0.index) }.joined(separator: ", ")),
            ]
        }
        return Table(
            title: "nearest words before and after (general space vs task-specific space, both languages)",
            columns: ["word", "general space", "task-specific space"], rows: rows,
            footnote: """
                cosine neighbours among the classifier's \(classifier.language) rows and the new \(target.language ?? "target") \
                rows; the task-specific space is what the transferred classifier sees
                """)
    }

    /// Target row indices: `show` (unknown words are an error), or up to six frequent words
    /// (past the 100 most frequent, which are mostly function words) whose nearest source word
    /// occurred in the classifier's training data — the words whose vectors the task moved.
    func chosenWords(_ show: [String]?) throws -> [Int] {
        if let show {
            let missing = show.filter { !target.vocabulary.contains($0) }
            guard missing.isEmpty else {
                throw LLMMagic.failure("show= words not in the target side: \(missing.joined(separator: ", "))")
            }
            return show.compactMap { target.vocabulary.id($0) }
        }
        guard let diagnostics else { return [] }
        var chosen: [Int] = []
        for word in min(100, target.count / 2)..<target.count where chosen.count < 6 {
            let nearest = diagnostics.neighbors[word * diagnostics.k]
            if classifier.seenInTraining[source.rows[nearest]] { chosen.append(word) }
        }
        return chosen
    }

    /// [a; b]: the rows of a, then the rows of b (same column count).
    func stacked(_ a: Matrix, _ b: Matrix) throws -> Matrix {
        try Matrix(rows: a.rows + b.rows, cols: a.cols, values: a.storage + b.storage)
    }
}
