import Testing

@testable import Embeddings

@Suite struct CorpusTests {
    @Test func defaultTokenizerLowercasesAndStripsEdgePunctuation() {
        let tokenizer = Tokenizer()
        #expect(
            tokenizer.tokens("Resumption of the 'Millennium bug' , sides: don't 1,000 -- ...") == [
                "resumption", "of", "the", "millennium", "bug", "sides", "don't", "1,000",
            ])
        #expect(tokenizer.tokens("  «Über» die   Brücke\t—  GRÜN. ") == ["über", "die", "brücke", "grün"])
        #expect(tokenizer.tokens("") == [] && tokenizer.tokens(" \t ") == [])
    }

    @Test func otherTokenizersKeepWhatTheySay() {
        #expect(Tokenizer.whitespace.tokens("Hello , World!") == ["Hello", ",", "World!"])
        #expect(Tokenizer(lowercase: true, stripPunctuation: false).tokens("Hello , World!") == ["hello", ",", "world!"])
        #expect(Tokenizer(lowercase: false, stripPunctuation: true).tokens("Hello , World!") == ["Hello", "World"])
    }

    @Test func idsAreFrequencyRanksWithTiesByWord() {
        let corpus = Corpus(language: "t", sentences: [["b", "a", "c", "a"], [], ["c", "d", "a"]])
        #expect(corpus.vocabulary.words == ["a", "c", "b", "d"])
        #expect(corpus.counts == [3, 2, 1, 1])
        #expect(corpus.sentenceCount == 3 && corpus.tokenCount == 7)
        #expect(Array(corpus.sentence(0)) == [2, 0, 1, 0] && corpus.sentence(1).isEmpty && Array(corpus.sentence(2)) == [1, 3, 0])
        #expect(corpus.vocabularySize() == 4)
        #expect(corpus.vocabularySize(minCount: 2) == 2)
        #expect(corpus.vocabularySize(minCount: 3) == 1)
        #expect(corpus.vocabularySize(minCount: 4) == 0)
        #expect(corpus.vocabularySize(minCount: 1, maxSize: 3) == 3)
    }

    @Test func idMapCarriesIdsIntoAnotherVocabulary() {
        let corpus = Corpus(language: "t", sentences: [["x", "y", "y", "z"]]) // y=0, x=1, z=2
        let model = Vocabulary(["z", "q", "y"])
        #expect(corpus.idMap(into: model, limit: 3) == [2, -1, 0])
        #expect(corpus.idMap(into: model, limit: 1) == [-1, -1, 0])
    }

    @Test func concatenatingMergesAndReranks() {
        let first = Corpus(language: "t", sentences: [["a", "b"], ["b"]])
        let second = Corpus(language: "t", sentences: [["c", "c", "c"], ["a"]])
        let both = first.concatenating([second])
        #expect(both.vocabulary.words == ["c", "a", "b"] && both.counts == [3, 2, 2])
        #expect(both.sentenceCount == 4 && both.tokenCount == 7)
        #expect(Array(both.sentence(2)) == [0, 0, 0] && Array(both.sentence(3)) == [1])
    }

    @Test func readsGzipWithMaxLines() throws {
        let corpus = try Corpus.read(path: CooccurrenceData.europarlEn, language: "en", maxLines: 300)
        #expect(corpus.sentenceCount == 300)
        #expect(corpus.vocabulary.words.first == "the")
        #expect(corpus.counts == corpus.counts.sorted(by: >))
        #expect(corpus.tokens.allSatisfy { $0 >= 0 && Int($0) < corpus.vocabulary.count })
    }

    @Test func emptyCorpusIsAnError() {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.write("empty.txt", "\n  \n -- ...\n")
        do {
            _ = try Corpus.read(path: path, language: "en")
            Issue.record("an empty corpus was accepted")
        } catch {
            #expect(error.description.contains("holds no tokens") && error.description.contains("3 lines"))
        }
    }

    @Test func parallelSidesMustHaveEqualLineCounts() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let en = dir.write("a.en", "the house\nis small\n\n")
        let de = dir.write("a.de", "das haus\nist klein\n")
        do {
            _ = try ParallelCorpus.read(sourcePath: en, targetPath: de, sourceLanguage: "en", targetLanguage: "de")
            Issue.record("a line-count mismatch was accepted")
        } catch {
            #expect(error.description.contains("different line counts (3 vs 2)"))
        }
        let parallel = try ParallelCorpus.read(sourcePath: en, targetPath: de, sourceLanguage: "en", targetLanguage: "de", maxLines: 2)
        #expect(parallel.sentenceCount == 2 && parallel.target.vocabulary.contains("klein"))
        #expect(throws: FormatError.self) {
            try ParallelCorpus(
                source: Corpus(language: "en", sentences: [["a"], ["b"]]), target: Corpus(language: "de", sentences: [["c"]]))
        }
    }

    @Test func readsPharaohAndTSVPairs() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let pharaoh = dir.write("p.txt", "The house . ||| Das Haus .\nsmall ||| klein\n")
        let p = try ParallelCorpus.read(path: pharaoh, separator: " ||| ", sourceLanguage: "en", targetLanguage: "de")
        #expect(p.sentenceCount == 2)
        #expect(p.source.sentence(0).map { p.source.vocabulary.words[Int($0)] } == ["the", "house"])
        #expect(p.target.sentence(1).map { p.target.vocabulary.words[Int($0)] } == ["klein"])
        let tsv = dir.write("t.tsv", "1\tgood day\tguten Tag\n2\tthanks\tdanke\n")
        let t = try ParallelCorpus.read(path: tsv, separator: "\t", columns: (1, 2), sourceLanguage: "en", targetLanguage: "de")
        #expect(t.source.sentence(0).map { t.source.vocabulary.words[Int($0)] } == ["good", "day"])
        #expect(t.target.sentence(1).map { t.target.vocabulary.words[Int($0)] } == ["danke"])
        let broken = dir.write("b.tsv", "a\tb\nonly one field\n")
        do {
            _ = try ParallelCorpus.read(path: broken, separator: "\t", sourceLanguage: "en", targetLanguage: "de")
            Issue.record("a line without a TAB was accepted")
        } catch {
            #expect(error.line == 2 && error.description.contains("needs 2"))
        }
    }
}
