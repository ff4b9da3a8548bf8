import Embeddings
import Jupyter
import Testing

@testable import Notebook

/// %align muse through the kernel core on the real 756-word fastText vectors (small epochs and
/// discriminator, to stay fast): the summary and verdict, errors, seeds, interrupt.
@Suite(.serialized) struct MUSEMagicTests {
    let harness = KernelHarness()
    static let data = MappingMagicsTests.data
    static let quick = "epochs=1 epoch_size=640 hidden=32 refine=2 null=1"

    func result(_ code: String, sourceLocation: SourceLocation = #_sourceLocation) -> [JSON] {
        harness.result(code, sourceLocation: sourceLocation)
    }

    func error(_ code: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        harness.error(code, sourceLocation: sourceLocation)
    }

    func load() {
        _ = result(
            """
            %load vectors en path=\(Self.data)/fasttext-en-fr-756/en.vec.gz lang=en
            %load vectors frr path=\(Self.data)/fasttext-en-fr-756/fr.rotated.vec.gz lang=fr
            %load dict test path=\(Self.data)/muse-en-fr-756/test.at.txt format=at
            """)
    }

    func value(_ rows: [JSON], _ property: String) -> String {
        rows.first { $0["property"]?.stringValue == property }?["value"]?.stringValue ?? ""
    }

    @Test func runsAndReportsTheCriterionRefinementAndVerdict() {
        load()
        let rows = result("%align muse src=en tgt=frr \(Self.quick) seed=1 as=m")
        #expect(value(rows, "method") == "muse (Conneau et al. 2018)")
        #expect(value(rows, "adversarial training").hasPrefix("1 of 1 epochs × 20 iterations"))
        #expect(value(rows, "refinement (S2T CSLS-10)").contains("→"))
        #expect(["succeeded", "doubtful", "failed"].contains(value(rows, "verdict (failure detector)")))
        let kept = harness.interpreter.session.objects["m"]?.object as? MappingObject
        #expect(kept?.method == "muse")
        #expect(kept?.mapping.source.isOrthogonal(tolerance: 0.05) == true)
        #expect(result("%eval bli m dict=test").count >= 2)
        let mutual = result("%align muse src=en tgt=frr \(Self.quick) mutual=true seed=1 as=mm")
        #expect(value(mutual, "refinement (mutual CSLS-10)").contains("pairs"))
    }

    @Test func errorsNameTheProblemAndTheFix() {
        load()
        let small = UnsupervisedMagicsTests.writeVectors("muse-d5", rows: 40, dim: 5)
        _ = result("%load vectors five path=\(small)")
        #expect(error("%align muse src=en tgt=five").contains("dimension mismatch"))
        let tiny = UnsupervisedMagicsTests.writeVectors("muse-tiny", rows: 12, dim: 300)
        _ = result("%load vectors tiny path=\(tiny)")
        #expect(error("%align muse src=en tgt=tiny").contains("too few for CSLS-10 dictionaries"))
        let zero = UnsupervisedMagicsTests.writeVectors("muse-zero", rows: 40, dim: 300, zeroRow: 3)
        _ = result("%load vectors z path=\(zero)")
        #expect(error("%align muse src=en tgt=z").contains("`w3`) is all zeros"))
        #expect(error("%align muse src=en tgt=frr epochs=0 refine=0").contains("nothing to do"))
        #expect(result("%who").count == 6)
    }

    @Test func sameSeedSameMapping() {
        load()
        _ = result("%align muse src=en tgt=frr \(Self.quick) seed=5 as=a")
        _ = result("%align muse src=en tgt=frr \(Self.quick) seed=5 as=b")
        let a = harness.interpreter.session.objects["a"]?.object as? MappingObject
        let b = harness.interpreter.session.objects["b"]?.object as? MappingObject
        #expect(a != nil && a?.mapping == b?.mapping)
    }

    @Test func interruptKeepsTheCurrentMap() {
        load()
        let transport = InterruptingTransport(interrupts: harness.kernel.interrupts, trigger: "[running] adversarial")
        let frames = harness.codec.encode(
            Message(
                identities: [[7]], header: harness.headers.header("execute_request"),
                content: ["code": .string("%align muse src=en tgt=frr epochs=50 epoch_size=6400 hidden=32 as=p"), "allow_stdin": false]))
        harness.kernel.handle(frames, from: .shell, via: transport)
        #expect(transport.raised)
        let reply = transport.sent.first { $0.message.msgType == "execute_reply" }?.message.content ?? .null
        #expect(reply["ename"] == "KeyboardInterrupt", "\(reply)")
        let kept = harness.interpreter.session.objects["p"]?.object as? MappingObject
        #expect(kept?.method == "muse")
        let outputs = transport.sent.filter { $0.channel == .iopub }.map(\.message)
        #expect(outputs.contains { $0.content["text"]?.stringValue?.contains("keeps the map at the interrupt") == true })
        #expect(result("%eval bli p dict=test").count >= 2)
    }
}
