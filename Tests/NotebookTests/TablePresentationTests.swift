import Jupyter
import Testing

@testable import Embeddings
@testable import Notebook

/// What the reader sees in tables and help: the collapsed BLI table, percentages with one
/// decimal, the Table Schema twin of every result, left-aligned help prose, usage that wraps
/// between tokens, `%lsmagic` with its cell magics.
@Suite struct TablePresentationTests {
    static func bli(covered: Int, total: Int) -> BLIEvaluation.Result {
        let counts = BLIEvaluation.Counts(
            pairs: total + 3, usablePairs: covered + 2, sourceWords: total, sourceWordsInVocabulary: covered, coveredSourceWords: covered)
        let methods = [(RetrievalMethod.nn, [38, 61, 70]), (.csls(k: 10), [45, 66, 74])].map {
            BLIEvaluation.MethodResult(method: $0.0, ks: [1, 5, 10], correct: $0.1, counts: counts)
        }
        return BLIEvaluation.Result(counts: counts, methods: methods, queries: [])
    }

    @Test func bliWithFullCoverageHasOneRowPerMethod() {
        let table = EvalBLIMagic.table(Self.bli(covered: 112, total: 112), ks: [1, 5, 10], label: "en_fr", dictName: "test")
        #expect(table.rows.count == 2)
        #expect(table.rows[0][1] == .text("muse = vecmap = fasttext"))
        #expect(table.plainText.contains("33.9  ")) // 38 / 112, one decimal
        #expect(table.footnote?.contains("with full coverage the three OOV conventions") == true)
        assertRenderingSnapshot(table.plainText, named: "bli_collapsed.txt")
        assertRenderingSnapshot(table.html, named: "bli_collapsed.html")
        assertRenderingSnapshot(table.dataResource.serialized, named: "bli_collapsed.dataresource.json")
    }

    @Test func bliWithPartialCoverageKeepsFastTextApart() {
        let table = EvalBLIMagic.table(Self.bli(covered: 100, total: 112), ks: [1, 5, 10], label: "en_fr", dictName: "test")
        #expect(table.rows.map { $0[1] } == [.text("muse = vecmap"), .text("fasttext"), .text("muse = vecmap"), .text("fasttext")])
        #expect(table.rows[1].last == .int(112) && table.rows[0].last == .int(100))
    }

    @Test func everyTableResultCarriesTableSchemaAndNoBareJSON() {
        let harness = KernelHarness()
        for code in ["%help", "%who", "%set"] {
            let (_, outputs) = harness.run(code, allowStdin: false)
            let data = outputs.last { $0.msgType == "execute_result" }?.content["data"]
            #expect(data?["application/json"] == nil, "\(code)")
            let fields = data?[Table.mimeType]?["schema"]?["fields"]?.arrayValue ?? []
            #expect(!fields.isEmpty, "\(code)")
            #expect(data?["text/html"]?.stringValue?.contains("<table") == true, "\(code)")
        }
    }

    @Test func helpOverviewIsTwoColumnsAndNamesFamilyMethods() {
        let harness = KernelHarness()
        let (_, outputs) = harness.run("%help", allowStdin: false)
        let data = outputs.last { $0.msgType == "execute_result" }?.content["data"]
        let fields = data?[Table.mimeType]?["schema"]?["fields"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
        #expect(fields == ["magic", "does"])
        let rows = harness.result("%help")
        let train = rows.first { $0["magic"] == "%train" }?["does"]?.stringValue ?? ""
        #expect(train.contains("`glove`") && train.contains("`cofactor`"))
        let html = data?["text/html"]?.stringValue ?? ""
        #expect(html.contains("<code>glove</code>") && !html.contains("`glove`"))
        #expect(!html.contains("text-align: right"))
    }

    @Test func helpPagesAreLeftAlignedAndUsageWrapsBetweenTokens() throws {
        let harness = KernelHarness()
        for code in ["%help blas", "%help train cofactor", "%help train"] {
            let (_, outputs) = harness.run(code, allowStdin: false)
            let html = outputs.last { $0.msgType == "execute_result" }?.content["data"]?["text/html"]?.stringValue ?? ""
            #expect(!html.contains("<td>") && !html.contains("<th>") && !html.contains("text-align: right"), "\(code)")
            #expect(html.contains("class=\"xling-usage\" style=\"white-space: normal; text-align: left\""), "\(code)")
        }
        let (reply, _) = harness.run("%train cofactor?", allowStdin: false)
        let page = reply["payload"]?.arrayValue?.first?["data"]?["text/html"]?.stringValue ?? ""
        #expect(page.contains("<code style=\"white-space: nowrap\">[xmax_cross=number]</code>"))
        #expect(!page.contains("<td>"))
        let spec = try #require(MagicRegistry.spec(named: "train", words: ["cofactor"])).spec
        let lines = HelpUsage.plainLines(spec.usage, prefix: "usage: ")
        #expect(lines.count > 1 && lines.allSatisfy { $0.count <= 100 })
        let tokens = Set(HelpUsage.tokens(spec.usage))
        for line in lines.dropFirst() {
            #expect(line.hasPrefix(" ") && line.split(separator: " ").allSatisfy { tokens.contains(String($0)) })
        }
        assertRenderingSnapshot(MagicHelp.html(spec), named: "help_train_cofactor.html")
    }

    @Test func usageTokensKeepBracketGroupsWhole() {
        #expect(HelpUsage.tokens("%x A [b=int] [c d] e=f") == ["%x", "A", "[b=int]", "[c d]", "e=f"])
    }

    @Test func lsmagicHTMLListsCellMagics() {
        let (_, outputs) = KernelHarness().run("%lsmagic", allowStdin: false)
        let html = outputs.last { $0.msgType == "execute_result" }?.content["data"]?["text/html"]?.stringValue ?? ""
        #expect(html.contains("Available cell magics:") && html.contains("<code>%%dict</code>"))
    }
}
