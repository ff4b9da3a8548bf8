import Testing

@testable import Embeddings

#if canImport(Glibc)
import Glibc
#endif

/// IBM Model 1 EM, Viterbi, symmetrisation, AER and the CLSim similarities on hand-checkable
/// examples. Expected values: Koehn, *Statistical Machine Translation* fig. 4.4 (no NULL), and
/// `Tests/reference/ibm1_reference.py` (a direct transcription of the EM equations).
@Suite struct AlignmentTests {
    /// Koehn's three-sentence example: das Haus / the house, das Buch / the book, ein Buch / a book.
    static let koehn = Self.parallel([("das haus", "the house"), ("das buch", "the book"), ("ein buch", "a book")])

    static func parallel(_ pairs: [(String, String)]) -> ParallelCorpus {
        let tokenizer = Tokenizer(lowercase: true, stripPunctuation: false)
        let source = Corpus(language: "de", sentences: pairs.map { tokenizer.tokens($0.0) })
        let target = Corpus(language: "en", sentences: pairs.map { tokenizer.tokens($0.1) })
        return (try? ParallelCorpus(source: source, target: target)) ?? { fatalError("unequal sides") }()
    }

    /// t(f | e) by words; e nil = NULL.
    func t(_ model: IBMModel1, _ f: String, _ e: String?, in parallel: ParallelCorpus = koehn) -> Float {
        let (eSide, fSide) = model.direction == .forward ? (parallel.source, parallel.target) : (parallel.target, parallel.source)
        guard let fid = fSide.vocabulary.id(f) else { return -1 }
        return model.table.probability(of: Int32(fid), given: e.map { Int32(eSide.vocabulary.id($0) ?? -1) })
    }

    @Test func emWithoutNullMatchesKoehnsTable() {
        let one = IBMModel1.train(Self.koehn, options: .init(iterations: 1, nullWord: false))
        // Iteration 1 from uniform 1/4: each target word's count is split evenly over its two generators.
        #expect(t(one, "the", "das") == 0.5 && t(one, "house", "das") == 0.25 && t(one, "book", "das") == 0.25)
        #expect(t(one, "book", "buch") == 0.5 && t(one, "a", "ein") == 0.5 && t(one, "house", "ein") == 0)
        // ln L = 6 · ln(½ · (¼ + ¼)) with uniform t; perplexity 4.
        #expect(abs(one.iterations[0].logLikelihood - 6 * log(0.25)) < 1e-9 && abs(one.iterations[0].perplexity - 4) < 1e-9)
        let two = IBMModel1.train(Self.koehn, options: .init(iterations: 2, nullWord: false))
        #expect(abs(t(two, "the", "das") - 0.636364) < 1e-5 && abs(t(two, "house", "haus") - 0.571429) < 1e-5)
        #expect(abs(t(two, "the", "haus") - 0.428571) < 1e-5 && abs(t(two, "book", "ein") - 0.428571) < 1e-5)
        #expect(abs(two.iterations[1].logLikelihood - -5.3096113731667955) < 1e-6)
        #expect(two.iterations[1].logLikelihood > two.iterations[0].logLikelihood) // EM never decreases it
    }

    @Test func emWithNullMatchesTheReferenceScript() {
        let model = IBMModel1.train(Self.koehn, options: .init(iterations: 2))
        #expect(abs(t(model, "the", "das") - 0.624266) < 1e-5 && abs(t(model, "a", "buch") - 0.203523) < 1e-5)
        #expect(abs(t(model, "book", nil) - 0.377069) < 1e-5 && abs(t(model, "house", nil) - 0.122931) < 1e-5)
        #expect(abs(model.iterations[1].perplexity - 2.7320197048423625) < 1e-5)
        #expect(model.table.pairCount == 10 + 4) // co-occurring pairs + a NULL row over the 4 target words
        for row in 0...model.table.nullRow {
            let sum = (model.table.rowStarts[row]..<model.table.rowStarts[row + 1]).reduce(Float(0)) { $0 + model.table.probabilities[$1] }
            #expect(abs(sum - 1) < 1e-5)
        }
    }

    @Test func viterbiLinksBothDirectionsAsSourceTargetPositions() {
        let options = IBMModel1.Options(iterations: 10, nullWord: false)
        let forward = IBMModel1.train(Self.koehn, options: options).viterbi(Self.koehn)
        let expected = WordAlignment(sentences: [
            [.init(source: 0, target: 0), .init(source: 1, target: 1)],
            [.init(source: 0, target: 0), .init(source: 1, target: 1)],
            [.init(source: 0, target: 0), .init(source: 1, target: 1)],
        ])
        #expect(forward == expected)
        let backward = IBMModel1.train(Self.koehn, direction: .backward, options: options)
        #expect(t(backward, "das", "the") > 0.9)
        #expect(backward.viterbi(Self.koehn) == expected)
    }

    @Test func threadsAreDeterministicAndAgreeWithOneThread() {
        let pairs = (0..<40).map { i in ("w\(i % 7) x\(i % 3) y\(i % 5) the", "v\(i % 7) u\(i % 3) z\(i % 5) le") }
        let parallel = Self.parallel(pairs)
        let a = IBMModel1.train(parallel, options: .init(iterations: 4, threads: 3))
        let b = IBMModel1.train(parallel, options: .init(iterations: 4, threads: 3))
        let single = IBMModel1.train(parallel, options: .init(iterations: 4, threads: 1))
        #expect(a.table.probabilities == b.table.probabilities && a.iterations.map(\.logLikelihood) == b.iterations.map(\.logLikelihood))
        #expect(zip(a.table.probabilities, single.table.probabilities).allSatisfy { abs($0 - $1) < 1e-5 })
        #expect(t(a, "v3", "w3", in: parallel) > t(a, "u0", "w3", in: parallel))
    }

    @Test func stoppingKeepsThePartialModel() {
        let stopped = IBMModel1.train(Self.koehn, options: .init(iterations: 5), progress: { .stopping(if: !$0.isPoll && $0.step >= 2) })
        #expect(stopped.iterations.count == 2 && !stopped.isComplete)
        #expect(stopped.table.probabilities == IBMModel1.train(Self.koehn, options: .init(iterations: 2)).table.probabilities)
        let pairs = Array(repeating: ("a b", "c d"), count: 600)
        let never = IBMModel1.train(Self.parallel(pairs), options: .init(iterations: 3), progress: { _ in .stop })
        #expect(never.iterations.isEmpty && never.viterbi(Self.parallel(pairs)).linkCount == 0) // uniform: NULL wins ties
        let both = BidirectionalAlignment.train(Self.koehn, options: .init(iterations: 3)) {
            .stopping(if: !$0.isPoll && $0.phase == "forward EM")
        }
        #expect(!both.isComplete && both.forward.iterations.count == 1 && both.backward.iterations.isEmpty)
    }

    @Test func diagonalPriorFavoursTheDiagonalAndSumsToOne() {
        var weights: [Double] = []
        AlignmentPrior.fastAlign.fill(&weights, j: 2, generatedLength: 5, sourceLength: 5, nullWord: true)
        #expect(weights.count == 6 && abs(weights.reduce(0, +) - 1) < 1e-12 && weights[0] == 0.08)
        #expect(weights.indices.dropFirst().max { weights[$0] < weights[$1] } == 3) // source word 3 of 5 ↔ target 3 of 5
        // exp(−4 |i/5 − 3/5|) is symmetric around i = 3.
        #expect(abs(weights[2] - weights[4]) < 1e-12 && weights[1] < weights[2])
        AlignmentPrior.uniform.fill(&weights, j: 0, generatedLength: 3, sourceLength: 3, nullWord: true)
        #expect(weights == [0.25, 0.25, 0.25, 0.25])
        AlignmentPrior.fastAlign.fill(&weights, j: 0, generatedLength: 3, sourceLength: 2, nullWord: false)
        #expect(weights.count == 2 && abs(weights.reduce(0, +) - 1) < 1e-12 && weights[0] > weights[1])
        // A monotone toy corpus: with the prior, repeated words still align along the diagonal.
        let parallel = Self.parallel([("a a b", "x x y"), ("b a a", "y x x")])
        let model = IBMModel1.train(parallel, options: .init(iterations: 5, prior: .fastAlign))
        #expect(model.viterbi(parallel).sentences[0] == Self.links("0-0 1-1 2-2"))
        #expect(model.viterbi(parallel).sentences[1] == Self.links("0-0 1-1 2-2"))
    }

    static func links(_ text: String) -> [AlignmentLink] {
        text.split(separator: " ").map { pair in
            let parts = pair.split(separator: "-").compactMap { Int32($0) }
            return AlignmentLink(source: parts[0], target: parts[1])
        }.sorted()
    }

    @Test func symmetrizationHeuristics() {
        // forward: each target once; backward: each source once. 0-0 and 2-2 agree.
        let forward = Self.links("0-0 1-1 2-2 0-3"), backward = Self.links("0-0 1-2 2-2 3-3")
        #expect(Symmetrization.intersection.links(forward: forward, backward: backward) == Self.links("0-0 2-2"))
        #expect(Symmetrization.union.links(forward: forward, backward: backward) == Self.links("0-0 0-3 1-1 1-2 2-2 3-3"))
        // grow-diag: 1-1 neighbours 0-0 and 2-2 (diagonal) and source 1 is unaligned → added; then 1-2
        // (neighbour of 2-2 and 1-1, but source 1 and target 2 are both aligned now) is not; 3-3
        // neighbours 2-2 diagonally with source 3 unaligned → added; 0-3 has no aligned neighbour.
        #expect(Symmetrization.growDiag.links(forward: forward, backward: backward) == Self.links("0-0 1-1 2-2 3-3"))
        // The final steps find nothing: 0-3 and 1-2 join words that are both aligned already.
        #expect(Symmetrization.growDiagFinal.links(forward: forward, backward: backward) == Self.links("0-0 1-1 2-2 3-3"))
        // A link far from the intersection joins only in a final step.
        let f2 = Self.links("0-0 4-4"), b2 = Self.links("0-0 3-5")
        #expect(Symmetrization.growDiag.links(forward: f2, backward: b2) == Self.links("0-0"))
        #expect(Symmetrization.growDiagFinal.links(forward: f2, backward: b2) == Self.links("0-0 3-5 4-4"))
        // final vs final-and: forward 4-5 joins first (both words free); backward 3-5 then has a
        // free source but an aligned target: final adds it, final-and does not.
        let f3 = Self.links("0-0 4-5"), b3 = Self.links("0-0 3-5")
        #expect(Symmetrization.growDiagFinal.links(forward: f3, backward: b3) == Self.links("0-0 3-5 4-5"))
        #expect(Symmetrization.growDiagFinalAnd.links(forward: f3, backward: b3) == Self.links("0-0 4-5"))
        // Whole corpora: sentence by sentence, always between intersection and union.
        let fw = WordAlignment(sentences: [forward, f2, f3]), bw = WordAlignment(sentences: [backward, b2, b3])
        for heuristic in Symmetrization.allCases {
            let result = heuristic.apply(forward: fw, backward: bw)
            for s in 0..<3 {
                let links = Set(result.sentences[s])
                #expect(Set(fw.sentences[s]).intersection(bw.sentences[s]).isSubset(of: links))
                #expect(links.isSubset(of: Set(fw.sentences[s]).union(bw.sentences[s])))
            }
        }
    }

    @Test func aerPrecisionRecallOnCraftedSets() {
        let sure = WordAlignment(sentences: [Self.links("0-0 1-1"), Self.links("0-0")])
        let possible = WordAlignment(sentences: [Self.links("1-2"), Self.links("1-1")])
        let gold = GoldAlignment(sure: sure, possible: possible)
        #expect(gold.possible.sentences[0] == Self.links("0-0 1-1 1-2")) // P ⊇ S
        let predicted = WordAlignment(sentences: [Self.links("0-0 1-2 2-2"), Self.links("1-1")])
        let score = AlignmentErrorRate.evaluate(predicted, against: gold)
        // |A| = 4, |S| = 3, |A∩S| = 1 (0-0), |A∩P| = 3 (0-0, 1-2, 1-1).
        #expect(score == AlignmentErrorRate(predicted: 4, sure: 3, sureMatches: 1, possibleMatches: 3))
        #expect(abs(score.precision - 0.75) < 1e-12 && abs(score.recall - 1.0 / 3) < 1e-12)
        #expect(abs(score.aer - (1 - 4.0 / 7)) < 1e-12)
        #expect(AlignmentErrorRate.evaluate(sure, against: gold).aer == 0) // A = S scores perfectly
        // With an offset, gold sentence 0 is compared with predicted sentence 1.
        let shifted = WordAlignment(sentences: [[]] + sure.sentences)
        #expect(AlignmentErrorRate.evaluate(shifted, against: gold, offset: 1).aer == 0)
    }

    @Test func pharaohAndWPTLinesRoundTrip() {
        guard case .success(let wpt) = PharaohFormat.parse("1-1 2p3 10-12", oneBased: true) else {
            Issue.record("parse failed")
            return
        }
        #expect(wpt.sure == Self.links("0-0 9-11") && wpt.possible == Self.links("1-2"))
        guard case .failure(let bad) = PharaohFormat.parse("1-1 0-2", oneBased: true) else {
            Issue.record("0 accepted")
            return
        }
        #expect(bad.token == "0-2")
        let alignment = WordAlignment(sentences: [Self.links("0-0 2-1"), [], Self.links("3-3")])
        #expect(PharaohFormat.text(alignment) == "0-0 2-1\n\n3-3\n")
        let lines = PharaohFormat.text(alignment).split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        let reread = lines.map { line -> [AlignmentLink] in
            if case .success(let links) = PharaohFormat.parse(line, oneBased: false) { return links.sure }
            return []
        }
        #expect(WordAlignment(sentences: reread) == alignment)
    }

    @Test func similaritiesAverageBothDirectionsOverLinkedPairs() {
        let alignment = BidirectionalAlignment.train(Self.koehn, options: .init(iterations: 10, nullWord: false))
        let symmetric = alignment.symmetrized(.intersection)
        let sims = TranslationSimilarity.compute(
            forward: alignment.forward, backward: alignment.backward,
            alignment: symmetric, parallel: Self.koehn)
        let src = Self.koehn.source.vocabulary, tgt = Self.koehn.target.vocabulary
        let named = sims.map { "\(src[Int($0.source)])-\(tgt[Int($0.target)])" }
        #expect(Set(named) == ["das-the", "haus-house", "buch-book", "ein-a"])
        for sim in sims {
            let expected =
                (alignment.forward.table.probability(of: sim.target, given: sim.source)
                    + alignment.backward.table.probability(of: sim.source, given: sim.target)) / 2
            #expect(abs(sim.similarity - expected) < 1e-7 && sim.similarity > 0.5 && sim.similarity <= 1)
        }
        #expect(
            TranslationSimilarity.compute(
                forward: alignment.forward, backward: alignment.backward, alignment: symmetric,
                parallel: Self.koehn, minimumLinks: 2
            ).count == 2) // das-the, buch-book
    }
}
