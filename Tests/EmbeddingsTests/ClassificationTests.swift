import Testing

@testable import Embeddings

#if canImport(Glibc)
import Glibc
#endif

/// Labelled documents, the idf-weighted document embedder, the averaged perceptron and the
/// classification report (CLDC, Klementiev et al. 2012).
@Suite struct ClassificationTests {
    static let sib200 = "/work/shared/data/classification/sib200"

    func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-12) -> Bool { abs(a - b) <= tolerance }

    // MARK: perceptron

    @Test func perceptronSeparatesSeparableData() throws {
        // Three well-separated clusters in 2-D (with a constant offset the bias must absorb).
        var generator = SplitMix64(seed: 7)
        let centres: [[Double]] = [[4, 0], [-2, 3.5], [-2, -3.5]]
        var features: [[Double]] = [], labels: [Int] = []
        for i in 0..<90 {
            let c = i % 3
            let noise = [Double(generator.nextFloat()) - 0.5, Double(generator.nextFloat()) - 0.5]
            features.append([centres[c][0] + noise[0] + 10, centres[c][1] + noise[1]])
            labels.append(c)
        }
        let model = try AveragedPerceptron.train(features: features, labels: labels, classes: 3, epochs: 10, seed: 1)
        #expect(model.predict(features) == labels)
        #expect(model.mistakesPerEpoch.count == 10 && model.mistakesPerEpoch.last == 0)
        let again = try AveragedPerceptron.train(features: features, labels: labels, classes: 3, epochs: 10, seed: 1)
        #expect(again.weights == model.weights && again.bias == model.bias) // deterministic for a seed
    }

    @Test func shuffleOrderIsPinned() {
        // The order a reference implementation (Tests/reference/cldc_reference.py) reproduces.
        var generator = SplitMix64(seed: 0)
        var order = [0, 1, 2]
        generator.shuffle(&order)
        #expect(order == [2, 0, 1])
        generator.shuffle(&order)
        #expect(order == [1, 2, 0])
    }

    @Test func averagingMatchesAHandWorkedExample() throws {
        // e0 = [1,0] → 0, e1 = [0,1] → 1, e2 = [1,1] → 1; seed 0 visits 2,0,1 then 1,2,0.
        // Step 1 (e2): all scores 0, predicts 0 → w1 = [1,1], w0 = [-1,-1], b = [-1, 1].
        // Step 2 (e0): scores -2, 2 → predicts 1 → w0 = [0,-1], w1 = [0,1], b = [0, 0].
        // Steps 3-6 are right (step 6 is a tie 0 = 0, won by class 0). Mean of the six models:
        // w0 = ([-1,-1] + 5·[0,-1]) / 6 = [-1/6, -1], b0 = -1/6; class 1 the negatives.
        let model = try AveragedPerceptron.train(
            features: [[1, 0], [0, 1], [1, 1]], labels: [0, 1, 1],
            classes: 2, epochs: 2, seed: 0)
        #expect(model.mistakesPerEpoch == [2, 0])
        let expected: [[Double]] = [[-1.0 / 6, -1], [1.0 / 6, 1]]
        for k in 0..<2 {
            for j in 0..<2 { #expect(close(model.weights[k][j], expected[k][j]), "w[\(k)][\(j)] = \(model.weights[k][j])") }
        }
        #expect(close(model.bias[0], -1.0 / 6) && close(model.bias[1], 1.0 / 6))
        // One example, one mistake at step 1 of 2: the mean is half the final model.
        let half = try AveragedPerceptron.train(features: [[1, 0], [0, 1]], labels: [0, 1], classes: 2, epochs: 1, seed: 0)
        #expect(half.weights == [[0, -0.5], [0, 0.5]] && half.bias == [-0.5, 0.5])
    }

    @Test func perceptronRejectsBadInput() {
        #expect(throws: ClassificationError.self) { try AveragedPerceptron.train(features: [[1], [2]], labels: [0], classes: 2, seed: 0) }
        #expect(throws: ClassificationError.self) {
            try AveragedPerceptron.train(features: [[1], [2, 3]], labels: [0, 1], classes: 2, seed: 0)
        }
        #expect(throws: ClassificationError.self) { try AveragedPerceptron.train(features: [[1]], labels: [2], classes: 2, seed: 0) }
    }

    // MARK: report

    @Test func reportOnAHandMadeConfusion() throws {
        // gold 0,0,0,1,1,2 vs predicted 0,0,1,1,0,0: class 2 is never predicted (precision 0).
        let report = try ClassificationReport(gold: [0, 0, 0, 1, 1, 2], predicted: [0, 0, 1, 1, 0, 0], labelNames: ["a", "b", "c"])
        #expect(report.confusion == [[2, 1, 0], [1, 1, 0], [1, 0, 0]])
        #expect(close(report.accuracy, 0.5))
        let perClass = report.perClass
        #expect(close(perClass[0].precision, 0.5) && close(perClass[0].recall, 2.0 / 3) && close(perClass[0].f1, 4.0 / 7))
        #expect(close(perClass[1].precision, 0.5) && close(perClass[1].recall, 0.5) && close(perClass[1].f1, 0.5))
        #expect(perClass[2].precision == 0 && perClass[2].recall == 0 && perClass[2].f1 == 0 && perClass[2].support == 1)
        #expect(close(report.macroPrecision, 1.0 / 3))
        #expect(close(report.macroRecall, 7.0 / 18))
        #expect(close(report.macroF1, (4.0 / 7 + 0.5) / 3))
        // The CLTC paper's F1: harmonic mean of macro P and macro R, 2·(1/3)(7/18)/(1/3 + 7/18) = 14/39.
        #expect(close(report.paperF1, 14.0 / 39))
        #expect(throws: ClassificationError.self) { try ClassificationReport(gold: [0], predicted: [3], labelNames: ["a"]) }
    }

    // MARK: embedder

    @Test func idfWeightedAverages() throws {
        let docs = [["a", "b"], ["a", "c"], ["a", "a", "d"]]
        let idf = DocumentEmbedder.inverseDocumentFrequencies(docs)
        #expect(idf["a"] == 0 && close(idf["b"] ?? 0, log(3.0)) && close(idf["d"] ?? 0, log(3.0)))
        let vectors = try Matrix(rows: 4, cols: 2, values: [1, 0, 0, 1, 2, 2, 3, 0])
        let space = try EmbeddingSpace(vocabulary: Vocabulary(["a", "b", "c", "e"]), vectors: vectors, language: "en")
        let embedder = DocumentEmbedder(space: space, idfFrom: docs)
        let result = embedder.embed(docs)
        #expect(result.vectors[0] == [0, 1] && result.vectors[1] == [2, 2])
        #expect(result.vectors[2] == [0, 0] && result.zeroDocuments == 1) // "a" weighs 0, "d" is OOV
        #expect(result.tokens == 7 && result.coveredTokens == 6 && close(result.coverage, 6.0 / 7))
        // Repeated tokens count each time; a word outside the idf collection weighs ln N.
        let other = embedder.embed([["b", "b", "c"], ["e", "b"], []])
        #expect(close(other.vectors[0][0], 2.0 / 3) && close(other.vectors[0][1], 4.0 / 3))
        #expect(close(other.vectors[1][0], 1.5) && close(other.vectors[1][1], 0.5))
        #expect(other.vectors[2] == [0, 0] && other.zeroDocuments == 1)
    }

    // MARK: reading

    @Test func readsSIB200() throws {
        let english = try LabeledDocuments.read(path: Self.sib200 + "/eng_Latn/train.tsv", language: "en")
        #expect(english.count == 701 && english.labelNames.count == 7)
        #expect(english.labelNames == ["entertainment", "geography", "health", "politics", "science/technology", "sports", "travel"])
        #expect(english.documents[0].prefix(4) == ["turkey", "is", "encircled", "by"])
        #expect(english.labelNames[english.labels[0]] == "geography")
        #expect(english.labelNames[english.majorityLabel] == "science/technology")
        let french = try LabeledDocuments.read(path: Self.sib200 + "/fra_Latn/train.tsv", language: "fr", format: .sib200)
        #expect(french.labels == english.labels) // multi-parallel: same sentences, same labels
    }

    @Test func readsPlainTSVAndNamesBadLines() throws {
        let docs = try LabeledDocuments.parse(
            "sports\tThe match, a draw!\n\npolitics\tA new law.\nsports\tGoal", name: "cell", language: "en")
        #expect(docs.count == 3 && docs.labelNames == ["politics", "sports"] && docs.labels == [1, 0, 1])
        #expect(docs.documents[0] == ["the", "match", "a", "draw"])
        #expect(docs.labelCounts == [1, 2])
        do {
            _ = try LabeledDocuments.parse("sports\tok\nno tab here", name: "cell", language: "en")
            Issue.record("a line without a tab should fail")
        } catch {
            #expect(error.line == 2 && error.file == "cell" && error.description.contains("tab"))
        }
        #expect(throws: FormatError.self) { try LabeledDocuments.parse("\tno label", name: "cell", language: "en") }
        do {
            _ = try LabeledDocuments.parse("index_id\tcategory\ttext\n1\tsports\tgoal", name: "cell", language: "en", format: .tsv)
            Issue.record("a SIB-200 header with format=tsv should fail")
        } catch {
            #expect(error.line == 1 && error.description.contains("format=sib200"))
        }
        let sib = try LabeledDocuments.parse("index_id\tcategory\ttext\n1\tsports\tgoal", name: "cell", language: "en")
        #expect(sib.count == 1 && sib.labelNames == ["sports"])
        do {
            _ = try LabeledDocuments.parse("id\tlabel\tsentence\n1\tx\ty", name: "cell", language: "en", format: .sib200)
            Issue.record("a SIB-200 file without its header should fail")
        } catch {
            #expect(error.line == 1 && error.description.contains("header"))
        }
    }

    @Test func emptyFileIsAnError() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.write("empty.tsv", "")
        do {
            _ = try LabeledDocuments.read(path: path, language: "en")
            Issue.record("an empty file should fail")
        } catch {
            #expect(error.file == path && error.description.contains("empty"))
        }
        let headerOnly = directory.write("header.tsv", LabeledDocuments.sib200Header + "\n")
        #expect(throws: FormatError.self) { try LabeledDocuments.read(path: headerOnly, language: "en") }
    }

    // MARK: the protocol

    @Test func cldcRejectsDifferentLabels() throws {
        let space = try EmbeddingSpace(vocabulary: Vocabulary(["a"]), vectors: try Matrix(rows: 1, cols: 1, values: [1]), language: "en")
        let train = try LabeledDocuments.parse("x\ta\ny\ta", name: "train", language: "en")
        let test = try LabeledDocuments.parse("x\ta\nz\ta", name: "test", language: "en")
        do {
            _ = try CLDCEvaluation.evaluate(train: train, trainSpace: space, test: test, testSpace: space, seed: 0)
            Issue.record("different label sets should fail")
        } catch {
            #expect(error.description.contains("only in the training set: y") && error.description.contains("only in the test set: z"))
        }
    }
}
