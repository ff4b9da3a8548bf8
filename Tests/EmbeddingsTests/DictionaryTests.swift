import Testing

@testable import Embeddings

@Suite struct DictionaryTests {
    typealias Pair = BilingualDictionary.Pair

    @Test func readsTheXlingEvalTSVSplit() throws {
        let dictionary = try BilingualDictionary.load(path: RealData.yacle500, format: .tsv)
        #expect(dictionary.count == 500 && dictionary.sources.count == 500)
        #expect(dictionary.pairs.first == Pair(source: "of", target: "de"))
        #expect(dictionary.translations(of: "to") == ["à"]) // the file has `to<TAB>à ` (trailing blank)
        #expect(try BilingualDictionary.load(path: RealData.yacle500) == dictionary) // .auto → tsv
    }

    @Test func readsTheDinuMuseFormat() throws {
        let dictionary = try BilingualDictionary.load(path: RealData.dinuDictionary, format: .muse)
        #expect(dictionary.count == 20 && dictionary.pairs.first == Pair(source: "one", target: "uno"))
        #expect(dictionary.translations(of: "fish") == ["cavallo"]) // the known wrong pair
        #expect(try BilingualDictionary.load(path: RealData.dinuDictionary) == dictionary)
    }

    @Test func readsMuseFullAtFormatSwapped() throws {
        let dictionary = try BilingualDictionary.load(path: RealData.museEnFr, format: .at)
        #expect(dictionary.count == 113_286 && dictionary.sources.count == 94_681)
        #expect(dictionary.pairs.first == Pair(source: "the", target: "le")) // `le @ the`
        #expect(dictionary.translations(of: "the") == ["le", "les", "la"])
        #expect(dictionary.sources.prefix(2) == ["the", "and"])
        #expect(try BilingualDictionary.load(path: RealData.museEnFr) == dictionary)
    }

    @Test func parsesInMemoryTextAndDropsDuplicates() throws {
        let text = "\nthe le\nthe la\n  \nthe le\ncat chat\n"
        let dictionary = try BilingualDictionary.parse(text, name: "%%dict cell")
        #expect(
            dictionary.pairs == [Pair(source: "the", target: "le"), Pair(source: "the", target: "la"), Pair(source: "cat", target: "chat")])
        #expect(dictionary.sources == ["the", "cat"] && dictionary.translations(of: "dog").isEmpty)
        #expect(try BilingualDictionary.parse("le @ the\nchat @ cat").pairs.last == Pair(source: "cat", target: "chat"))
        #expect(try BilingualDictionary.parse("the\tle\r\nof\tde").count == 2)
        #expect(BilingualDictionary(pairs: [("a", "b"), ("a", "b")]).count == 1)
    }

    @Test func malformedAndEmptyInputsAreErrors() throws {
        let wrong = try #require(throws: FormatError.self) { try BilingualDictionary.parse("the le\nthe le la\n", name: "cell") }
        #expect(wrong.line == 2 && wrong.description.hasPrefix("cell line 2: expected 'source target'"))
        let tsv = try #require(throws: FormatError.self) { try BilingualDictionary.parse("a\tb\nc d\n", format: .tsv) }
        #expect(tsv.line == 2)
        let at = try #require(throws: FormatError.self) { try BilingualDictionary.parse("le @ the\nle the\n") }
        #expect(at.line == 2 && at.problem.contains("'target @ source'"))
        let empty = try #require(throws: FormatError.self) { try BilingualDictionary.parse(" \n\n", name: "empty.txt") }
        #expect(empty.problem == "no pairs in empty.txt")
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let blank = dir.write("blank.tsv", "\n\n")
        #expect(throws: FormatError.self) { try BilingualDictionary.load(path: blank) }
        let latin = dir.write("latin.txt", bytes: Array("a b\n".utf8) + [0x63, 0x61, 0x66, 0xe9, 0x20, 0x78, 0x0a])
        let bad = try #require(throws: FormatError.self) { try BilingualDictionary.load(path: latin) }
        #expect(bad.line == 2 && bad.problem.contains("UTF-8"))
        #expect(throws: FormatError.self) { try BilingualDictionary.load(path: dir.file("none.txt")) }
    }

    @Test func coverageCountsAgainstRealVocabularies() throws {
        let (english, _) = try Word2VecText.load(path: RealData.englishVec)
        let (french, _) = try Word2VecText.load(path: RealData.frenchVec)
        let muse = try BilingualDictionary.load(path: RealData.museEnFr)
        let coverage = muse.coverage(source: english.vocabulary, target: french.vocabulary)
        // Reference counts computed with Python over the same files.
        #expect(coverage.inVocabulary == 514 && coverage.sourceOnlyMissing == 531)
        #expect(coverage.targetOnlyMissing == 1066 && coverage.bothMissing == 111_175)
        #expect(coverage.total == muse.count && coverage.rows.count == 514)
        let first = try #require(coverage.rows.first)
        #expect(english.vocabulary[first.source] == "the" && french.vocabulary[first.target] == "le")
        let yacle = try BilingualDictionary.load(path: RealData.yacle5k).coverage(source: english.vocabulary, target: french.vocabulary)
        #expect([yacle.inVocabulary, yacle.sourceOnlyMissing, yacle.targetOnlyMissing, yacle.bothMissing] == [270, 266, 215, 4249])
    }

    /// The xling-eval en–de test pairs keep German nouns capitalised (`Kommission`), while corpora
    /// are lowercased: lowercasing the dictionary nearly doubles its coverage of the Europarl
    /// vocabularies, and pairs that become equal are merged.
    @Test func lowercasingRaisesCoverageOfLowercasedCorpora() throws {
        let raw = try BilingualDictionary.load(path: "notebooks/data/xling-eval-en-de/yacle.test.freq.2k.en-de.tsv.gz")
        #expect(raw.pairs.contains { $0.target.first?.isUppercase == true })
        let lowered = raw.lowercased()
        #expect(lowered.pairs.allSatisfy { $0.source == $0.source.lowercased() && $0.target == $0.target.lowercased() })
        let vocabularies = try ["en", "de"].map { l in
            try Corpus.read(path: "notebooks/data/europarl-en-de/\(l).txt.gz", language: l, maxLines: 3000).vocabulary
        }
        let before = raw.coverage(source: vocabularies[0], target: vocabularies[1])
        let after = lowered.coverage(source: vocabularies[0], target: vocabularies[1])
        // 86 → 163 of the 2,000 pairs on 3,000 lines (245 → 582 on the whole 20k-line files).
        #expect(2 * after.inVocabulary > 3 * before.inVocabulary, "\(before.inVocabulary) → \(after.inVocabulary) of \(raw.count)")
        let merged = BilingualDictionary(pairs: [("House", "Haus"), ("house", "haus"), ("Über", "ÜBER"), ("the", "die")]).lowercased()
        #expect(
            merged.pairs == [
                Pair(source: "house", target: "haus"), Pair(source: "über", target: "über"), Pair(source: "the", target: "die"),
            ])
    }
}
