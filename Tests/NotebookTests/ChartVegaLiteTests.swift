import Testing

@testable import Notebook

#if canImport(Jupyter)
import Jupyter
#endif

/// `json` with sorted keys, two-space indentation and one array element per line, so golden
/// files of specs diff line by line.
func prettyJSON(_ json: JSON, indent: String = "") -> String {
    let inner = indent + "  "
    switch json {
    case .array(let elements):
        guard !elements.isEmpty else { return "[]" }
        if elements.allSatisfy({ if case .object = $0 { return false } else if case .array = $0 { return false } else { return true } }) {
            return "[" + elements.map { $0.serialized }.joined(separator: ", ") + "]"
        }
        return "[\n" + elements.map { inner + prettyJSON($0, indent: inner) }.joined(separator: ",\n") + "\n" + indent + "]"
    case .object(let members):
        guard !members.isEmpty else { return "{}" }
        let lines = members.sorted { $0.key < $1.key }.map {
            inner + JSON.string($0.key).serialized + ": " + prettyJSON($0.value, indent: inner)
        }
        return "{\n" + lines.joined(separator: ",\n") + "\n" + indent + "}"
    default:
        return json.serialized
    }
}

/// A BLI result as `%eval bli` charts it: P@1/5/10 per retrieval method on a 0–100 % axis.
let bliGroupedBars = BarChart(
    title: "BLI of en→fr: P@1, P@5, P@10", xLabel: "retrieval", yLabel: "precision (%)",
    categories: ["nn", "csls"],
    series: [
        BarSeries(name: "P@1", values: [0.89, 1.79]), BarSeries(name: "P@5", values: [3.57, 5.36]),
        BarSeries(name: "P@10", values: [6.25, 8.04]),
    ],
    yDomain: BarChart.percent)

/// A throughput curve as `%blas` draws it: sizes 64…1024 on a linear x axis, y from 0.
let blasCurve = LineChart(
    title: "sgemm throughput (Haswell, 2 threads)", xLabel: "matrix side n", yLabel: "GFLOP/s",
    series: [
        ChartSeries(
            name: "sgemm",
            points: [(64, 21.5), (128, 48.25), (256, 71.0), (512, 88.4), (1024, 93.125)].map {
                ChartPoint(x: $0.0, y: $0.1, hover: "n=\(Int($0.0)): \($0.1) GFLOP/s")
            })
    ],
    logX: LineChart.prefersLogScale([64, 128, 256, 512, 1024]), yZero: true)

/// A small word map as `%tsne` draws it, with frequency ranks.
let tinyMap = ScatterPlot(
    title: "t-SNE of `m` (en, fr; perplexity 2)", groups: ["en", "fr"],
    points: [
        .init(x: -3.25, y: 1.5, text: "january", group: 0, rank: 410),
        .init(x: -2.75, y: 1.25, text: "janvier", group: 1, rank: 388),
        .init(x: 4.125, y: -2, text: "one", group: 0, rank: 35),
        .init(x: 3.875, y: -2.5, text: "un", group: 1, rank: 12),
        .init(x: 0.5, y: 3, text: "</s>", group: 0, rank: 4),
    ],
    labelled: [0, 1, 2, 3], width: 480, height: 360)

@Suite struct ChartVegaLiteGoldenTests {
    @Test func bliBarsSpec() { assertRenderingSnapshot(prettyJSON(bliGroupedBars.vegaLite) + "\n", named: "bli_grouped_bars.vl.json") }
    @Test func bliBarsSVG() { assertRenderingSnapshot(bliGroupedBars.svg, named: "bli_grouped_bars.svg") }
    @Test func blasSpec() { assertRenderingSnapshot(prettyJSON(blasCurve.vegaLite) + "\n", named: "blas_curve.vl.json") }
    @Test func blasSVG() { assertRenderingSnapshot(blasCurve.svg, named: "blas_curve.svg") }
    @Test func mapSpec() { assertRenderingSnapshot(prettyJSON(tinyMap.render().vegaLite) + "\n", named: "tsne_map.vl.json") }
    @Test func scatterSpec() {
        let chart = ScatterChart(
            title: "two words", xLabel: "PC 1", yLabel: "PC 2",
            series: [ChartSeries(name: "en", points: [ChartPoint(x: 0.5, y: 0.25, label: "cat"), ChartPoint(x: -0.5, y: 0.125)])])
        assertRenderingSnapshot(prettyJSON(chart.vegaLite) + "\n", named: "word_scatter.vl.json")
    }
}

@Suite struct ChartAxisRuleTests {
    /// The y domain a spec declares, as [lo, hi].
    static func yDomain(_ spec: JSON) -> [Double] {
        (spec["encoding"]?["y"]?["scale"]?["domain"]?.arrayValue ?? []).compactMap(\.doubleValue)
    }

    @Test func percentAxesAreZeroToHundredWhateverTheData() {
        for values in [[0.0, 0.0], [0.89, 1.79], [100.0, 97.5], [0.0]] {
            let chart = BarChart(
                title: "p", categories: ["nn", "csls"], series: [BarSeries(name: "P@1", values: values)], yDomain: BarChart.percent)
            let axis = chart.fittedYAxis(values)
            #expect(axis.lo == 0 && axis.hi == 100 && !axis.isLog)
            #expect(axis.ticks.map(\.label) == ["0", "20", "40", "60", "80", "100"])
            #expect(Self.yDomain(chart.vegaLite) == [0, 100])
            #expect(!chart.svg.contains(">-"), "no negative tick label")
        }
    }

    @Test func allZeroResultNeverDrawsANegativeAxis() {
        let chart = BarChart(title: "z", categories: ["nn"], series: [BarSeries(name: "P@1", values: [0])])
        let axis = chart.fittedYAxis([0])
        #expect(axis.lo == 0 && axis.hi > 0)
        #expect(Self.yDomain(chart.vegaLite).first == 0)
        #expect(!chart.svg.contains(">-1"))
    }

    @Test func nonNegativeDataNeverGetsANegativeRange() {
        let cases: [[Double]] = [[0, 0], [0.001, 0.002], [0, 5], [3, 3], [0.1, 1e6], [7], [1e-9, 2e-9]]
        for values in cases {
            let axis = ChartAxis.linear(values)
            #expect(axis.lo >= 0, "\(values) → [\(axis.lo), \(axis.hi)]")
            #expect(axis.ticks.allSatisfy { $0.position >= 0 })
            #expect(ChartAxis.linear(values, includeZero: true).lo == 0)
        }
        // Negative data still gets its range.
        #expect(ChartAxis.linear([-2, 3]).lo <= -2)
        let loss = LineChart(title: "l", series: [ChartSeries(name: "s", points: [ChartPoint(x: 1, y: 0), ChartPoint(x: 2, y: 0)])])
        #expect(Self.yDomain(loss.vegaLite).first == 0)
    }

    @Test func linearXUnlessTheDataSpanMoreThanTwoDecades() {
        #expect(!LineChart.prefersLogScale([64, 128, 256, 512, 1024]))
        #expect(!LineChart.prefersLogScale([10, 1000]))
        #expect(LineChart.prefersLogScale([10, 100_000]))
        #expect(LineChart.prefersLogScale([0.001, 1]))
        #expect(!LineChart.prefersLogScale([0, 1000]), "zero cannot go on a log axis")
        #expect(!LineChart.prefersLogScale([]))
        // The %blas chart: linear x, y from 0.
        #expect(!blasCurve.logX)
        let x = blasCurve.vegaLite["encoding"]?["x"]?["scale"]
        #expect(x?["type"] == nil)
        #expect(Self.yDomain(blasCurve.vegaLite).first == 0)
        #expect(blasCurve.svg.contains(">0</text>") || blasCurve.svg.contains(">0.0</text>") || blasCurve.svg.contains(">0.00</text>"))
    }

    @Test func everySpecIsVegaLiteFiveWithInlineData() {
        let specs = [bliGroupedBars.vegaLite, blasCurve.vegaLite, tinyMap.render().vegaLite]
        for spec in specs {
            #expect(spec["$schema"] == .string(VegaLite.schema))
            #expect(spec["data"]?["values"]?.arrayValue?.isEmpty == false)
            #expect(spec["title"]?.stringValue?.contains("`") != true)
        }
        #expect(tinyMap.mimeBundle[VegaLite.mimeType] != nil && tinyMap.mimeBundle["image/svg+xml"] != nil)
    }

    @Test func mapTooltipsNameWordLanguageAndRankAndZoom() throws {
        let spec = tinyMap.render().vegaLite
        let layers = try #require(spec["layer"]?.arrayValue)
        let tooltip = layers[0]["encoding"]?["tooltip"]?.arrayValue?.compactMap { $0["field"]?.stringValue }
        #expect(tooltip == ["word", "language", "rank"])
        #expect(layers[0]["params"]?.arrayValue?.first?["bind"] == "scales")
        let rows = try #require(spec["data"]?["values"]?.arrayValue)
        #expect(rows.count == 5)
        #expect(rows.contains { $0["word"] == "january" && $0["language"] == "en" && $0["rank"] == 410 })
        // The labels drawn are the ones the SVG placed; </s> was not asked for.
        #expect(rows.filter { $0["label"] != nil }.count == tinyMap.render().labels.count)
        #expect(!rows.contains { $0["label"] == "</s>" })
    }
}
