import Embeddings

extension TSNEMagic {
    /// One language of the pictured object: its code, its vocabulary (frequency order) and its
    /// vectors with unit rows in the shared space (so squared distances are 2 − 2·cosine).
    struct Language {
        let code: String
        let vocabulary: Vocabulary
        let unit: Matrix
    }

    /// The words to picture: for each point its language index and row, and which points get
    /// a visible label, highest priority first.
    struct Selection {
        /// The pictured languages, in legend order.
        let languages: [Language]
        /// (language index, row) per point, grouped by language, rows in frequency order.
        let points: [(language: Int, row: Int)]
        /// Indices into `points` to label, highest priority first.
        let labelled: [Int]

        /// The number of points of each language, in `languages` order.
        var counts: [Int] { languages.indices.map { l in points.count { $0.language == l } } }

        /// The points' unit vectors stacked as an N×d matrix (row i = `points[i]`).
        func matrix() throws -> Matrix {
            let dimension = languages.first?.unit.cols ?? 0
            var storage: [Float] = []
            storage.reserveCapacity(points.count * dimension)
            for (language, row) in points {
                let unit = languages[language].unit
                storage += unit.storage[(row * dimension)..<((row + 1) * dimension)]
            }
            return try Matrix(rows: points.count, cols: dimension, values: storage)
        }

        /// The word of point `i`.
        func word(_ i: Int) -> String { languages[points[i].language].vocabulary[points[i].row] }
    }

    /// The languages of the object `name` (or the latest mapping / joint space, else the
    /// latest vectors): both sides of a mapping, mapped into the shared space, or one space.
    static func languages(of name: String?, session: Session) throws(MagicError) -> (name: String, languages: [Language]) {
        let latestMapping = session.order.last { session.objects[$0]?.object is MappingObject }
        let latestSpace = session.order.last { session.objects[$0]?.object is SpaceObject }
        guard let chosen = name ?? latestMapping ?? latestSpace else {
            throw Self.failure(
                """
                nothing to picture: load vectors (%load vectors) or make a mapping or joint space (%align, %train cofactor), then `%tsne \
                NAME`
                """)
        }
        let object = try session.object(chosen, for: "tsne")
        switch object {
        case let mapping as MappingObject:
            do {
                let mapped = try mapping.mapped()
                let unit = try mapping.unitVectors()
                let source = mapped.source.language ?? mapping.sourceName
                var target = mapped.target.language ?? mapping.targetName
                if target == source { target = mapping.targetName }
                guard unit.source.cols == unit.target.cols else {
                    throw Self.failure(
                        """
                        `\(chosen)` maps into \(unit.source.cols) dimensions but its target has \(unit.target.cols): it is not one shared \
                        space
                        """)
                }
                return (
                    chosen,
                    [
                        Language(code: source, vocabulary: mapped.source.vocabulary, unit: unit.source),
                        Language(code: target, vocabulary: mapped.target.vocabulary, unit: unit.target),
                    ]
                )
            } catch let error as MagicError {
                throw error
            } catch {
                throw Self.failure("\(error)")
            }
        case let space as SpaceObject:
            return (chosen, [Language(code: space.space.language ?? chosen, vocabulary: space.space.vocabulary, unit: space.unitVectors())])
        default:
            throw Self.failure("`\(chosen)` holds \(object.kind) (`%who` lists every object), not vectors, a mapping or a joint space")
        }
    }

    /// Whether `word` deserves a visible label: it has a letter or digit and is not a special
    /// token such as `</s>`, `<unk>`, `<pad>` or `[CLS]` (those still get a dot and a tooltip).
    static func labelWorthy(_ word: String) -> Bool {
        if word.count > 2, (word.hasPrefix("<") && word.hasSuffix(">")) || (word.hasPrefix("[") && word.hasSuffix("]")) {
            return false
        }
        return word.contains { $0.isLetter || $0.isNumber }
    }

    /// Chooses the points from `words=` or `top=` (default `top=200`) in the languages
    /// of `langs=` (default all), and the labels from `labels=` (default: every chosen word
    /// with `words=`, else the `defaultLabels` most frequent, the languages interleaved); punctuation
    /// and special tokens are never labelled (`labelWorthy`).
    static func select(from all: [Language], objectName: String, arguments: MagicArguments) throws(MagicError) -> Selection {
        var languages = all
        if let wanted = arguments[Self.langs] {
            let have = all.map(\.code).joined(separator: ", ")
            for code in wanted where !all.contains(where: { $0.code == code }) {
                throw Self.failure("`\(objectName)` has no language `\(code)` (it has \(have)); write langs= with those")
            }
            languages = wanted.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
                .compactMap { code in all.first { $0.code == code } }
        }
        var points: [(language: Int, row: Int)] = []
        var byRank: [[Int]] = Array(repeating: [], count: languages.count) // point indices per language, frequency order
        if let words = arguments[Self.words] {
            var missing: [String] = []
            var found = 0
            for word in words {
                var seen = false
                for (l, language) in languages.enumerated() {
                    guard let row = language.vocabulary.id(word) else { continue }
                    seen = true
                    if points.contains(where: { $0.language == l && $0.row == row }) { continue }
                    points.append((l, row))
                }
                if seen { found += 1 } else { missing.append(word) }
            }
            if !missing.isEmpty {
                let codes = languages.map(\.code).joined(separator: " or ")
                let shown = missing.prefix(10).map { "`\($0)`" }.joined(separator: ", ") + (missing.count > 10 ? ", …" : "")
                throw Self.failure(
                    """
                    \(missing.count) of \(words.count) words are not in \(codes) of `\(objectName)`: \(shown) (found \(found)); fix the \
                    spelling or leave them out
                    """)
            }
            points.sort { ($0.language, $0.row) < ($1.language, $1.row) }
        } else {
            let top = arguments[Self.top]
            for (l, language) in languages.enumerated() {
                for row in 0..<min(top, language.vocabulary.count) { points.append((l, row)) }
            }
        }
        for (i, point) in points.enumerated() where labelWorthy(languages[point.language].vocabulary[point.row]) {
            byRank[point.language].append(i)
        }
        // Interleave the languages rank by rank: en's 1st, fr's 1st, en's 2nd, …
        var interleaved: [Int] = []
        for rank in 0..<(byRank.map(\.count).max() ?? 0) {
            for list in byRank where rank < list.count { interleaved.append(list[rank]) }
        }
        let labelCount = arguments[Self.labels] ?? (arguments.has(Self.words) ? interleaved.count : defaultLabels)
        return Selection(languages: languages, points: points, labelled: Array(interleaved.prefix(labelCount)))
    }
}
