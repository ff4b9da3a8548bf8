import Embeddings
import Jupyter
import Testing

@testable import Notebook

#if canImport(Glibc)
import Glibc
#endif

/// %align vecmap and %align rcsls through the kernel core: the rotated fastText case, errors,
/// interrupt, seeds.
@Suite(.serialized) struct UnsupervisedMagicsTests: MagicSuite {
    let harness = KernelHarness()
    static let data = MappingMagicsTests.data

    func load() {
        _ = result(
            """
            %load vectors en path=\(Self.data)/fasttext-en-fr-756/en.vec.gz lang=en
            %load vectors frr path=\(Self.data)/fasttext-en-fr-756/fr.rotated.vec.gz lang=fr
            %load dict train path=\(Self.data)/xling-eval-en-fr/yacle.train.freq.5k.en-fr.tsv.gz
            %load dict test path=\(Self.data)/muse-en-fr-756/test.at.txt format=at
            """)
    }

    func value(_ rows: [JSON], _ property: String) -> String {
        rows.first { $0["property"]?.stringValue == property }?["value"]?.stringValue ?? ""
    }

    func p1(_ rows: [JSON], _ retrieval: String) -> Double {
        rows.first { $0["retrieval"]?.stringValue == retrieval }?["P@1"]?.doubleValue ?? -1
    }

    /// A small .vec file (rows × dim, word i = `w<i>`); `zeroRow` is written as zeros.
    static func writeVectors(_ name: String, rows: Int, dim: Int, zeroRow: Int? = nil) -> String {
        let path = "/tmp/xling-unsupervised-\(getpid())-\(name).vec"
        var text = "\(rows) \(dim)\n"
        var rng = SplitMix64(seed: UInt64(rows * 31 + dim))
        for i in 0..<rows {
            let values = (0..<dim).map { _ in i == zeroRow ? "0" : String(rng.nextFloat() - 0.5) }
            text += "w\(i) " + values.joined(separator: " ") + "\n"
        }
        guard let file = fopen(path, "w") else { return path }
        fputs(text, file)
        fclose(file)
        return path
    }

    /// The en vectors times a seeded random rotation, written to a temporary file.
    static let rotatedEnglish: String = {
        let path = "/tmp/xling-unsupervised-\(getpid())-en-rotated.vec"
        do {
            var space = try Word2VecText.load(path: "\(data)/fasttext-en-fr-756/en.vec.gz").0
            var rng = SplitMix64(seed: 8)
            space.vectors = try Matrix.product(space.vectors, FailureDetector.randomOrthogonal(space.dimension, rng: &rng))
            try VectorWriter.save(space, to: path)
        } catch {}
        return path
    }()

    @Test func vecmapRecoversARotationAndTheDetectorSaysSo() {
        load()
        _ = result("%load vectors enr path=\(Self.rotatedEnglish) lang=en")
        let rows = result("%align vecmap src=en tgt=enr init_vocab=600 interval=1 seed=1 as=v")
        #expect(value(rows, "verdict (failure detector)") == "succeeded", "\(rows)")
        #expect(value(rows, "self-learning").hasPrefix("converged"))
        let objective = rows.first { $0["property"]?.stringValue == "final objective" }?["value"]
        #expect((objective?.doubleValue ?? Double(objective?.stringValue ?? "") ?? 0) > 0.99, "\(String(describing: objective))")
    }

    @Test func unsupervisedEnglishFrenchFailsAtThisSize() {
        // 756 frequent English and French words are not translations of each other: VecMap's
        // initialisation cannot find the rotation. (Its verdict is not pinned: a partial alignment
        // of a few percent P@1 sits near the detector's 25 % lift; the noise and rotated-copy cases
        // are pinned by FailureDetectorTests and Tests/reference/test_detector.py.)
        load()
        let rows = result("%align vecmap src=en tgt=frr init_vocab=700 iters=4 null=1 seed=1 as=v")
        #expect(!value(rows, "verdict (failure detector)").isEmpty, "\(rows)")
        #expect(p1(result("%eval bli v dict=test"), "csls") < 20)
    }

    @Test func rcslsBeatsOrMatchesProcrustesOnTheRotatedCase() {
        load()
        let rows = result("%align rcsls src=en tgt=frr dict=train iters=3 as=r")
        #expect(value(rows, "training pairs").contains("pairs of `train`"))
        _ = result("%align procrustes src=en tgt=frr dict=train as=pr")
        #expect(p1(result("%eval bli r dict=test"), "csls") >= p1(result("%eval bli pr dict=test"), "csls") - 2)
        #expect(result("%align rcsls src=en tgt=frr dict=train iters=1 projection=orthogonal as=ro").count > 3)
    }

    @Test func errorsNameTheProblemAndTheFix() {
        load()
        #expect(error("%align rcsls src=en tgt=frr").contains("dict"))
        #expect(error("%align vecmap src=en tgt=frr init=dict").contains("init=dict needs dict="))
        #expect(error("%align vecmap src=en tgt=frr").contains("fewer than the 4,000 that init=unsupervised compares"))
        let small = Self.writeVectors("d5", rows: 40, dim: 5)
        _ = result("%load vectors five path=\(small)")
        #expect(error("%align vecmap src=en tgt=five").contains("dimension mismatch"))
        #expect(error("%align rcsls src=en tgt=five dict=train").contains("dimension mismatch"))
        let zero = Self.writeVectors("zero", rows: 40, dim: 300, zeroRow: 7)
        _ = result("%load vectors z path=\(zero)")
        #expect(error("%align vecmap src=en tgt=z init_vocab=30").contains("`w7`) is all zeros"))
        #expect(error("%align rcsls src=en tgt=z dict=train").contains("is all zeros"))
        // The session is intact.
        #expect(result("%who").count == 6)
    }

    @Test func sameSeedSameMapping() {
        load()
        _ = result("%align vecmap src=en tgt=frr init_vocab=600 iters=3 seed=5 null=1 as=a")
        _ = result("%align vecmap src=en tgt=frr init_vocab=600 iters=3 seed=5 null=1 as=b")
        let a = harness.interpreter.session.objects["a"]?.object as? MappingObject
        let b = harness.interpreter.session.objects["b"]?.object as? MappingObject
        // Exact in a kernel (Tests/python/test_determinism.py compares the saved maps byte for
        // byte); here other suites run concurrently and switch OpenBLAS's process-wide thread
        // count (`withSingleThreadedBLAS`), which can change the last bits of an SVD.
        if let a, let b {
            #expect((try? a.mapping.source.weights.maxAbsoluteDifference(b.mapping.source.weights)) ?? 1 < 1e-4)
        } else {
            Issue.record("the maps were not stored")
        }
    }

    @Test func interruptKeepsTheCurrentMap() {
        load()
        let (raised, reply, outputs) = harness.runInterrupted(
            "%align vecmap src=en tgt=frr init_vocab=700 interval=1000 as=p", trigger: "[running] self-learning (")
        #expect(raised)
        #expect(reply["ename"] == "KeyboardInterrupt", "\(reply)")
        let kept = harness.interpreter.session.objects["p"]?.object as? MappingObject
        #expect(kept?.mapping.source.isOrthogonal() == true)
        #expect(
            outputs.contains {
                $0.content["text"]?.stringValue?.contains("keeps the orthogonal map of the last completed iteration") == true
            })
        #expect(result("%eval bli p dict=test").count >= 2)
    }
}
