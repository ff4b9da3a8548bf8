import Embeddings
import Testing

@testable import Notebook

/// `ScatterPlot` on the real fastText en/fr vocabularies of the notebooks (756 words each,
/// which include `</s>`, `"`, `>` and `&`), placed at their first two vector coordinates.
@Suite struct ScatterPlotTests {
    static let data: String = {
        let root = "\(#filePath)".split(separator: "/").dropLast(3).joined(separator: "/")
        return "/" + root + "/notebooks/data/fasttext-en-fr-756"
    }()

    /// The `count` most frequent words of both languages, en then fr, at (v[0], v[1]); every
    /// `labelEvery`-th word (by frequency, the two languages interleaved) is labelled.
    static func plot(count: Int, labelEvery: Int = 1) throws -> ScatterPlot {
        var points: [ScatterPlot.Point] = []
        for (group, language) in ["en", "fr"].enumerated() {
            let (space, _) = try Word2VecText.load(path: "\(data)/\(language).vec.gz", max: count, language: language)
            for row in 0..<space.count {
                points.append(
                    .init(
                        x: Double(space.vectors[row, 0]), y: Double(space.vectors[row, 1]),
                        text: space.vocabulary[row], group: group))
            }
        }
        let perLanguage = points.count / 2
        let labelled = (0..<perLanguage).filter { $0 % labelEvery == 0 }.flatMap { [$0, perLanguage + $0] }
        return ScatterPlot(
            title: "fastText en–fr <first two coordinates>", groups: ["en", "fr"],
            points: points, labelled: labelled)
    }

    static func occurrences(_ needle: String, in text: String) -> Int {
        text.split(separator: needle, omittingEmptySubsequences: false).count - 1
    }

    /// Whether every `cx`, `cy`, `x`, `y` attribute of `svg` is a finite number (words such as
    /// "information" make a plain search for "inf" useless).
    static func coordinatesAreFinite(_ svg: String) -> Bool {
        var count = 0
        for key in [" cx=\"", " cy=\"", " x=\"", " y=\""] {
            for piece in svg.split(separator: key).dropFirst() {
                guard let value = Double(piece.prefix { $0 != "\"" }), value.isFinite else { return false }
                count += 1
            }
        }
        return count > 0
    }

    @Test func oneCircleAndOneTitlePerPoint() throws {
        let plot = try Self.plot(count: 756, labelEvery: 25)
        let svg = plot.svg
        #expect(plot.points.count == 1512)
        #expect(Self.occurrences("<circle ", in: svg) == 1512)
        #expect(Self.occurrences("<title>", in: svg) == 1512)
        #expect(svg.contains("<title>the (en)</title>"))
        #expect(svg.contains("<title>de (fr)</title>"))
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"720\" height=\"560\" viewBox=\"0 0 720 560\""))
        #expect(Self.coordinatesAreFinite(svg))
    }

    @Test func wordsAreEscapedInTitlesAndLabels() throws {
        let plot = try Self.plot(count: 756)
        let svg = plot.svg
        #expect(svg.contains("<title>&lt;/s&gt; (en)</title>"))
        #expect(svg.contains("<title>&quot; (en)</title>"))
        #expect(svg.contains("<title>&amp; (fr)</title>"))
        #expect(svg.contains("<title>&amp;annee (fr)</title>"))
        #expect(svg.contains("fastText en–fr &lt;first two coordinates&gt;"))
        // No raw markup from a word survives: every '<' opens a known element.
        let tags = svg.split(separator: "<").dropFirst().map { $0.prefix { $0 != " " && $0 != ">" } }
        #expect(Set(tags).isSubset(of: ["svg", "/svg", "rect", "text", "/text", "g", "/g", "circle", "/circle", "title", "/title"]))
    }

    @Test func legendNamesBothLanguagesInPaletteColours() throws {
        let svg = try Self.plot(count: 100).svg
        let legend = svg.split(separator: "\n").drop { !$0.contains("class=\"legend\"") }.prefix(5).joined(separator: "\n")
        #expect(legend.contains(">en</text>") && legend.contains(">fr</text>"))
        #expect(legend.contains(ChartPalette.color(0)) && legend.contains(ChartPalette.color(1)))
        #expect(svg.contains("<g class=\"group\" fill=\"\(ChartPalette.color(0))\">"))
        #expect(svg.contains("<g class=\"group\" fill=\"\(ChartPalette.color(1))\">"))
    }

    @Test func visibleLabelsNeverOverlapAndStayInsideThePlot() throws {
        let plot = try Self.plot(count: 756)
        let rendering = plot.render()
        #expect(rendering.labels.count > 20)
        #expect(rendering.labels.count < 1512) // a crowded map cannot label every word
        #expect(Self.occurrences("<text x=", in: rendering.svg) - 2 - 1 == rendering.labels.count) // 2 legend entries, 1 title
        let boxes = rendering.labels.map(\.box)
        for i in boxes.indices {
            for j in boxes.indices where j > i { #expect(!boxes[i].overlaps(boxes[j]), "labels \(i) and \(j) overlap") }
        }
        // The highest-priority labels ("," in en and fr) always find a spot.
        #expect(rendering.labels.prefix(2).map(\.point) == [0, 756])
    }

    @Test func sameInputSameBytes() throws {
        let a = try Self.plot(count: 300, labelEvery: 3)
        let b = try Self.plot(count: 300, labelEvery: 3)
        #expect(a.svg == b.svg)
        #expect(
            a.mimeBundle["text/plain"]?.stringValue?.hasPrefix(
                "<ScatterPlot: fastText en–fr <first two coordinates>, 2 groups, 600 points, ") == true)
        #expect(a.mimeBundle["image/svg+xml"]?.stringValue == a.svg)
    }

    @Test func unusablePointsAndGroupsAreSkipped() throws {
        var plot = try Self.plot(count: 50)
        plot.points[0].x = .nan
        plot.points[1].y = .infinity
        plot.points[2].group = 7
        let svg = plot.svg
        #expect(Self.occurrences("<circle ", in: svg) == 97)
        #expect(Self.coordinatesAreFinite(svg))
        #expect(!plot.render().labels.contains { $0.point < 3 })
    }

    @Test func oneScaleForBothAxes() throws {
        var plot = try Self.plot(count: 200)
        // Stretch x tenfold: the map must keep equal scales, so the y spread shrinks on the page.
        let before = plot.render().svg
        for i in plot.points.indices { plot.points[i].x *= 10 }
        let frame = ScatterPlotFrame(
            points: plot.points, canvas: ChartCanvas(width: 720, height: 560, title: "t", yTickLabels: [], legendNames: ["en", "fr"]),
            margin: 5)
        let ys = plot.points.compactMap { frame.position($0)?.y }
        let xs = plot.points.compactMap { frame.position($0)?.x }
        let xSpread = (xs.max() ?? 0) - (xs.min() ?? 0)
        let ySpread = (ys.max() ?? 0) - (ys.min() ?? 0)
        let dataX = plot.points.map(\.x), dataY = plot.points.map(\.y)
        let ratio = ((dataX.max() ?? 0) - (dataX.min() ?? 0)) / ((dataY.max() ?? 0) - (dataY.min() ?? 0))
        #expect(abs(xSpread / ySpread - ratio) < 1e-6 * ratio)
        #expect(before != plot.svg)
    }
}
