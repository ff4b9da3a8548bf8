import Jupyter
import Testing

@testable import Notebook

#if canImport(Glibc)
import Glibc
#endif

/// `%wordalign` and `%save` of an alignment on the real WPT 2003 en–fr test set, through the
/// kernel core and the in-memory transport.
@Suite(.serialized) struct WordAlignMagicTests: MagicSuite {
    let harness = KernelHarness()
    static let wpt = "/work/shared/data/alignment/wpt03"
    static let load = "%load parallel h path=\(wpt)/enfr.src-tgt format=pipes src_lang=en tgt_lang=fr punct=keep"

    func row(_ rows: [JSON], _ prefix: String) -> JSON {
        rows.first { $0["alignment"]?.stringValue?.hasPrefix(prefix) == true } ?? .null
    }

    @Test func alignsScoresAndStores() {
        _ = result(Self.load)
        let (reply, outputs) = run("%wordalign h gold=\(Self.wpt)/enfr.gold threads=2 as=wa")
        #expect(reply["status"] == "ok", "\(reply["evalue"]?.stringValue ?? "")")
        let rows =
            outputs.last { $0.msgType == "execute_result" }?.content["data"]?["application/vnd.dataresource+json"]?["data"]?.arrayValue
            ?? []
        #expect(rows.count == 4)
        let forward = row(rows, "forward (en→fr)"), growDiag = row(rows, "grow-diag")
        #expect(forward["EM iterations"] == 5 && (forward["perplexity"]?.doubleValue ?? 0) > 1)
        #expect(growDiag["alignment"] == "grow-diag → stored" && growDiag["EM iterations"] == .null)
        let aer = { (r: JSON) in r["AER"]?.doubleValue ?? 1 }
        #expect(aer(growDiag) < aer(forward) && aer(growDiag) < 0.45)
        #expect((row(rows, "intersection")["precision"]?.doubleValue ?? 0) > (forward["precision"]?.doubleValue ?? 1))
        // The translations table: `the` is among the frequent words and goes mostly to `le`/`la`/`les`.
        let translations = outputs.first {
            $0.msgType == "display_data" && $0.content["data"]?["text/html"]?.stringValue?.contains("most probable translations") == true
        }
        let the = translations?.content["data"]?["application/vnd.dataresource+json"]?["data"]?.arrayValue?.first { $0["en word"] == "the" }
        #expect(the?["t(fr | en), best 3"]?.stringValue?.hasPrefix("l") == true)
        // The progress display ran to the end.
        #expect(outputs.contains { $0.content["data"]?["text/html"]?.stringValue?.contains("data-state=\"done\"") == true })
        let who = result("%who")
        #expect(who.contains { $0["name"] == "wa" && $0["kind"] == "alignment" })
    }

    @Test func fastAlignPriorLowersAER() {
        _ = result(Self.load)
        let gold = "gold=\(Self.wpt)/enfr.gold top=0"
        let plain = row(result("%wordalign h \(gold) as=a"), "grow-diag")["AER"]?.doubleValue ?? 0
        let rows = result("%wordalign h model=fastalign \(gold) as=b")
        #expect((row(rows, "grow-diag")["AER"]?.doubleValue ?? 1) < plain)
        #expect(result("%who").contains { $0["name"] == "b" && $0["made by"]?.stringValue?.contains("model=fastalign") == true })
        #expect(result("%who b").contains { $0["property"] == "tension=" && $0["value"] == "4" && $0["source"] == "default" })
        #expect(error("%wordalign h tension=2").contains("model=fastalign"))
    }

    @Test func symmetricChoicesAndSave() throws {
        _ = result(Self.load)
        let intersection = result("%wordalign h symmetric=intersection top=0 as=i")
        #expect(row(intersection, "intersection")["alignment"] == "intersection → stored" && intersection.count == 4)
        let union = result("%wordalign h symmetric=union top=0 as=u")
        #expect(union.count == 5 && row(union, "union")["alignment"] == "union → stored")
        let none = result("%wordalign h symmetric=none top=0 as=n")
        #expect(row(none, "forward")["alignment"]?.stringValue?.hasSuffix("→ stored") == true)
        #expect(row(result("%wordalign h symmetric=true top=0 as=t"), "grow-diag")["alignment"] == "grow-diag → stored")
        let path = "/tmp/xling-wordalign-\(getpid()).align"
        defer { unlink(path) }
        let (reply, outputs) = run("%save i path=\(path)")
        #expect(reply["status"] == "ok")
        #expect(outputs.last?.content["data"]?["text/plain"]?.stringValue?.contains("intersection links of 447 sentence pairs") == true)
        let text = String(decoding: FileBytes.read(path) ?? [], as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 448 && lines.last == "") // 447 lines, each ending in \n
        let links = lines.reduce(0) { $0 + $1.split(separator: " ").count }
        #expect(links == (intersection.first { $0["alignment"] == "intersection → stored" }?["links"]?.intValue ?? -1))
        #expect(lines.allSatisfy { $0.split(separator: " ").allSatisfy { $0.contains("-") } })
        #expect(error("%save i path=\(path) format=bin").contains("Pharaoh"))
    }

    @Test func errorsNameTheProblemAndTheFix() {
        _ = result(Self.load)
        #expect(error("%wordalign hh").contains("did you mean `h`"))
        let wrongGold = error("%wordalign h gold=\(Self.wpt)/roen.gold")
        #expect(wrongGold.contains("248") && wrongGold.contains("447") && wrongGold.contains("one line per pair"))
        #expect(error("%wordalign h gold=/nonexistent/x.gold").contains("/nonexistent/x.gold"))
        _ = result("%load parallel stripped path=\(Self.wpt)/enfr.src-tgt format=pipes src_lang=en tgt_lang=fr")
        #expect(error("%wordalign stripped gold=\(Self.wpt)/enfr.gold").contains("punct=keep"))
        #expect(error("%wordalign h symmetric=grow").contains("grow-diag"))
        _ = result("%%dict d\ncat chat")
        #expect(error("%wordalign d").contains("not a parallel corpus"))
    }

    @Test func interruptKeepsThePartialAlignment() {
        _ = result(Self.load)
        let interrupts = harness.kernel.interrupts
        let interrupter = Thread {
            usleep(300_000)
            interrupts.raise()
        }
        interrupter.start()
        let (reply, outputs) = run("%wordalign h iters=100 as=p")
        #expect(reply["ename"] == "KeyboardInterrupt")
        #expect(outputs.contains { $0.content["text"]?.stringValue?.contains("`p` keeps a partial alignment") == true })
        #expect(outputs.contains { $0.content["data"]?["text/html"]?.stringValue?.contains("data-state=\"interrupted\"") == true })
        let who = result("%who")
        #expect(who.contains { $0["name"] == "p" && $0["size"]?.stringValue?.contains("(partial)") == true })
    }
}
