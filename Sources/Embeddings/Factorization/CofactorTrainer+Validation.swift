extension CofactorTrainer {
    /// Checks the options, the two monolingual matrices and the cross term against the
    /// vocabularies the monolingual matrices define; throws the first problem found.
    func validate(first: CooccurrenceMatrix, second: CooccurrenceMatrix, cross: CrossLingualObjective) throws(FactorizationError) {
        try FactorizationChecks.positive(options.dimension, "dimension")
        try FactorizationChecks.positive(options.threads, "threads")
        try FactorizationChecks.nonNegative(options.iterations, "iterations")
        try FactorizationChecks.positive(options.monolingualXMax, "monolingual x_max")
        try FactorizationChecks.positive(options.crossXMax, "cross-lingual x_max")
        try FactorizationChecks.positive(options.learningRate, "learning rate")
        try FactorizationChecks.nonNegative(options.alpha, "alpha")
        try FactorizationChecks.nonNegative(options.firstWeight, "weight ω1")
        try FactorizationChecks.nonNegative(options.secondWeight, "weight ω2")
        try FactorizationChecks.nonNegative(options.crossWeight, "weight ωc")
        for (matrix, name) in [(first, "first language's"), (second, "second language's")] {
            guard matrix.rowCount == matrix.columnCount else {
                throw FactorizationError(
                    problem: """
                        the \(name) co-occurrence matrix is \(matrix.rowCount)×\(matrix.columnCount), but words and contexts share one \
                        vocabulary
                        """,
                    fix: "count monolingual co-occurrences within one corpus so the matrix is square")
            }
            try FactorizationChecks.entries(matrix, name: "\(name) co-occurrence matrix")
        }
        let n1 = first.rowCount, n2 = second.rowCount
        switch cross {
        case .cooccurrence(let matrix):
            guard matrix.rowCount == n1, matrix.columnCount == n2 else {
                throw FactorizationError(
                    problem: """
                        the cross-lingual matrix is \(matrix.rowCount)×\(matrix.columnCount) but the vocabularies have \(n1) and \(n2) words
                        """,
                    fix: """
                        count the bilingual co-occurrences over the vocabularies of the two monolingual matrices \
                        (rows: first language, columns: second)
                        """)
            }
            try FactorizationChecks.entries(matrix, name: "cross-lingual matrix")
        case .similarity(let pairs):
            guard !pairs.isEmpty else {
                throw FactorizationError(
                    problem: "the cross-lingual similarity list is empty",
                    fix: """
                        give at least one (source, target, similarity) pair, or use .none to train the languages \
                        independently
                        """)
            }
            for (i, p) in pairs.enumerated() {
                guard p.source >= 0, Int(p.source) < n1, p.target >= 0, Int(p.target) < n2 else {
                    throw FactorizationError(
                        problem: """
                            similarity pair \(i) links word \(p.source) to word \(p.target), but the vocabularies have \(n1) and \(n2) words
                            """,
                        fix: """
                            map both words to ids of the monolingual matrices' vocabularies and drop pairs outside \
                            them
                            """)
                }
                guard p.similarity.isFinite, p.similarity >= 0 else {
                    throw FactorizationError(
                        problem: "similarity pair \(i) (\(p.source), \(p.target)) has similarity \(p.similarity)",
                        fix: "use finite similarities ≥ 0 such as translation probabilities")
                }
            }
        case .none:
            break
        }
    }
}
