import Foundation
import Testing

@testable import Notebook

#if canImport(Jupyter)
import Jupyter
#endif

// MARK: - Golden files

/// The directory holding the golden files, next to this source file.
private let renderingSnapshotsDirectory: String = {
    let file = "\(#filePath)"
    let dir = file.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
    return dir + "/Snapshots"
}()

/// Compares `actual` with the golden file `name`, or (re)writes it when RECORD_SNAPSHOTS=1.
func assertRenderingSnapshot(
    _ actual: String, named name: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let path = renderingSnapshotsDirectory + "/" + name
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
        do {
            try FileManager.default.createDirectory(
                atPath: renderingSnapshotsDirectory,
                withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            Issue.record("could not record \(name): \(error)", sourceLocation: sourceLocation)
        }
        return
    }
    guard let data = FileManager.default.contents(atPath: path) else {
        Issue.record("missing golden file \(name); run with RECORD_SNAPSHOTS=1", sourceLocation: sourceLocation)
        return
    }
    let expected = String(decoding: data, as: UTF8.self)
    if expected != actual {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let line = (0..<min(e.count, a.count)).first(where: { e[$0] != a[$0] }) ?? min(e.count, a.count)
        let want = line < e.count ? String(e[line]) : "<end of file>"
        let got = line < a.count ? String(a[line]) : "<end of file>"
        Issue.record(
            "\(name) differs at line \(line + 1):\n  expected: \(want)\n  actual:   \(got)",
            sourceLocation: sourceLocation)
    }
}

// MARK: - A tiny XML well-formedness checker

/// Problems with `xml` as a standalone document: unbalanced or mismatched tags, a raw `&` that
/// does not start an entity, a raw `<` in an attribute, or "nan"/"inf" in an attribute value.
private func xmlProblems(_ xml: String) -> [String] {
    var problems: [String] = []
    let chars = Array(xml.unicodeScalars)
    var stack: [String] = []
    var roots = 0
    var i = 0
    func checkEntities(_ text: String, _ context: String) {
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            let after = rest[rest.index(after: amp)...]
            guard let semi = after.firstIndex(of: ";") else {
                problems.append("raw & in \(context)")
                return
            }
            let name = after[after.startIndex..<semi]
            let ok =
                ["amp", "lt", "gt", "quot", "apos"].contains(String(name))
                || (name.hasPrefix("#") && name.dropFirst().allSatisfy(\.isNumber) && name.count > 1)
            if !ok { problems.append("bad entity &\(name); in \(context)") }
            rest = after[after.index(after: semi)...]
        }
    }
    while i < chars.count {
        if chars[i] != "<" {
            var text = ""
            while i < chars.count, chars[i] != "<" {
                text.unicodeScalars.append(chars[i])
                i += 1
            }
            if stack.isEmpty && !text.allSatisfy(\.isWhitespace) { problems.append("text outside root") }
            checkEntities(text, "text")
            continue
        }
        // A tag: read to the closing '>' outside quotes.
        var j = i + 1
        var quote: Unicode.Scalar?
        var tag = ""
        while j < chars.count {
            let c = chars[j]
            if let q = quote {
                if c == q { quote = nil } else if c == "<" { problems.append("raw < in attribute") }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == ">" {
                break
            }
            tag.unicodeScalars.append(c)
            j += 1
        }
        guard j < chars.count else {
            problems.append("unterminated tag")
            break
        }
        i = j + 1
        if tag.hasPrefix("/") {
            let name = String(tag.dropFirst()).trimmingCharacters(in: .whitespaces)
            if stack.last == name { stack.removeLast() } else { problems.append("mismatched </\(name)>") }
            continue
        }
        let selfClosing = tag.hasSuffix("/")
        let body = selfClosing ? String(tag.dropLast()) : tag
        let name = String(body.prefix(while: { !$0.isWhitespace }))
        if name.isEmpty { problems.append("empty tag name") }
        // Attribute values.
        var rest = Substring(body.dropFirst(name.count))
        while let eq = rest.firstIndex(of: "=") {
            let afterEq = rest[rest.index(after: eq)...]
            guard let open = afterEq.first, open == "\"" || open == "'" else {
                problems.append("unquoted attribute in <\(name)>")
                break
            }
            let valueStart = afterEq.index(after: afterEq.startIndex)
            guard let close = afterEq[valueStart...].firstIndex(of: open) else {
                problems.append("unterminated attribute")
                break
            }
            let value = String(afterEq[valueStart..<close])
            checkEntities(value, "attribute of <\(name)>")
            let lower = value.lowercased()
            if lower.contains("nan") || lower.contains("inf") { problems.append("non-finite attribute \(value) in <\(name)>") }
            rest = afterEq[afterEq.index(after: close)...]
        }
        if stack.isEmpty { roots += 1 }
        if !selfClosing { stack.append(name) }
    }
    if !stack.isEmpty { problems.append("unclosed: \(stack)") }
    if roots != 1 { problems.append("\(roots) root elements") }
    return problems
}

// MARK: - Sample data

private let bliTable = Table(
    title: "BLI en→fr (test dictionary, 1,500 pairs)",
    columns: ["retrieval", "P@1", "P@5", "P@10", "coverage"],
    rows: [
        [.text("nn"), .double(0.38266666666666665), .double(0.5786666666666667), .double(0.6353333333333333), .int(1500)],
        [.text("isf"), .double(0.41533333333333333), .double(0.6113333333333333), .double(0.6686666666666666), .int(1500)],
        [.text("csls"), .double(0.4466666666666667), .double(0.6573333333333333), .double(0.7113333333333334), .int(1500)],
        [.text("csls (k=20, λ=0.5)"), .double(0.452), .double(.nan), .empty, .int(1498)],
    ],
    footnote: "P@k = precision at k; NaN where not computed.")

private let wordScatter = ScatterChart(
    title: "Aligned embeddings (PCA)", xLabel: "PC 1", yLabel: "PC 2",
    series: [
        ChartSeries(
            name: "en",
            points: [
                ChartPoint(x: 0.412, y: 0.233, label: "cat"), ChartPoint(x: 0.398, y: 0.301, label: "dog"),
                ChartPoint(x: -0.521, y: 0.114, label: "house"), ChartPoint(x: -0.134, y: -0.602, label: "water"),
                ChartPoint(x: 0.055, y: -0.417, label: "river"), ChartPoint(x: -0.603, y: 0.052, label: "city"),
            ]),
        ChartSeries(
            name: "fr",
            points: [
                ChartPoint(x: 0.431, y: 0.219, label: "chat"), ChartPoint(x: 0.377, y: 0.318, label: "chien"),
                ChartPoint(x: -0.498, y: 0.139, label: "maison"), ChartPoint(x: -0.151, y: -0.577, label: "eau"),
                ChartPoint(x: 0.071, y: -0.436, label: "fleuve", hover: "fleuve ↔ river (cos 0.71)"),
                ChartPoint(x: -0.588, y: 0.071, label: "ville"),
            ]),
    ])

private let lossCurve: LineChart = {
    let train = [2.31, 1.42, 0.98, 0.74, 0.61, 0.55, 0.51, 0.49, 0.475, 0.468]
    let valid = [2.35, 1.51, 1.09, 0.88, 0.79, 0.75, 0.74, 0.745, 0.751, 0.76]
    return LineChart(
        title: "Procrustes refinement loss", xLabel: "iteration", yLabel: "loss",
        series: [
            ChartSeries(name: "train", points: train.enumerated().map { ChartPoint(x: Double($0.offset + 1), y: $0.element) }),
            ChartSeries(name: "validation", points: valid.enumerated().map { ChartPoint(x: Double($0.offset + 1), y: $0.element) }),
        ])
}()

private let pAt1Bars = BarChart(
    title: "P@1 by retrieval method", xLabel: "retrieval", yLabel: "P@1",
    categories: ["nn", "isf", "csls", "csls+refine"],
    series: [
        BarSeries(name: "en→fr", values: [0.3827, 0.4153, 0.4467, 0.4813]),
        BarSeries(name: "fr→en", values: [0.3912, 0.4207, 0.4589, 0.4935]),
    ])

// MARK: - Golden tests

@Suite struct RenderingGoldenTests {
    @Test func bliTableHTML() { assertRenderingSnapshot(bliTable.html, named: "bli_table.html") }
    @Test func bliTableText() { assertRenderingSnapshot(bliTable.plainText, named: "bli_table.txt") }
    @Test func bliTableSchema() { assertRenderingSnapshot(bliTable.dataResource.serialized, named: "bli_table.dataresource.json") }

    @Test func emptyTable() {
        let t = Table(title: "no matches", columns: ["source", "target", "score"], rows: [])
        assertRenderingSnapshot(t.html, named: "empty_table.html")
        assertRenderingSnapshot(t.plainText, named: "empty_table.txt")
    }

    @Test func scatterSVG() { assertRenderingSnapshot(wordScatter.svg, named: "word_scatter.svg") }
    @Test func lineSVG() { assertRenderingSnapshot(lossCurve.svg, named: "loss_curve.svg") }
    @Test func logLineSVG() {
        var chart = lossCurve
        chart.title = "loss (log scale)"
        chart.logY = true
        assertRenderingSnapshot(chart.svg, named: "loss_curve_log.svg")
    }
    @Test func barSVG() { assertRenderingSnapshot(pAt1Bars.svg, named: "p_at_1_bars.svg") }
}

// MARK: - Behaviour

@Suite struct RenderingBehaviourTests {
    static let nasty = "<b>&\"x\"</b>"

    @Test func tableEscapesHTML() {
        let t = Table(title: "a & b", columns: ["<col>"], rows: [[.text(Self.nasty)]], footnote: "it's")
        let html = t.html
        #expect(html.contains("&lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt;"))
        #expect(html.contains("&lt;col&gt;"))
        #expect(html.contains("<caption style=\"text-align: left\">a &amp; b</caption>"))
        #expect(html.contains("it&#39;s"))
        #expect(!html.contains("<b>"))
        #expect(t.plainText.contains(Self.nasty))
    }

    @Test func chartsEscapeSVG() {
        let scatter = ScatterChart(
            title: Self.nasty, xLabel: Self.nasty, yLabel: "y",
            series: [
                ChartSeries(name: Self.nasty, points: [ChartPoint(x: 1, y: 2, label: Self.nasty)]),
                ChartSeries(name: "it's", points: [ChartPoint(x: 2, y: 1)]),
            ])
        let bar = BarChart(title: "t", categories: [Self.nasty], series: [BarSeries(name: Self.nasty, values: [1])])
        for svg in [scatter.svg, bar.svg] {
            #expect(svg.contains("&lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt;"))
            #expect(!svg.contains("<b>"))
            #expect(xmlProblems(svg) == [])
        }
        #expect(scatter.svg.contains("it&apos;s"))
        #expect(SVGText.escape("a\u{1}b") == "a\u{FFFD}b")
    }

    @Test func numericColumnsAreRightAligned() {
        let t = Table(
            columns: ["word", "count", "mixed", "blank"],
            rows: [[.text("chat"), .int(3), .int(1), .empty], [.text("chien"), .empty, .text("x"), .empty]])
        let html = t.html
        #expect(html.contains("<th style=\"text-align: right\">count</th>"))
        #expect(html.contains("<td style=\"text-align: right\">3</td>"))
        #expect(html.contains("<th style=\"text-align: left\">word</th>"))
        #expect(html.contains("<th style=\"text-align: left\">mixed</th>"))
        #expect(html.contains("<th style=\"text-align: left\">blank</th>"))
        let lines = t.plainText.split(separator: "\n").map(String.init)
        #expect(lines[0] == "word   count  mixed  blank")
        #expect(lines[2] == "chat       3  1")
        #expect(lines[3] == "chien         x")
    }

    @Test func nonFiniteAndSpecialValues() {
        let t = Table(
            columns: ["v"],
            rows: [
                [.double(.nan)], [.double(.infinity)], [.double(-.infinity)],
                [.bool(true)], [.empty], [.double(1.5e-7)], [.double(0.1 + 0.2)],
            ])
        let html = t.html
        for text in [">NaN<", ">inf<", ">-inf<", ">true<", "><", ">1.500e-07<", ">0.3000<"] { #expect(html.contains(text)) }
        #expect(
            t.dataResource["data"]?.serialized
                == #"[{"v":null},{"v":null},{"v":null},{"v":true},{"v":null},{"v":1.5e-07},{"v":0.30000000000000004}]"#)
        #expect(t.mimeBundle["application/vnd.dataresource+json"] == t.dataResource)
        #expect(t.mimeBundle["application/json"] == nil)
        #expect(t.mimeBundle["text/plain"] == .string(t.plainText))
    }

    @Test func emptyAndRaggedTables() {
        let empty = Table(columns: ["a", "b"], rows: [])
        #expect(empty.html.contains("<td colspan=\"2\" style=\"text-align: left\">(no rows)</td>"))
        #expect(empty.plainText == "a  b\n-  -\n(no rows)")
        #expect(empty.dataResource["data"] == .array([]))
        let ragged = Table(columns: ["a", "b"], rows: [[.int(1)], [.int(1), .int(2), .int(3)]])
        #expect(ragged.dataResource["data"] == .array([["a": 1, "b": nil], ["a": 1, "b": 2]]))
        #expect(Table(columns: [], rows: []).plainText.contains("(no rows)"))
    }

    @Test func tableSchemaTypesAndUniqueFieldNames() {
        let t = Table(
            columns: ["word", "n", "x", "p", "ok", "mixed", "n", "blank"],
            rows: [
                [.text("chat"), .int(3), .int(1), .percent(87.5), .bool(true), .int(1), .int(4), .empty],
                [.text("chien"), .int(2), .double(0.5), .percent(0.8928571), .bool(false), .text("a"), .int(5), .empty],
            ])
        let fields = t.dataResource["schema"]?["fields"]?.arrayValue ?? []
        #expect(fields.compactMap { $0["name"]?.stringValue } == ["word", "n", "x", "p", "ok", "mixed", "n (2)", "blank"])
        #expect(
            fields.compactMap { $0["type"]?.stringValue } == [
                "string", "integer", "number", "number", "boolean", "any", "integer", "string",
            ])
        let rows = t.dataResource["data"]?.arrayValue ?? []
        #expect(rows.count == 2)
        #expect(rows[1]["p"] == .double(0.8928571))
        #expect(rows[1]["n (2)"] == 5)
        #expect(t.plainText.contains("  0.9  "))
        #expect(t.html.contains(">87.5</td>"))
    }

    @Test func inlineMarkdownInCaptionsAndFootnotes() {
        let t = Table(
            title: "BLI of `en_fr` on *test*", columns: ["`k`"], rows: [[.text("`raw`")]],
            footnote: "2 * 3 and a*b stay; `<x>` is code, *not <y>* is emphasis, ** stays")
        let html = t.html
        #expect(html.contains("BLI of <code>en_fr</code> on <em>test</em></caption>"))
        #expect(html.contains("<code>k</code></th>"))
        #expect(html.contains(">`raw`</td>"))
        #expect(html.contains("2 * 3 and a*b stay; <code>&lt;x&gt;</code> is code, <em>not &lt;y&gt;</em> is emphasis, ** stays"))
        #expect(t.plainText.hasPrefix("BLI of `en_fr` on *test*"))
        #expect(HTMLText.inlineMarkdown("an `unclosed tick") == "an `unclosed tick")
        #expect(HTMLText.inlineMarkdown("*a* `b*` *c*") == "<em>a</em> <code>b*</code> <em>c</em>")
    }

    @Test func wideTablesScrollHorizontally() {
        let html = Table(columns: ["a"], rows: [[.int(1)]]).html
        #expect(html.hasPrefix("<div class=\"xling-table-wrap\" style=\"overflow-x: auto; max-width: 100%\">"))
    }

    @Test func plainTextCountsCharacters() {
        let t = Table(columns: ["mot", "n"], rows: [[.text("été"), .int(1)], [.text("naïveté"), .int(22)]])
        #expect(t.plainText == "mot       n\n-------  --\nété       1\nnaïveté  22")
    }

    @Test func numberFormatting() {
        #expect(RenderNumber.tableCell(0.12345) == "0.1235")
        #expect(RenderNumber.tableCell(1234.5678) == "1234.5678")
        #expect(RenderNumber.tableCell(1.2345e-7) == "1.235e-07")
        #expect(RenderNumber.tableCell(9.9996e-5) == "1.000e-04")
        #expect(RenderNumber.tableCell(2e20) == "2.000e+20")
        #expect(RenderNumber.tableCell(-0.00001) == "-1.000e-05")
        #expect(RenderNumber.tableCell(0) == "0.0000")
        #expect(RenderNumber.tableCell(-0.0) == "0.0000")
        #expect(RenderNumber.tableCell(0.99999) == "1.0000")
        #expect(RenderNumber.coordinate(-0.001) == "0")
        #expect(RenderNumber.coordinate(12.345) == "12.35")
        #expect(RenderNumber.coordinate(.nan) == "0")
        #expect(RenderNumber.compact(0.5) == "0.5")
        #expect(RenderNumber.compact(3e-9) == "3e-09")
    }

    @Test func niceTicks() {
        let axis = ChartAxis.linear([0.13, 0.87])
        #expect(axis.ticks.map(\.label) == ["0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9"])
        #expect(ChartAxis.linear([0, 0.93]).ticks.map(\.label) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        #expect(ChartAxis.linear([3, 3]).ticks.map(\.label) == ["2.7", "2.8", "2.9", "3.0", "3.1", "3.2", "3.3"])
        // Non-negative data never gets a negative range: all zeros give 0…1, not −1…1.
        #expect(ChartAxis.linear([0, 0]).ticks.map(\.label) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        #expect(ChartAxis.logarithmic([0.5, 200]).ticks.map(\.label) == ["0.1", "1", "10", "100", "1000"])
        #expect(abs((RenderMath.log10(1000) ?? 0) - 3) < 1e-12)
    }

    @Test func degenerateChartsStayWellFormed() {
        let bad: [Double] = [.nan, .infinity, -.infinity, 1e308, -1e308, 0, -1]
        var charts: [String] = []
        let seriesSets: [[ChartSeries]] = [
            [], [ChartSeries(name: "empty", points: [])],
            [ChartSeries(name: "one", points: [ChartPoint(x: 1, y: 1, label: "solo")])],
            [ChartSeries(name: "same x", points: [ChartPoint(x: 2, y: 1), ChartPoint(x: 2, y: 5)])],
            [ChartSeries(name: "same y", points: [ChartPoint(x: 1, y: 0), ChartPoint(x: 9, y: 0)])],
            [
                ChartSeries(name: "bad", points: bad.map { ChartPoint(x: $0, y: $0, label: "w") }),
                ChartSeries(name: "tiny", points: [ChartPoint(x: 1e-300, y: 2e-300), ChartPoint(x: 3e-300, y: 1e-300)]),
            ],
        ]
        for series in seriesSets {
            charts.append(ScatterChart(title: "", series: series, width: 0, height: -5).svg)
            charts.append(ScatterChart(title: "s", series: series).svg)
            charts.append(LineChart(title: "l", series: series).svg)
            charts.append(LineChart(title: "log", series: series, logX: true, logY: true).svg)
        }
        charts.append(BarChart(title: "none", categories: [], series: []).svg)
        charts.append(BarChart(title: "bad", categories: ["a", "b", "c"], series: [BarSeries(name: "s", values: bad)]).svg)
        charts.append(
            BarChart(
                title: "neg", categories: ["a", "b"], series: [BarSeries(name: "s", values: [-2, 3]), BarSeries(name: "t", values: [1])]
            ).svg)
        charts.append(BarChart(title: "zero", categories: ["a"], series: [BarSeries(name: "s", values: [0])]).svg)
        for svg in charts {
            #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
            #expect(xmlProblems(svg) == [], "\(svg)")
        }
    }

    @Test func hoverTitlesAndLegend() {
        let svg = lossCurve.svg
        #expect(svg.components(separatedBy: "<title>").count - 1 == 20)
        #expect(svg.contains("<title>train: (1, 2.31)</title>"))
        #expect(svg.contains("class=\"legend\""))
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 2)
        let single = LineChart(title: "t", series: [ChartSeries(name: "a", points: [ChartPoint(x: 0, y: 1)])]).svg
        #expect(!single.contains("class=\"legend\""))
        #expect(pAt1Bars.svg.contains("<title>csls, en→fr: 0.4467</title>"))
        #expect(wordScatter.svg.contains("<title>fleuve ↔ river (cos 0.71)</title>"))
        #expect(wordScatter.svg.contains("<title>en: cat (0.412, 0.233)</title>"))
    }

    @Test func overlappingLabelsAreSkipped() {
        let points = (0..<5).map { ChartPoint(x: 1, y: 1, label: "same\($0)") } + [ChartPoint(x: 0, y: 0), ChartPoint(x: 2, y: 2)]
        let svg = ScatterChart(title: "t", series: [ChartSeries(name: "s", points: points)]).svg
        // Four candidate spots around the shared point: at most four labels fit.
        let drawn = (0..<5).filter { svg.contains(">same\($0)</text>") }.count
        #expect(drawn == 4)
    }

    @Test func deterministicAndBundled() {
        #expect(wordScatter.svg == wordScatter.svg)
        #expect(lossCurve.summary == "<LineChart: Procrustes refinement loss, 2 series, 20 points>")
        let bundle = pAt1Bars.mimeBundle
        #expect(bundle["image/svg+xml"] == .string(pAt1Bars.svg))
        #expect(bundle["text/plain"] == .string("<BarChart: P@1 by retrieval method, 4 categories, 2 series>"))
        #expect(chartBundle(svg: "<svg/>", summary: "s").count == 2)
        #expect(bundle[VegaLite.mimeType] == pAt1Bars.vegaLite && bundle.count == 3)
    }
}
