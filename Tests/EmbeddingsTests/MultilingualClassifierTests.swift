import Testing

@testable import Embeddings

/// `TextClassifier.train(pooled:spaces:alignment:)` on small in-memory data: the rows of each
/// language are its own side's, Sent-Ali runs for han through the word level, and bad input throws.
@Suite struct MultilingualClassifierTests {
    static func space(_ words: [String], language: String, seed: UInt64) throws -> EmbeddingSpace {
        var g = SplitMix64(seed: seed)
        var m = Matrix(rows: words.count, cols: 6)
        for k in m.storage.indices { m.storage[k] = 2 * g.nextFloat() - 1 }
        return try EmbeddingSpace(vocabulary: Vocabulary(words), vectors: m, language: language)
    }

    static let en = LabeledDocuments(
        language: "en",
        examples: [
            ("sports", ["the", "match,", "the", "goal."]), ("health", ["the", "doctor,", "a", "patient."]),
            ("sports", ["a", "goal."]), ("health", ["a", "patient,", "the", "doctor."]),
        ])!
    static let fr = LabeledDocuments(
        language: "fr", examples: [("sports", ["le", "match,", "le", "but."]), ("health", ["le", "médecin."])])!

    @Test func pooledHANWithSentAliReadsEachLanguageThroughItsOwnSide() throws {
        let spaces = [
            "en": try Self.space(["the", "a", "match", "goal", "doctor", "patient"], language: "en", seed: 1),
            "fr": try Self.space(["le", "match", "but", "médecin"], language: "fr", seed: 2),
        ]
        let pairs = try ParallelCorpus(
            source: Corpus(language: "en", sentences: [["the", "match"], ["a", "doctor"], ["unknown"]]),
            target: Corpus(language: "fr", sentences: [["le", "match"], ["le", "médecin"], ["le"]]))
        var options = TextClassifierOptions()
        options.model = .han
        options.hidden = 3
        options.epochs = 3
        options.batchSize = 2
        let classifier = try TextClassifier.train(pooled: [Self.en, Self.fr], spaces: spaces, options: options, alignment: pairs)
        #expect(classifier.languages == ["en", "fr"])
        // "match" is a word of both sides: two rows, each language finds its own.
        let enRow = classifier.bags([["match"]], language: "en").bags[0], frRow = classifier.bags([["match"]], language: "fr").bags[0]
        #expect(enRow.count == 1 && frRow.count == 1 && enRow != frRow)
        #expect(classifier.embeddings.rows == 10)
        #expect(classifier.training?.history.last?.taskLosses.first?.name == "alignment loss")
        #expect(classifier.predict(Self.fr).count == 2)
        #expect(classifier.sentenceBags([["le", "match,", "le", "but."]], language: "fr")[0].count == 2)
    }

    @Test func badInputThrows() throws {
        let spaces = ["en": try Self.space(["the", "a", "goal", "match"], language: "en", seed: 1)]
        var options = TextClassifierOptions()
        options.model = .bigruAtt
        options.hidden = 2
        options.epochs = 1
        #expect(throws: ClassificationError.self) {
            try TextClassifier.train(pooled: [Self.en, Self.fr], spaces: spaces, options: options)
        }
        let other = LabeledDocuments(language: "fr", examples: [("travel", ["le"]), ("sports", ["le"])])!
        let both = ["en": spaces["en"]!, "fr": try Self.space(["le"], language: "fr", seed: 3)]
        do {
            _ = try TextClassifier.train(pooled: [Self.en, other], spaces: both, options: options)
            Issue.record("labels that differ between languages were accepted")
        } catch {
            #expect(error.problem.hasPrefix("the labels differ between languages"))
        }
        let empty = LabeledDocuments(language: "en", examples: [("sports", ["goal"]), ("health", [])])!
        do {
            _ = try TextClassifier.train(pooled: [empty], spaces: spaces, options: options)
            Issue.record("an empty document was accepted")
        } catch {
            #expect(error.problem == "document 2 of the en training set is empty (no tokens)")
        }
        options.model = .han
        do {
            _ = try TextClassifier.train(
                pooled: [LabeledDocuments(language: "en", examples: [("sports", ["goal"])])!], spaces: spaces, options: options)
            Issue.record("han without sentence marks was accepted")
        } catch {
            #expect(error.problem.contains("han reads documents as sentences"))
        }
    }
}
