import XlingCore

extension MultilingualLM {
    /// Language ℓ's input embeddings as a space over `corpus.words` without `<unk>` (the vectors
    /// the paper evaluates; row r is E^ℓ row r + 1). Throws when `corpus` is not the one the
    /// model's language ℓ was built from (its vocabulary size differs).
    public func space(language l: Int, corpus: LMCorpus) throws(LanguageModelError) -> EmbeddingSpace {
        let e = embeddings(language: l)
        guard corpus.words.count == e.rows, e.rows > 1 else {
            throw LanguageModelError(
                problem: "language \(l) has \(e.rows) rows but the \(corpus.language) corpus \(corpus.words.count) words",
                fix: "pass the corpus the model was built from")
        }
        let vectors = MLMTrainer.withoutUnknown(e)
        // The shapes agree by the guard above, so the space cannot fail.
        return try! EmbeddingSpace(vocabulary: Vocabulary(Array(corpus.words.dropFirst())), vectors: vectors, language: corpus.language)
    }
}
