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

    /// Sent-Ali's loss, 1 − mean cos(S_i, T_i), is also minimised by an encoder that maps every
    /// sentence to one vector. After align= training on word-by-word translations, the encoder
    /// must still tell translations from other sentences (held-out pairs), and keep sentences apart.
    @Test func sentAliKeepsSentenceVectorsApart() throws {
        let n = 16
        let enWords = (0..<n).map { "e\($0)" }, frWords = (0..<n).map { "f\($0)" }
        let spaces = [
            "en": try Self.space(enWords, language: "en", seed: 11), "fr": try Self.space(frWords, language: "fr", seed: 12),
        ]
        var g = SplitMix64(seed: 5)
        func sentences(_ count: Int) -> [[Int]] {
            (0..<count).map { _ in (0..<(3 + Int(g.next() % 3))).map { _ in Int(g.next() % UInt64(n)) } }
        }
        func corpus(_ ids: [[Int]]) throws -> ParallelCorpus {
            try ParallelCorpus(
                source: Corpus(language: "en", sentences: ids.map { $0.map { enWords[$0] } }),
                target: Corpus(language: "fr", sentences: ids.map { $0.map { frWords[$0] } }))
        }
        let train = try corpus(sentences(120)), held = try corpus(sentences(60))
        // Two topics: words 0–7 and 8–15, in both languages.
        func documents(_ words: [String], language: String) -> LabeledDocuments {
            LabeledDocuments(
                language: language,
                examples: (0..<24).map { k in
                    let topic = k % 2
                    return (topic == 0 ? "a" : "b", (0..<4).map { _ in words[topic * n / 2 + Int(g.next() % UInt64(n / 2))] })
                })!
        }
        var options = TextClassifierOptions()
        options.model = .bigruAtt
        options.hidden = 8
        options.epochs = 15
        options.batchSize = 8
        options.alignLearningRate = 0.01
        let pooled = [documents(enWords, language: "en"), documents(frWords, language: "fr")]
        let classifier = try TextClassifier.train(pooled: pooled, spaces: spaces, options: options, alignment: train)
        let spread = try #require(classifier.sentenceEncoderSpread(held))
        let alignment = try #require(classifier.training?.history.last?.taskLosses.first { $0.name == "alignment loss" }?.value)
        // With the in-batch negative a constant encoder scores 1; the loss is 1 − matched + other.
        #expect(alignment < 0.8, "the alignment task did not train: loss \(alignment)")
        #expect(spread.matched > spread.other + 0.2, "\(spread)")
        #expect(spread.sourceSpread < 0.9, "\(spread)")
        // The paper's loss alone collapses here: every sentence gets about the same vector, and the
        // check says so (measured: matched 0.998, other 0.996, source spread 0.997).
        options.alignNegatives = false
        let paper = try TextClassifier.train(pooled: pooled, spaces: spaces, options: options, alignment: train)
        let collapsed = try #require(paper.sentenceEncoderSpread(held))
        #expect(collapsed.sourceSpread > 0.95 && collapsed.matched - collapsed.other < 0.05, "\(collapsed)")
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
