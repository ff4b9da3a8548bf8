import Embeddings
import Jupyter
import Testing

@testable import Notebook

#if canImport(Glibc)
import Glibc
#endif

/// `%load corpus`, `%load parallel`, `%%corpus`, `%train glove` and `%train cofactor` on real
/// slices of the notebooks' data (Europarl en/de, WMT en–de, the OMW en–de dictionary), through
/// the kernel core and the in-memory transport.
@Suite(.serialized) struct TrainMagicTests: MagicSuite {
    let harness = KernelHarness()
    static let data = MappingMagicsTests.data
    static let loadEn = "%load corpus en path=\(data)/europarl-en-de/en.txt.gz lang=en max_lines=2000"
    static let loadDe = "%load corpus de path=\(data)/europarl-en-de/de.txt.gz lang=de max_lines=2000"
    static let loadParallel = """
        %load parallel ende src=\(data)/wmt-en-de-10k/train.en.gz tgt=\(data)/wmt-en-de-10k/train.de.gz src_lang=en tgt_lang=de \
        max_lines=2000
        """
    /// A smaller slice of the parallel corpus for the co-factorizations (debug builds train slowly).
    static let loadParallelForTraining = loadParallel.replacingOccurrences(of: "max_lines=2000", with: "max_lines=1000")
    /// Small GloVe runs: 10 dimensions, a narrow window, frequent words only.
    static let glove = "%train glove corpus=en dim=10 iters=5 window=3 min_count=10 threads=1"
    static let loadDicts = "%load dict train path=\(data)/omw-en-de/train.tsv\n%load dict test path=\(data)/omw-en-de/test.tsv"

    /// The value of a summary table's `property` row.
    func value(_ rows: [JSON], _ property: String) -> JSON {
        rows.first { $0["property"]?.stringValue == property }?["value"] ?? .null
    }

    func stored<T>(_ name: String, as type: T.Type) -> T? {
        harness.interpreter.session.objects[name]?.object as? T
    }

    /// The mean cosine over the dictionary's pairs with both words in the joint space.
    func meanCosine(_ name: String, dictionary: String) -> (mean: Double, pairs: Int) {
        guard let joint = stored(name, as: MappingObject.self), let dict = stored(dictionary, as: DictionaryObject.self) else {
            return (.nan, 0)
        }
        var sum = 0.0, count = 0
        for pair in dict.wordPairs {
            guard let u = joint.source.vector(pair.source), let v = joint.target.vector(pair.target) else { continue }
            var dot = 0.0, uu = 0.0, vv = 0.0
            for (a, b) in zip(u, v) {
                dot += Double(a * b)
                uu += Double(a * a)
                vv += Double(b * b)
            }
            sum += dot / max((uu * vv).squareRoot(), 1e-12)
            count += 1
        }
        return (sum / Double(max(count, 1)), count)
    }

    // MARK: - loading

    @Test func corporaLoadWithSummaries() {
        let en = result(Self.loadEn)
        #expect(en.count == 1 && en.first?["language"] == "en" && en.first?["sentences"] == 2000)
        let tokens = en.first?["tokens"]?.intValue ?? 0
        #expect(tokens > 40_000, "\(tokens) tokens")
        let kept = result("%load corpus en_punct path=\(Self.data)/europarl-en-de/en.txt.gz lang=en max_lines=2000 punct=keep")
        let keptTokens = kept.first?["tokens"]?.intValue ?? 0
        #expect(keptTokens > tokens + 2000, "punct=keep \(keptTokens) vs strip \(tokens)") // commas and full stops count
        let parallel = result(Self.loadParallel)
        #expect(parallel.map { $0["language"]?.stringValue ?? "" } == ["en", "de"])
        #expect(parallel.allSatisfy { $0["sentences"] == 2000 && ($0["tokens"]?.intValue ?? 0) > 20_000 })
        let (reply, outputs) = run("%%corpus tiny lang=en\nThe cat sat on the mat.\nThe dog sat on the log.")
        #expect(reply["status"] == "ok")
        let tiny = outputs.last { $0.msgType == "execute_result" }?.content["data"]
        #expect(
            tiny?["application/vnd.dataresource+json"]?["data"]?.arrayValue?.first?["sentences"] == 2
                && tiny?["application/vnd.dataresource+json"]?["data"]?.arrayValue?.first?["tokens"] == 12
        )
        #expect(tiny?["text/plain"]?.stringValue?.contains("most frequent: the,") == true)
        // A final newline ends the last sentence, as in a file; blank lines inside still count.
        let trailing = result("%%corpus tiny2 lang=en\nthe cat\n\nthe dog\n")
        #expect(trailing.first?["sentences"] == 3 && trailing.first?["tokens"] == 4)
        let file = "/tmp/xling-corpus-\(getpid()).txt"
        defer { unlink(file) }
        _ = try? AtomicFile.write(Array("the cat\n\nthe dog\n".utf8), to: file)
        #expect(result("%load corpus tiny3 path=\(file) lang=en").first?["sentences"] == 3)
        _ = result("%reset tiny3 force=true")
        let who = result("%who")
        let kinds = Dictionary(uniqueKeysWithValues: who.map { ($0["name"]?.stringValue ?? "", $0["kind"]?.stringValue ?? "") })
        #expect(kinds == ["en": "corpus", "en_punct": "corpus", "ende": "parallel corpus", "tiny": "corpus", "tiny2": "corpus"])
        #expect(who.first { $0["name"] == "ende" }?["languages"] == "en,de")
        #expect(who.first { $0["name"] == "tiny" }?["size"] == "2 sentences, 12 tokens, 7 types")
    }

    // MARK: - GloVe

    @Test func gloveTrainsStoresAndIsReproducible() throws {
        _ = result(Self.loadEn)
        let (reply, outputs) = run("\(Self.glove) seed=3 as=g")
        #expect(reply["status"] == "ok", "\(reply["evalue"]?.stringValue ?? "")")
        let rows =
            outputs.last { $0.msgType == "execute_result" }?.content["data"]?["application/vnd.dataresource+json"]?["data"]?.arrayValue
            ?? []
        let history = try #require(stored("g", as: SpaceObject.self)?.history)
        #expect(history.completedIterations == 5 && !history.stopped)
        let losses = history.losses
        #expect(losses.allSatisfy { $0.isFinite && $0 > 0 })
        // AdaGrad on fixed records: every pass lowers the cost.
        #expect(zip(losses, losses.dropFirst()).allSatisfy { $1 < $0 }, "losses \(losses)")
        #expect(losses.last! < 0.8 * losses.first!, "losses \(losses)")
        #expect(value(rows, "final cost").doubleValue == losses.last)
        #expect(value(rows, "dimensions / iterations") == "10 / 5 of 5")
        #expect(value(rows, "threads, seed") == "1, 3")
        // The loss chart (one point per iteration) and a progress display that ran to the end.
        #expect(outputs.contains { $0.content["data"]?["text/plain"]?.stringValue == "<LineChart: GloVe loss of `g`, 1 series, 5 points>" })
        #expect(outputs.contains { $0.content["data"]?["text/html"]?.stringValue?.contains("data-state=\"done\"") == true })
        #expect(kinds()["g"] == "vectors")
        let neighbors = result("%neighbors parliament in=g k=5")
        #expect(neighbors.count == 5 && neighbors.allSatisfy { $0["en"]?.stringValue?.isEmpty == false })
        // Same seed, one thread: byte-identical vectors.
        _ = result("\(Self.glove) seed=3 as=g2")
        let paths = ["/tmp/xling-glove-\(getpid())-1.vec", "/tmp/xling-glove-\(getpid())-2.vec"]
        defer { paths.forEach { unlink($0) } }
        #expect(run("%save g path=\(paths[0])").reply["status"] == "ok")
        #expect(run("%save g2 path=\(paths[1])").reply["status"] == "ok")
        let first = FileBytes.read(paths[0]) ?? [], second = FileBytes.read(paths[1]) ?? []
        #expect(first.count > 10_000 && first == second)
        // Another seed gives other vectors; vectors=word stores W alone.
        _ = result("\(Self.glove) seed=4 vectors=word as=g3")
        #expect(stored("g3", as: SpaceObject.self)?.space.vectors != stored("g", as: SpaceObject.self)?.space.vectors)
    }

    @Test func interruptKeepsThePartialModel() {
        _ = result(Self.loadEn)
        // Interrupt right after the first progress update of the training phase: deterministic,
        // whatever the machine's speed.
        let (raised, reply, outputs) = harness.runInterrupted(Self.glove.replacingOccurrences(of: "iters=5", with: "iters=10000") + " as=p")
        #expect(raised)
        #expect(reply["ename"] == "KeyboardInterrupt", "\(reply)")
        let history = stored("p", as: SpaceObject.self)?.history
        #expect(history?.stopped == true)
        #expect((history?.completedIterations ?? 0) >= 1 && (history?.completedIterations ?? .max) < 10_000)
        #expect(
            outputs.contains {
                $0.content["text"]?.stringValue?.contains(
                    """
                    `p` keeps the model after \(history?.completedIterations ?? -1) of 10000 iterations
                    """) == true
            })
        #expect(outputs.contains { $0.content["data"]?["text/html"]?.stringValue?.contains("data-state=\"interrupted\"") == true })
        // The summary table is still shown, and the partial model is usable.
        #expect(
            outputs.contains {
                $0.content["data"]?["text/plain"]?.stringValue?.contains(
                    """
                    Interrupted: the model after the last completed iteration is kept
                    """) == true
            })
        #expect(kinds()["p"] == "vectors")
        #expect(result("%neighbors parliament in=p k=3").count == 3)
    }

    @Test func interruptWhileCountingStoresNothing() {
        _ = result([Self.loadEn, Self.loadDe].joined(separator: "\n"))
        for code in ["\(Self.glove) as=p", "%train cofactor mono=en,de objective=none iters=1 as=q"] {
            let (raised, reply, outputs) = harness.runInterrupted(code, trigger: "[running] counting")
            #expect(raised)
            #expect(reply["ename"] == "KeyboardInterrupt", "\(code): \(reply)")
            #expect(outputs.contains { $0.content["text"]?.stringValue?.contains("nothing was trained or stored") == true })
            #expect(outputs.contains { $0.content["data"]?["text/html"]?.stringValue?.contains("data-state=\"interrupted\"") == true })
        }
        #expect(kinds() == ["en": "corpus", "de": "corpus"])
    }

    // MARK: - co-factorization

    @Test func everyObjectiveStoresAJointSpace() {
        _ = result([Self.loadEn, Self.loadDe, Self.loadParallelForTraining, Self.loadDicts].joined(separator: "\n"))
        _ = result("%wordalign ende as=a")
        let common = "mono=en,de parallel=ende dim=10 iters=2 window=3 min_count=5 threads=1 seed=1"
        let runs = [
            ("none", "objective=none"), ("clcwa", "objective=clc-wa"), ("clcpwa", "objective=clc+wa align=a"),
            ("clsima", "objective=clsim align=a"), ("clsimd", "objective=clsim dict=train"),
        ]
        for (name, objective) in runs {
            let (reply, outputs) = run("%train cofactor \(common) \(objective) as=\(name)")
            #expect(reply["status"] == "ok", "\(objective): \(reply["evalue"]?.stringValue ?? "")")
            let rows =
                outputs.last { $0.msgType == "execute_result" }?.content["data"]?["application/vnd.dataresource+json"]?["data"]?.arrayValue
                ?? []
            let cross = value(rows, "cross-lingual term").stringValue ?? ""
            let expected = ["none": "none", "clcwa": "CLC-WA", "clcpwa": "CLC+WA", "clsima": "CLSim", "clsimd": "CLSim"][name]!
            #expect(cross.hasPrefix(expected), "\(objective): \(cross)")
            #expect(value(rows, "final loss per record (total)").doubleValue?.isFinite == true)
            let chart = outputs.first {
                $0.content["data"]?["text/plain"]?.stringValue?.hasPrefix("<LineChart: co-factorization loss") == true
            }
            #expect(
                chart?.content["data"]?["text/plain"]?.stringValue?.contains(name == "none" ? "3 series, 6 points" : "4 series, 8 points")
                    == true)
            let neighbors = result("%neighbors parliament in=\(name) k=3")
            #expect(
                neighbors.count == 3 && neighbors.allSatisfy { $0["en"] != nil && $0["de"] != nil && $0["de"] != .null },
                "\(objective): \(neighbors)")
            let bli = result("%eval bli \(name) dict=test k=1,5")
            #expect(!bli.isEmpty && bli.allSatisfy { $0["P@5"]?.doubleValue != nil }, "\(objective): \(bli)")
        }
        let kinds = kinds()
        #expect(runs.allSatisfy { kinds[$0.0] == "joint space" })
        #expect(stored("clsimd", as: MappingObject.self)?.history?.completedIterations == 2)
        #expect(result("%who").first { $0["name"] == "clcpwa" }?["languages"] == "en,de")
    }

    @Test func clsimWithADictionaryPullsTranslationsTogether() {
        _ = result([Self.loadEn, Self.loadDe, Self.loadParallelForTraining, Self.loadDicts].joined(separator: "\n"))
        let common = "mono=en,de parallel=ende dim=10 iters=5 window=3 min_count=5 threads=1 seed=2"
        _ = result("%train cofactor \(common) objective=none as=mono")
        _ = result("%train cofactor \(common) objective=clsim dict=train as=joint")
        let unaligned = meanCosine("mono", dictionary: "train"), aligned = meanCosine("joint", dictionary: "train")
        #expect(unaligned.pairs > 200 && aligned.pairs == unaligned.pairs, "\(unaligned.pairs) pairs in the vocabularies")
        // Two separately trained spaces: translations are about orthogonal; CLSim pulls them together.
        #expect(abs(unaligned.mean) < 0.15, "objective=none: \(unaligned.mean)")
        // Measured 0.26 vs 0.001 over 731 pairs; chance moves a mean of 731 cosines by ~0.01.
        #expect(aligned.mean > unaligned.mean + 0.15, "clsim \(aligned.mean) vs none \(unaligned.mean)")
        // %eval bli on held-out pairs runs on both.
        #expect(!result("%eval bli joint dict=test").isEmpty)
    }

    // MARK: - bad input

    @Test func badInputGivesClearErrorsAndKeepsTheSession() {
        _ = result([Self.loadEn, Self.loadDe, Self.loadParallel].joined(separator: "\n"))
        let dir = "/tmp/xling-train-bad-\(getpid())"
        mkdir(dir, 0o755)
        defer {
            for f in ["empty.txt", "blank.txt", "three.txt", "two.txt"] { unlink(dir + "/" + f) }
            rmdir(dir)
        }
        func write(_ name: String, _ text: String) { _ = try? AtomicFile.write(Array(text.utf8), to: dir + "/" + name) }
        write("empty.txt", "")
        write("blank.txt", "\n . , \n\n")
        write("three.txt", "one\ntwo\nthree\n")
        write("two.txt", "eins\nzwei\n")

        #expect(error("%%corpus nothing lang=en").contains("holds no tokens"))
        #expect(error("%%corpus nothing lang=en\n\n  ,  \n").contains("holds no tokens"))
        #expect(error("%load corpus x path=\(dir)/empty.txt lang=en").contains("holds no tokens"))
        #expect(error("%load corpus x path=\(dir)/blank.txt lang=en").contains("holds no tokens"))
        let counts = error("%load parallel x src=\(dir)/three.txt tgt=\(dir)/two.txt src_lang=en tgt_lang=de")
        #expect(counts.contains("3") && counts.contains("2") && counts.contains("line counts"), "\(counts)")

        let cofactor = "%train cofactor mono=en,de parallel=ende dim=10 iters=1 window=3 threads=1"
        #expect(error("\(cofactor) objective=clc+wa").contains("run `%wordalign ende as=A` first"))
        #expect(error("\(cofactor) objective=clsim").contains("%wordalign"))
        #expect(error("%train cofactor mono=en,de objective=clc-wa").contains("needs parallel="))
        #expect(error("%train cofactor mono=en objective=none").contains("mono=C1,C2"))
        #expect(error("%train cofactor mono=en,en objective=none").contains("both en"))
        #expect(
            error(
                """
                %train cofactor mono=de,en parallel=ende objective=clc-wa
                """
            ).contains("list the corpora in the parallel corpus's order"))
        #expect(error("%train cofactor mono=en,de parallel=ende").contains("missing objective="))
        let wrongKind = error("%train glove corpus=ende")
        #expect(wrongKind.contains("`ende` holds parallel corpus") && wrongKind.contains("not a corpus"), "\(wrongKind)")
        #expect(error("%train glove corpus=nothing").contains("no object named `nothing`"))
        #expect(error("%train glove corpus=en min_count=1000000").contains("lower min_count="))
        #expect(error("%train cofactor mono=en,de objective=none min_count=1000000").contains("lower min_count="))
        let memory = error("%train glove corpus=en memory=abc")
        #expect(memory.contains("memory=abc is not a size") && memory.contains("512M"), "\(memory)")
        #expect(error("%train glove corpus=en objective=clsim").contains("%train glove: unknown key `objective`"))
        #expect(error("%train cofactor mono=en,de objective=none corpus=en").contains("%train cofactor: unknown key `corpus`"))
        #expect(error("%train glove").contains("missing corpus="))
        _ = result("%%dict odd\nqwertyuiop azertyuiop")
        #expect(error("%train cofactor mono=en,de objective=clsim dict=odd").contains("no pair of `odd`"))

        // Every failure left the session as it was.
        #expect(kinds() == ["en": "corpus", "de": "corpus", "ende": "parallel corpus", "odd": "dictionary"])
    }
}
