import Testing
import XlingCore

@testable import Embeddings

/// The data pipeline of `MultilingualLM`: vocabulary by min_count and UNK, oversampled
/// length-sorted buckets, the seeded per-epoch order and the language/direction schedule.
struct LMDataTests {
    static let text: [[String]] = [
        ["a", "b", "a"], [], ["c", "a", "b", "d"], ["a"], ["b", "b", "e", "a", "c", "a"],
    ]

    @Test func vocabularyAndUnknown() throws {
        let corpus = Corpus(language: "xx", sentences: Self.text)
        let lm = try LMCorpus(corpus, minCount: 2, maxLength: 5)
        #expect(lm.words == ["<unk>", "a", "b", "c"])
        // The empty line and the 6-token line are dropped; d maps to UNK.
        #expect(lm.droppedLines == 2)
        #expect(lm.sentences == [[1, 2, 1], [3, 1, 2, 0], [1]])
        #expect(abs(lm.unknownRate - 1.0 / 8) < 1e-12)
        let capped = try LMCorpus(corpus, minCount: 1, maxWords: 1)
        #expect(capped.words == ["<unk>", "a"])
        #expect(capped.sentences[3] == [0, 0, 0, 1, 0, 1])
    }

    @Test func errors() {
        let corpus = Corpus(language: "xx", sentences: Self.text)
        #expect(throws: LanguageModelError.self) { try LMCorpus(corpus, minCount: 99) }
        #expect(throws: LanguageModelError.self) { try LMCorpus(corpus, minCount: 0) }
        let empty = Corpus(language: "yy", sentences: [[String]](repeating: [], count: 3))
        #expect(throws: LanguageModelError.self) { try LMCorpus(empty, minCount: 1) }
        #expect(throws: LanguageModelError.self) { try LMBuckets([[[1]], []], batchSize: 4, seed: 1) }
        #expect(throws: LanguageModelError.self) { try LMBuckets([[[1]]], batchSize: 0, seed: 1) }
        #expect(throws: LanguageModelError.self) {
            try MultilingualLM(.init(vocabularySizes: [3, 0], embedding: 4, hidden: 4), seed: 1)
        }
    }

    @Test func oversampledSortedBuckets() throws {
        let large = (1...10).map { n in [Int](repeating: n, count: n % 4 + 1) }
        let small = [[7], [8, 8, 8], [9, 9]]
        let b = try LMBuckets([large, small], batchSize: 4, seed: 5)
        #expect(b.sentencesPerLanguage == 10 && b.bucketCount == 3)
        for l in 0..<2 {
            #expect(b.buckets[l].map(\.count) == [4, 4, 2])
            let flat = b.buckets[l].flatMap { $0 }
            #expect(flat.map(\.count) == flat.map(\.count).sorted(by: >), "length-sorted descending across buckets")
        }
        #expect(Set(b.buckets[0].flatMap { $0 }) == Set(large))
        // 10 = 3 whole copies of 3 sentences + 1 drawn without repetition.
        let counts = Dictionary(grouping: b.buckets[1].flatMap { $0 }, by: { $0 }).mapValues(\.count)
        #expect(counts.values.sorted() == [3, 3, 4])
        #expect(try LMBuckets([large, small], batchSize: 4, seed: 5).buckets == b.buckets)
    }

    @Test func epochOrderAndSchedule() throws {
        let sentences = (0..<640).map { [Int](repeating: 1, count: $0 % 30 + 1) }
        let b = try LMBuckets([sentences, Array(sentences.prefix(100))], batchSize: 64, seed: 2)
        #expect(b.bucketCount == 10)
        let e0 = b.order(epoch: 0, seed: 9), e1 = b.order(epoch: 1, seed: 9)
        #expect(e0.sorted() == Array(0..<10) && e1.sorted() == Array(0..<10))
        #expect(e0 != e1)
        #expect(b.order(epoch: 0, seed: 9) == e0)
        let steps = b.steps(epoch: 0, seed: 9)
        #expect(steps.count == 10 * 2 * 2)
        #expect(steps.prefix(4).map(\.language) == [0, 0, 1, 1])
        #expect(steps.prefix(4).map(\.direction) == [.forward, .backward, .forward, .backward])
        #expect(Set(steps.prefix(4).map(\.bucket)) == [e0[0]])
    }

    /// On real Europarl text, length-sorted buckets of 64 pad little (spec: ≈ 1.02–1.08×).
    @Test func europarlPadding() throws {
        let corpus = try Corpus.read(path: "notebooks/data/europarl-en-de/en.txt.gz", language: "en", maxLines: 4000)
        let lm = try LMCorpus(corpus, minCount: 3)
        let b = try LMBuckets([lm.sentences], batchSize: 64, seed: 1)
        var real = 0, padded = 0
        for bucket in b.buckets[0] {
            real += bucket.reduce(0) { $0 + $1.count + 1 }
            padded += bucket.count * ((bucket.map(\.count).max() ?? 0) + 1)
        }
        #expect(Double(padded) / Double(real) < 1.1)
        #expect(lm.unknownRate > 0 && lm.unknownRate < 0.2)
    }
}
