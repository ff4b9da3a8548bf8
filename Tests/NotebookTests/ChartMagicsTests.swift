import Jupyter
import Testing

@testable import Notebook

/// The charts of `%eval bli` and `%blas` through the kernel core: every chart bundle carries
/// Vega-Lite, SVG and text; BLI precision is drawn on 0–100 % for every k asked for; `%blas`
/// draws a small span of sizes on a linear axis with throughput from 0.
@Suite(.serialized) struct ChartMagicsTests {
    let harness = KernelHarness()
    static let data: String = {
        let root = "\(#filePath)".split(separator: "/").dropLast(3).joined(separator: "/")
        return "/" + root + "/notebooks/data"
    }()

    /// The chart bundles (those with a Vega-Lite spec) `code` displays.
    func charts(_ code: String, sourceLocation: SourceLocation = #_sourceLocation) -> [JSON] {
        let (reply, outputs) = harness.run(code, allowStdin: false)
        #expect(reply["status"] == "ok", "\(code): \(reply["evalue"]?.stringValue ?? "")", sourceLocation: sourceLocation)
        return outputs.compactMap { $0.content["data"] }.filter { $0[VegaLite.mimeType] != nil }
    }

    static func yDomain(_ spec: JSON) -> [Double] {
        (spec["encoding"]?["y"]?["scale"]?["domain"]?.arrayValue ?? []).compactMap(\.doubleValue)
    }

    @Test func bliDrawsEveryKPerRetrievalOnAPercentAxis() throws {
        _ = harness.result(
            """
            %load vectors en path=\(Self.data)/fasttext-en-fr-756/en.vec.gz lang=en
            %load vectors frr path=\(Self.data)/fasttext-en-fr-756/fr.rotated.vec.gz lang=fr
            %load dict test path=\(Self.data)/muse-en-fr-756/test.at.txt format=at
            """)
        // No mapping: a rotated space gives (almost) nothing; the axis must still be 0–100.
        let bundle = try #require(charts("%eval bli src=en tgt=frr dict=test retrieval=nn,csls k=1,5,10").first)
        #expect(bundle["image/svg+xml"] != nil && bundle["text/plain"]?.stringValue?.contains("2 categories, 3 series") == true)
        let spec = bundle[VegaLite.mimeType] ?? .null
        #expect(Self.yDomain(spec) == [0, 100])
        let rows = spec["data"]?["values"]?.arrayValue ?? []
        #expect(Set(rows.compactMap { $0["series"]?.stringValue }) == ["P@1", "P@5", "P@10"])
        #expect(Set(rows.compactMap { $0["category"]?.stringValue }) == ["nn", "csls"])
        #expect(rows.allSatisfy { ($0["value"]?.doubleValue ?? -1) >= 0 && ($0["value"]?.doubleValue ?? 101) <= 100 })
        let svg = bundle["image/svg+xml"]?.stringValue ?? ""
        #expect(svg.contains(">100</text>") && !svg.contains(">-1"), "percent axis 0–100 in the SVG too")
    }

    @Test func blasUsesALinearAxisForASmallSpanAndStartsAtZero() throws {
        let bundle = try #require(charts("%blas sizes=16,32,64 repeat=1").first)
        let spec = bundle[VegaLite.mimeType] ?? .null
        #expect(spec["encoding"]?["x"]?["scale"]?["type"] == nil, "linear x for 16…64")
        #expect(Self.yDomain(spec).first == 0)
        let svg = bundle["image/svg+xml"]?.stringValue ?? ""
        #expect(svg.contains(">30</text>") && !svg.contains(">1000</text>"), "linear ticks, no decades")
    }
}
