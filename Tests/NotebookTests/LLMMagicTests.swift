import Jupyter
import Testing

@testable import Notebook

/// `%llm` through the kernel core on real data: a bag-of-embeddings classifier trained on
/// SIB-200 English in the fastText en/fr space (Procrustes-mapped), transferred to French.
@Suite(.serialized) struct LLMMagicTests: MagicSuite {
    let harness = KernelHarness()

    /// The value column of a property/value summary row.
    func value(_ rows: [JSON], _ property: String) -> String {
        rows.first { $0["property"]?.stringValue == property }?["value"]?.stringValue ?? ""
    }

    /// Vectors, the mapping `m`, SIB-200 sets and a classifier `k` whose embeddings trained.
    func prepare() {
        let data = MappingMagicsTests.data, sib = CLDCMagicTests.sib200
        _ = result(
            """
            %set seed=3
            %load vectors en path=\(data)/fasttext-en-fr-756/en.vec.gz lang=en
            %load vectors fr path=\(data)/fasttext-en-fr-756/fr.vec.gz lang=fr
            %load dict train path=\(data)/xling-eval-en-fr/yacle.train.freq.5k.en-fr.tsv.gz
            %align procrustes src=en tgt=fr dict=train as=m
            %load labeled en_train path=\(sib)/eng_Latn/train.tsv lang=en format=sib200
            %load labeled en_dev path=\(sib)/eng_Latn/dev.tsv lang=en format=sib200
            %load labeled fr_test path=\(sib)/fra_Latn/test.tsv lang=fr format=sib200
            %train classifier data=en_train space=m update_emb=true epochs=15 as=k
            """)
    }

    @Test func locallyLinearMappingMakesAFrenchClassifier() {
        prepare()
        let (reply, outputs) = harness.run("%llm k=3 general=m specific=k target=fr", allowStdin: false)
        #expect(reply["status"] == "ok")
        let displays = outputs.filter { $0.msgType == "display_data" }
        #expect(
            displays.contains { $0.content["data"]?["image/svg+xml"]?.stringValue?.contains("nearest neighbour") == true },
            "the α histogram (Figure 2) is shown")
        #expect(
            displays.contains { $0.content["data"]?["text/plain"]?.stringValue?.contains("task-specific space") == true },
            "the before/after neighbour table (Table 6) is shown")
        let who = result("%who")
        let stored = who.first { $0["name"] == "k_fr" }
        #expect(stored?["kind"] == "classifier")
        #expect(stored?["languages"]?.stringValue?.contains("fr") == true)
        let evaluation = result("%eval classifier k_fr data=fr_test")
        let accuracy = evaluation.first?["accuracy"]?.doubleValue ?? -1
        #expect(accuracy > 0 && accuracy <= 100)
    }

    @Test func everyMethodAndTuningProduceAClassifier() {
        prepare()
        #expect(value(result("%llm general=m specific=k target=fr method=linear as=lp"), "method").hasPrefix("linear projection"))
        #expect(value(result("%llm general=m specific=k target=fr method=direct as=direct"), "method").hasPrefix("direct"))
        let (reply, outputs) = harness.run(
            """
            %llm general=m specific=k target=fr tune=source dev=en_dev k_range=1,2,4 as=tuned
            """, allowStdin: false)
        #expect(reply["status"] == "ok")
        let tuning = outputs.compactMap { $0.content["data"]?["application/vnd.dataresource+json"]?["data"]?.arrayValue }.first { rows in
            rows.first?["dev accuracy"] != nil
        }
        #expect(tuning?.compactMap { $0["k"]?.intValue } == [1, 2, 4])
        let chosen = tuning?.first { $0["chosen"] == "←" }?["k"]?.intValue
        let summary =
            outputs.last { $0.msgType == "execute_result" }?.content["data"]?["application/vnd.dataresource+json"]?["data"]?.arrayValue
            ?? []
        #expect(chosen != nil && value(summary, "k").hasPrefix("\(chosen ?? -1),"))
        for name in ["lp", "direct", "tuned"] {
            let accuracy = result("%eval classifier \(name) data=fr_test").first?["accuracy"]?.doubleValue ?? -1
            #expect(accuracy >= 0 && accuracy <= 100, "\(name)")
        }
    }

    @Test func badInputNamesTheProblemAndTheSessionSurvives() {
        prepare()
        #expect(error("%llm general=m specific=k target=de").contains("has no de side"))
        #expect(error("%llm general=m specific=k target=en").contains("the classifier's own language"))
        #expect(error("%llm general=m specific=en target=fr").contains("holds"))
        #expect(error("%llm general=en specific=k target=fr").contains("not a cross-lingual space"))
        #expect(error("%llm k=0 general=m specific=k target=fr").contains("k"))
        #expect(error("%llm general=m specific=k target=fr tune=source").contains("dev=NAME"))
        #expect(error("%llm general=m specific=k target=fr method=linear k=3").contains("belongs to method=llm"))
        #expect(error("%llm k=100000 general=m specific=k target=fr").contains("k"))
        #expect(error("%llm general=m specific=k target=fr tune=source dev=fr_test").contains("source language"))
        #expect(error("%llm general=m specific=k target=fr show=zzzz").contains("zzzz"))
        let who = result("%who").compactMap { $0["name"]?.stringValue }
        #expect(who.contains("k") && who.contains("m") && !who.contains("k_fr"))
    }
}
