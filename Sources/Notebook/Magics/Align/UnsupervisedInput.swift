import Embeddings
import Jupyter

/// Checks and reports shared by the methods that align without (or beyond) a dictionary
/// (`%align vecmap`, `%align rcsls`, later `%align muse`): input validation with errors that
/// name the fix, and the failure detector's verdict as table rows.
enum UnsupervisedInput {
    /// The first row of `space` that has a NaN/∞ entry or is all zeros, as an error naming the
    /// word; nil when every row is usable.
    static func badRow(_ space: EmbeddingSpace, name: String) -> String? {
        let d = space.dimension
        guard d > 0 else { return "`\(name)` has 0 dimensions" }
        for i in 0..<space.count {
            var zero = true
            for j in 0..<d {
                let v = space.vectors.storage[i * d + j]
                if !v.isFinite {
                    return """
                        `\(name)` row \(i + 1) (`\(space.vocabulary[i])`) has a non-finite value (\(v)); remove that line from \
                        the file or load fewer words with max=
                        """
                }
                if v != 0 { zero = false }
            }
            if zero {
                return """
                    `\(name)` row \(i + 1) (`\(space.vocabulary[i])`) is all zeros, which has no direction to normalise or \
                    compare; remove that line from the file or load fewer words with max=
                    """
            }
        }
        return nil
    }

    /// The normalisation chain of `key`, or a usage error.
    static func chain(_ arguments: MagicArguments, _ key: Key<[String]>) throws -> [EmbeddingSpace.Normalization] {
        switch EmbeddingSpace.Normalization.chain(arguments[key].joined(separator: ",")) {
        case .success(let steps): return steps
        case .failure(let error): throw arguments.usageError("\(key.option.key)=: \(error)")
        }
    }

    /// Both spaces, checked and normalised: equal dimensions, no NaN/zero rows.
    static func spaces(
        _ arguments: MagicArguments, session: Session, method: String, normalization: [EmbeddingSpace.Normalization]
    ) throws -> (source: EmbeddingSpace, target: EmbeddingSpace, sourceName: String, targetName: String) {
        let sourceName = arguments[AlignKeys.src], targetName = arguments[AlignKeys.tgt]
        var source = try session.space(sourceName, for: "align").space
        var target = try session.space(targetName, for: "align").space
        let magic = "align \(method)"
        guard source.dimension == target.dimension else {
            throw MagicError.failed(
                magic: magic,
                message: """
                    dimension mismatch: `\(sourceName)` has \(source.dimension) dimensions, `\(targetName)` has \
                    \(target.dimension); \(method) maps with orthogonal or square maps, so load spaces of equal dimension \
                    (lstsq, cca and svd accept different ones)
                    """)
        }
        for (space, name) in [(source, sourceName), (target, targetName)] {
            if let problem = badRow(space, name: name) { throw MagicError.failed(magic: magic, message: problem) }
        }
        source.normalize(normalization)
        target.normalize(normalization)
        return (source, target, sourceName, targetName)
    }

    /// The detector's verdict as summary rows.
    static func verdictRows(_ judgement: FailureDetector.Judgement) -> [[TableCell]] {
        var rows: [[TableCell]] = [[.text("verdict (failure detector)"), .text(judgement.verdict.rawValue)]]
        for j in [judgement] {
            rows.append([
                .text(j.criterion),
                .text(
                    """
                    \(NumberText.fixed(j.value, 3)) (random rotations, refined alike: \(NumberText.fixed(j.nullMean, 3)) \
                    ± \(NumberText.fixed(j.nullSpread, 3)), max \(NumberText.fixed(j.nullMax, 3)))
                    """),
            ])
        }
        return rows
    }
}
