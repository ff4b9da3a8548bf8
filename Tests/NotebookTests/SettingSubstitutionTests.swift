import Jupyter
import Testing

@testable import Notebook

/// `$name` in magic arguments reads the session's settings (papermill parameters land there).
@Suite struct SettingSubstitutionTests {
    func stdout(_ outputs: [Message]) -> String {
        outputs.filter { $0.msgType == "stream" }.compactMap { $0.content["text"]?.stringValue }.joined()
    }

    @Test func settingsReachTheMagics() {
        let harness = KernelHarness()
        _ = harness.run("%set lang=fr k=5")
        let (reply, outputs) = harness.run("%echo lang $lang, k ${k}0, cost $$5")
        #expect(reply["status"] == "ok")
        #expect(stdout(outputs) == "lang fr, k 50, cost $5\n")
        #expect(harness.plainText("%set k") == "5")
    }

    @Test func unknownOrMalformedNamesAreErrors() {
        let harness = KernelHarness()
        #expect(harness.error("%echo $lang").contains("no setting `lang` exists; set it with `%set lang=…`"))
        #expect(harness.error("%echo ${lang").contains("`$` must start a setting"))
        #expect(harness.error("%echo 5$").contains("write `$$` for a literal `$`"))
    }

    @Test func provenanceRecordsTheValuesUsed() {
        let harness = KernelHarness()
        _ = harness.run("%set name=tiny")
        _ = harness.result("%%corpus $name lang=en\nthe cat sat on the mat .")
        let who = harness.result("%who")
        #expect(who.first?["name"] == "tiny")
        #expect(who.first?["made by"]?.stringValue?.hasPrefix("%%corpus tiny lang=en") == true)
    }
}
