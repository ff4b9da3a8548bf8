import Embeddings
import Jupyter
import Testing

@testable import Notebook

/// %align muse through the kernel core at small budgets (a 16-wide discriminator, 20 iterations
/// on the 756-word fastText en space against a rotated copy): the summary, errors,
/// interrupt, seeds. Whether it aligns at a realistic size is `Tests/bench/README.md`'s MUSE section.
@Suite(.serialized) struct MUSEMagicTests: MagicSuite {
    let harness = KernelHarness()
    static let data = MappingMagicsTests.data
    static let small = "epochs=2 epoch_size=320 hidden=16 refine=1 refine_rank=500 select_words=500 null=1"

    func load() {
        _ = result(
            """
            %load vectors en path=\(Self.data)/fasttext-en-fr-756/en.vec.gz lang=en
            %load vectors enr path=\(UnsupervisedMagicsTests.rotatedEnglish) lang=en
            """)
    }

    func value(_ rows: [JSON], _ property: String) -> String {
        rows.first { $0["property"]?.stringValue?.hasPrefix(property) == true }?["value"]?.stringValue ?? ""
    }

    @Test func summaryHasEveryEpochStepAndTheVerdict() {
        load()
        let rows = result("%align muse src=en tgt=enr \(Self.small) seed=1 as=m")
        #expect(value(rows, "adversarial training").hasPrefix("2 of 2 epochs × 10 iterations"), "\(rows)")
        #expect(value(rows, "criterion per epoch").components(separatedBy: " → ").count == 2)
        #expect(value(rows, "discriminator accuracy per epoch").components(separatedBy: " → ").count == 2)
        #expect(!value(rows, "verdict (failure detector)").isEmpty)
        #expect(harness.interpreter.session.objects["m"]?.object is MappingObject)
    }

    @Test func errorsNameTheProblemAndTheFix() {
        load()
        let five = UnsupervisedMagicsTests.writeVectors("muse-d5", rows: 40, dim: 5)
        _ = result("%load vectors five path=\(five)")
        #expect(error("%align muse src=en tgt=five \(Self.small)").contains("dimension mismatch"))
        let few = UnsupervisedMagicsTests.writeVectors("muse-few", rows: 12, dim: 300)
        _ = result("%load vectors few path=\(few)")
        #expect(error("%align muse src=en tgt=few \(Self.small)").contains("too few for CSLS-10 dictionaries"))
        let zero = UnsupervisedMagicsTests.writeVectors("muse-zero", rows: 40, dim: 300, zeroRow: 3)
        _ = result("%load vectors z path=\(zero)")
        #expect(error("%align muse src=en tgt=z \(Self.small)").contains("`w3`) is all zeros"))
        #expect(error("%align muse src=en tgt=enr epochs=0 refine=0").contains("leave nothing to do"))
        // The session is intact.
        #expect(result("%who").count == 5)
    }

    /// The vector loaders refuse NaN, so a non-finite row can only reach `%align muse` from a space
    /// made in the session: one is stored directly (the en space with row 4 set to NaN), as
    /// source and as target, next to a zero source row; each run stops with the row's word
    /// and the fix, and the session still aligns afterwards.
    @Test func nonFiniteAndZeroRowsAreRefusedAndTheSessionGoesOn() throws {
        load()
        let session = harness.interpreter.session
        let en = try #require((session.objects["en"]?.object as? SpaceObject)?.space)
        var broken = en
        broken.vectors.storage[3 * en.dimension + 7] = .nan
        session.store(SpaceObject(broken, origin: "test"), as: "nan_en", madeBy: "test", cell: 1)
        let word = en.vocabulary[3]
        let asSource = error("%align muse src=nan_en tgt=enr \(Self.small) as=bad")
        #expect(asSource.hasPrefix("%align muse: "), "\(asSource)")
        #expect(asSource.contains("`nan_en` row 4 (`\(word)`) has a non-finite value (nan)"), "\(asSource)")
        #expect(asSource.contains("remove that line from the file or load fewer words with max="), "\(asSource)")
        let asTarget = error("%align muse src=en tgt=nan_en \(Self.small) as=bad")
        #expect(asTarget.contains("`nan_en` row 4 (`\(word)`) has a non-finite value (nan)"), "\(asTarget)")
        let zero = UnsupervisedMagicsTests.writeVectors("muse-zero-src", rows: 40, dim: 300, zeroRow: 5)
        _ = result("%load vectors z path=\(zero)")
        #expect(error("%align muse src=z tgt=en \(Self.small) as=bad").contains("`z` row 6 (`w5`) is all zeros"))
        #expect(session.objects["bad"] == nil)
        // The session is intact: the same kernel aligns the clean spaces next.
        let rows = result("%align muse src=en tgt=enr \(Self.small) seed=1 as=ok")
        #expect(value(rows, "adversarial training").hasPrefix("2 of 2 epochs"), "\(rows)")
        #expect(session.objects["ok"]?.object is MappingObject)
    }

    @Test func sameSeedSameMapping() {
        // (Different seeds giving different maps: MUSETests.sameSeedSameMapAndTheHistoryHasEveryEpochAndStep.)
        load()
        _ = result("%align muse src=en tgt=enr \(Self.small) seed=5 as=a")
        _ = result("%align muse src=en tgt=enr \(Self.small) seed=5 as=b")
        let maps = ["a", "b"].map { (harness.interpreter.session.objects[$0]?.object as? MappingObject)?.mapping.source.weights }
        if let a = maps[0], let b = maps[1] {
            #expect((try? a.maxAbsoluteDifference(b)) ?? 1 < 1e-4)
        } else {
            Issue.record("the maps were not stored")
        }
    }

    @Test func interruptKeepsTheCurrentMap() {
        load()
        let (raised, reply, outputs) = harness.runInterrupted(
            "%align muse src=en tgt=enr epochs=50 epoch_size=3200 hidden=32 as=p", trigger: "[running] adversarial: ")
        #expect(raised)
        #expect(reply["ename"] == "KeyboardInterrupt", "\(reply)")
        let kept = harness.interpreter.session.objects["p"]?.object as? MappingObject
        #expect(kept != nil)
        #expect(kept?.mapping.source.weights != Matrix.identity(300))
        #expect(outputs.contains { $0.content["text"]?.stringValue?.contains("keeps the map at the interrupt") == true })
    }
}
