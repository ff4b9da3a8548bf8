import Embeddings

/// Word alignments of a stored parallel corpus (`%wordalign`): both IBM Model 1 directions
/// with their Viterbi links, the symmetrised alignment, and the CLSim translation similarities.
///
/// Invariant: `alignment` and both directional alignments have `parallel.sentenceCount`
/// sentences; `similarities` are over the corpus ids of `parallel` (source, target).
final class AlignmentObject: SessionObject {
    /// The name of the parallel corpus it aligns, as stored when aligned.
    let parallelName: String
    /// The parallel corpus it aligns (its ids are the similarities' ids).
    let parallel: ParallelCorpus
    /// The two trained directions and their Viterbi alignments.
    let models: BidirectionalAlignment
    /// How `alignment` combines the directions; nil: it is the forward alignment as it is.
    let method: Symmetrization?
    /// The stored alignment: `models` symmetrised by `method`.
    let alignment: WordAlignment
    /// sim(j, k) = ½ (t→(k|j) + t←(j|k)) over the pairs `alignment` links (see `TranslationSimilarity`).
    let similarities: [TranslationSimilarity]

    init(parallelName: String, parallel: ParallelCorpus, models: BidirectionalAlignment, method: Symmetrization?) {
        self.parallelName = parallelName
        self.parallel = parallel
        self.models = models
        self.method = method
        alignment = method.map { models.symmetrized($0) } ?? models.forwardAlignment
        similarities = TranslationSimilarity.compute(
            forward: models.forward, backward: models.backward,
            alignment: alignment, parallel: parallel)
    }

    /// The method's name as the user writes it (`grow-diag`, …, `none` for forward only).
    var methodName: String { method?.rawValue ?? "none (forward)" }

    var kind: String { "alignment" }
    var languages: [String] { [parallel.source.language, parallel.target.language] }
    var sizeDescription: String {
        """
        \(alignment.linkCount.formatted) links over \(parallel.sentenceCount.formatted) pairs, \(similarities.count.formatted) \
        similarities
        """
            + (models.isComplete ? "" : " (partial)")
    }
}
