#if canImport(Jupyter)
import Jupyter
#endif

/// A grouped bar chart: one group per category, one bar per series inside each group.
///
/// The y axis always includes 0 and bars grow up or down from it; non-negative data never gets a
/// negative range, and `yDomain` fixes the axis (`BarChart.percent`: 0–100). Missing and non-finite
/// values draw no bar; values past the last category are ignored. Long category labels are
/// rotated (and shortened to 24 characters). The SVG is deterministic.
public struct BarChart: Sendable {
    /// The title drawn above the plot (omitted when empty).
    public var title: String
    /// The x-axis title (omitted when `nil` or empty).
    public var xLabel: String?
    /// The y-axis title (omitted when empty).
    public var yLabel: String
    /// The category names, one bar group each, left to right.
    public var categories: [String]
    /// The series, coloured by index from the palette.
    public var series: [BarSeries]
    /// The page width in pixels (at least 200 is used).
    public var width: Int
    /// The page height in pixels (at least 150 is used).
    public var height: Int
    /// A fixed y axis (e.g. `BarChart.percent`), or `nil` to fit the data.
    public var yDomain: ClosedRange<Double>?

    /// The y domain of percentages: 0 to 100, whatever the values.
    public static let percent: ClosedRange<Double> = 0...100

    /// Creates a bar chart.
    public init(
        title: String, xLabel: String? = nil, yLabel: String = "", categories: [String],
        series: [BarSeries], width: Int = 640, height: Int = 480, yDomain: ClosedRange<Double>? = nil
    ) {
        self.yDomain = yDomain
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.categories = categories
        self.series = series
        self.width = width
        self.height = height
    }

    /// The chart as a standalone SVG document.
    public var svg: String {
        let values = series.flatMap { $0.values.prefix(categories.count) }
        let yAxis = fittedYAxis(values)
        let names = series.map(\.name)
        // First pass without rotation to learn the band width, then reserve room if rotated.
        let probe = ChartCanvas(
            width: width, height: height, title: title,
            yTickLabels: yAxis.ticks.map(\.label), legendNames: names)
        let band = (probe.right - probe.left) / Double(max(categories.count, 1))
        let shown = categories.map { ChartCanvas.shorten($0, to: 24) }
        let longest = ChartCanvas.textWidth(shown.map(\.count).max() ?? 0, fontSize: ChartCanvas.tickFont)
        let rotate = longest > band - 4
        let extra = rotate ? min(longest * 0.58, probe.height * 0.3) : 0
        var c = ChartCanvas(
            width: width, height: height, title: title,
            yTickLabels: yAxis.ticks.map(\.label), legendNames: names, bottomExtra: extra)
        c.drawTitle(title)
        c.drawYAxis(yAxis, label: yLabel)
        c.drawXLabel(xLabel ?? "")

        let step = (c.right - c.left) / Double(max(categories.count, 1))
        let barWidth = step * 0.8 / Double(max(series.count, 1))
        let zero = c.py(yAxis.fraction(0) ?? 0)
        for (j, s) in series.enumerated() {
            c.add("<g class=\"series\" fill=\"\(ChartPalette.color(j))\">")
            for (i, category) in categories.enumerated() where i < s.values.count {
                let v = s.values[i]
                guard let f = yAxis.fraction(v) else { continue }
                let top = c.py(f)
                let x = c.left + Double(i) * step + step * 0.1 + Double(j) * barWidth
                let hover = SVGText.escape("\(category), \(s.name): \(RenderNumber.compact(v))")
                c.add(
                    """
                    <rect x=\"\(c.n(x))\" y=\"\(c.n(min(top, zero)))\" width=\"\(c.n(barWidth))\" \
                    height=\"\(c.n(abs(zero - top)))\"><title>\(hover)</title></rect>
                    """)
            }
            c.add("</g>")
        }
        c.add("<g class=\"x-axis\" font-size=\"\(c.n(ChartCanvas.tickFont))\" fill=\"#333\">")
        for (i, label) in shown.enumerated() {
            let x = c.left + (Double(i) + 0.5) * step
            let text = SVGText.escape(label)
            if rotate {
                c.add("<text transform=\"translate(\(c.n(x)),\(c.n(c.bottom + 14))) rotate(-35)\" text-anchor=\"end\">\(text)</text>")
            } else {
                c.add("<text x=\"\(c.n(x))\" y=\"\(c.n(c.bottom + 18))\" text-anchor=\"middle\">\(text)</text>")
            }
        }
        c.add("</g>")
        if yAxis.lo < 0 && yAxis.hi > 0 {
            c.add("<line x1=\"\(c.n(c.left))\" y1=\"\(c.n(zero))\" x2=\"\(c.n(c.right))\" y2=\"\(c.n(zero))\" stroke=\"#333\"/>")
        }
        c.drawAxisLines()
        c.drawLegend(names)
        return c.document()
    }

    /// The y axis of `values`: `yDomain` when given, else fitted with 0 included.
    func fittedYAxis(_ values: [Double]) -> ChartAxis {
        yDomain.map { ChartAxis.fixed($0) } ?? ChartAxis.linear(values, includeZero: true)
    }

    /// The chart as a Vega-Lite 5 spec: bars grouped by category (`xOffset` by series), the same
    /// y domain as the SVG, tooltips with category, series and value.
    public var vegaLite: JSON {
        let names = series.map(\.name)
        var rows: [JSON] = []
        for s in series {
            for (i, category) in categories.enumerated() where i < s.values.count && ChartAxis.usable(s.values[i], log: false) {
                rows.append(["category": .string(category), "series": .string(s.name), "value": VegaLite.number(s.values[i])])
            }
        }
        let values = series.flatMap { $0.values.prefix(categories.count) }
        let axis = fittedYAxis(values)
        let size = VegaLite.plotSize(width: width, height: height, legend: names.count > 1)
        let xTitle = VegaLite.title(xLabel)
        let encoding: [String: JSON] = [
            "x": [
                "field": "category", "type": "nominal", "sort": .array(categories.map { .string($0) }), "title": xTitle,
                "axis": ["labelAngle": categories.contains { $0.count > 8 } ? -35 : 0, "labelLimit": 160],
            ],
            "xOffset": ["field": "series", "type": "nominal", "sort": .array(names.map { .string($0) })],
            "y": [
                "field": "value", "type": "quantitative", "title": VegaLite.title(yLabel),
                "scale": ["domain": [VegaLite.number(axis.lo), VegaLite.number(axis.hi)], "nice": false, "zero": true],
            ],
            "color": VegaLite.color(field: "series", names: names),
            "tooltip": [
                ["field": "category", "type": "nominal", "title": xTitle == .null ? "category" : xTitle],
                ["field": "series", "type": "nominal", "title": "series"],
                ["field": "value", "type": "quantitative", "title": VegaLite.title(yLabel.isEmpty ? "value" : yLabel), "format": ".4~g"],
            ],
        ]
        return VegaLite.spec(
            title: title, width: size.width, height: size.height, rows: rows,
            body: ["mark": ["type": "bar"], "encoding": .object(encoding)])
    }

    /// A one-line description, e.g. "<BarChart: P@1, 4 categories, 2 series>".
    public var summary: String {
        "<BarChart: \(title), \(categories.count) categories, \(series.count) series>"
    }

    /// The display bundle: the Vega-Lite spec, the SVG and `summary` as text (see `chartBundle`).
    public var mimeBundle: [String: JSON] { chartBundle(svg: svg, vegaLite: vegaLite, summary: summary) }
}
