import Jupyter
import Testing

@testable import Notebook

/// `%who` provenance (the command as typed, every option with its value) and `%plot loss|bli`
/// on real data: the fastText en/fr vectors with the yacle training dictionary and MUSE test
/// pairs, and GloVe on the Europarl sample.
@Suite struct PlotAndProvenanceTests {
    static let data = MappingMagicsTests.data
    let harness = KernelHarness()

    func loadMappingData() {
        _ = harness.result(
            """
            %load vectors en path=\(Self.data)/fasttext-en-fr-756/en.vec.gz lang=en
            %load vectors fr path=\(Self.data)/fasttext-en-fr-756/fr.vec.gz lang=fr
            %load dict train path=\(Self.data)/xling-eval-en-fr/yacle.train.freq.5k.en-fr.tsv.gz
            %load dict test path=\(Self.data)/muse-en-fr-756/test.at.txt format=at
            """)
    }

    @Test func whoShowsTheCommandAsTypedAndEveryOption() {
        loadMappingData()
        _ = harness.result("%align procrustes src=en tgt=fr dict=train normalize=unit,center,unit as=plain")
        _ = harness.result("%align procrustes src=en tgt=fr dict=train refine=2 as=refined")
        let rows = harness.result("%who")
        let madeBy = { (name: String) in rows.first { $0["name"] == .string(name) }?["made by"]?.stringValue ?? "" }
        #expect(madeBy("plain") == "%align procrustes src=en tgt=fr dict=train normalize=unit,center,unit as=plain")
        #expect(madeBy("refined") == "%align procrustes src=en tgt=fr dict=train refine=2 as=refined")
        let provenance = harness.result("%who refined")
        let option = { (key: String) in provenance.first { $0["property"] == .string(key + "=") } }
        #expect(option("refine")?["value"] == "2" && option("refine")?["source"] == "written")
        #expect(option("max_rank")?["value"] == "15000" && option("max_rank")?["source"] == "default")
        #expect(provenance.first { $0["property"] == "made by" }?["source"] == "cell 3")
        #expect(harness.error("%who nothing").contains("no object named `nothing`"))
    }

    @Test func plotBLIDrawsStoredEvaluationsAgainstTrainingPairs() {
        loadMappingData()
        _ = harness.result(
            """
            %load dict small path=\(Self.data)/xling-eval-en-fr/yacle.train.freq.5k.en-fr.tsv.gz
            %align procrustes src=en tgt=fr dict=train as=m
            %eval bli m dict=test k=1,5 as=e_full
            %eval bli src=en tgt=fr dict=test k=1
            """)
        let who = harness.result("%who").compactMap { $0["name"]?.stringValue }
        #expect(who.contains("e_full") && who.contains("bli_en_fr"))
        let (reply, outputs) = harness.run("%plot bli e_full,bli_en_fr k=1")
        #expect(reply["status"] == "ok")
        let svg = outputs.last { $0.msgType == "execute_result" }?.content["data"]?["image/svg+xml"]?.stringValue ?? ""
        #expect(svg.contains("P@1 (%)") && svg.contains("csls") && svg.contains("nn"))
        #expect(harness.error("%plot bli e_full k=10").contains("measured P@1,5, not P@10"))
        #expect(harness.error("%plot bli en").contains("`en` holds vectors, not a BLI evaluation"))
        #expect(harness.error("%plot bli e_full retrieval=isf").contains("not every evaluation measured `isf`"))
    }

    @Test func plotLossDrawsRecordedHistoriesWithALegend() {
        _ = harness.result(
            """
            \(TrainMagicTests.loadEn)
            %train glove corpus=en dim=10 iters=4 window=3 min_count=10 threads=1 as=g4
            %train glove corpus=en dim=10 iters=6 window=3 min_count=10 threads=1 as=g6
            """)
        let (reply, outputs) = harness.run("%plot loss g4,g6 log=true")
        #expect(reply["status"] == "ok")
        let svg = outputs.last { $0.msgType == "execute_result" }?.content["data"]?["image/svg+xml"]?.stringValue ?? ""
        #expect(svg.contains("g4") && svg.contains("g6") && svg.contains("iteration"))
        #expect(harness.error("%plot loss en").contains("no recorded training losses"))
        #expect(harness.error("%plot loss nothing").contains("no object named `nothing`"))
    }
}
