#if canImport(Jupyter)
import Jupyter
#endif

/// A line chart: one polyline with point markers per series, on linear or log axes.
///
/// Points are connected in the order given; points that cannot be drawn (non-finite, or
/// non-positive on a log axis) are left out and the line joins their neighbours. The SVG is
/// deterministic: the same chart always renders to the same bytes.
public struct LineChart: Sendable {
    /// The title drawn above the plot (omitted when empty).
    public var title: String
    /// The x-axis title (omitted when empty).
    public var xLabel: String
    /// The y-axis title (omitted when empty).
    public var yLabel: String
    /// The series, coloured by index from the palette.
    public var series: [ChartSeries]
    /// The page width in pixels (at least 200 is used).
    public var width: Int
    /// The page height in pixels (at least 150 is used).
    public var height: Int
    /// Whether the x axis is logarithmic (decade ticks).
    public var logX: Bool
    /// Whether the y axis is logarithmic (decade ticks).
    public var logY: Bool
    /// Whether a linear y axis starts at (or includes) 0, e.g. throughput.
    public var yZero: Bool
    /// A fixed y axis (e.g. `BarChart.percent`), or `nil` to fit the data.
    public var yDomain: ClosedRange<Double>?

    /// Creates a line chart.
    public init(
        title: String, xLabel: String = "", yLabel: String = "", series: [ChartSeries],
        width: Int = 640, height: Int = 480, logX: Bool = false, logY: Bool = false, yZero: Bool = false,
        yDomain: ClosedRange<Double>? = nil
    ) {
        self.yZero = yZero
        self.yDomain = yDomain
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.width = width
        self.height = height
        self.logX = logX
        self.logY = logY
    }

    /// The chart as a standalone SVG document.
    public var svg: String {
        var layout = XYChartLayout(
            title: title, xLabel: xLabel, yLabel: yLabel, series: series,
            width: width, height: height, logX: logX, logY: logY, yZero: yZero, yDomain: yDomain)
        let c = layout.canvas
        for (i, s) in series.enumerated() {
            let color = ChartPalette.color(i)
            var drawn: [(x: Double, y: Double, hover: String)] = []
            for point in s.points {
                guard let (x, y) = layout.position(point) else { continue }
                drawn.append((x, y, s.hoverText(for: point)))
            }
            layout.canvas.add("<g class=\"series\" fill=\"\(color)\" stroke=\"\(color)\">")
            if drawn.count > 1 {
                let points = drawn.map { "\(c.n($0.x)),\(c.n($0.y))" }.joined(separator: " ")
                layout.canvas.add("<polyline fill=\"none\" stroke-width=\"2\" stroke-linejoin=\"round\" points=\"\(points)\"/>")
            }
            for p in drawn {
                layout.canvas.add(
                    """
                    <circle cx=\"\(c.n(p.x))\" cy=\"\(c.n(p.y))\" r=\"3\" stroke=\"white\" \
                    stroke-width=\"0.5\"><title>\(SVGText.escape(p.hover))</title></circle>
                    """)
            }
            layout.canvas.add("</g>")
        }
        return layout.finish(legend: series.map(\.name))
    }

    /// Whether an x axis over `values` should be logarithmic: positive data spanning more than
    /// two decades (64…1024 stays linear).
    public static func prefersLogScale(_ values: [Double]) -> Bool { ChartAxis.prefersLog(values) }

    /// The chart as a Vega-Lite 5 spec: lines with point markers in the given order, the same
    /// axes as the SVG, tooltips (series, x, y, and the point's hover text), zoom and pan.
    public var vegaLite: JSON {
        var rows: [JSON] = []
        for s in series {
            for (i, point) in s.points.enumerated()
            where ChartAxis.usable(point.x, log: logX) && ChartAxis.usable(point.y, log: logY) {
                var row: [String: JSON] = [
                    "series": .string(s.name), "order": .int(i), "x": VegaLite.number(point.x), "y": VegaLite.number(point.y),
                ]
                if let hover = point.hover { row["note"] = .string(hover) }
                rows.append(.object(row))
            }
        }
        let (xAxis, yAxis) = XYChartLayout.axes(series: series, logX: logX, logY: logY, yZero: yZero, yDomain: yDomain)
        func scale(_ axis: ChartAxis) -> JSON {
            axis.isLog
                ? [
                    "type": "log",
                    "domain": [VegaLite.number(RenderMath.pow10(Int(axis.lo))), VegaLite.number(RenderMath.pow10(Int(axis.hi)))],
                ]
                : ["domain": [VegaLite.number(axis.lo), VegaLite.number(axis.hi)], "nice": false, "zero": false]
        }
        let names = series.map(\.name)
        var tooltip: [JSON] = [
            ["field": "series", "type": "nominal", "title": "series"],
            ["field": "x", "type": "quantitative", "title": VegaLite.title(xLabel.isEmpty ? "x" : xLabel), "format": ".6~g"],
            ["field": "y", "type": "quantitative", "title": VegaLite.title(yLabel.isEmpty ? "y" : yLabel), "format": ".4~g"],
        ]
        if series.contains(where: { $0.points.contains { $0.hover != nil } }) {
            tooltip.append(["field": "note", "type": "nominal", "title": "point"])
        }
        let size = VegaLite.plotSize(width: width, height: height, legend: names.count > 1)
        let encoding: [String: JSON] = [
            "x": ["field": "x", "type": "quantitative", "title": VegaLite.title(xLabel), "scale": scale(xAxis)],
            "y": ["field": "y", "type": "quantitative", "title": VegaLite.title(yLabel), "scale": scale(yAxis)],
            "order": ["field": "order", "type": "quantitative"],
            "color": VegaLite.color(field: "series", names: names),
            "tooltip": .array(tooltip),
        ]
        return VegaLite.spec(
            title: title, width: size.width, height: size.height, rows: rows,
            body: [
                "mark": ["type": "line", "point": true, "clip": true], "encoding": .object(encoding), "params": [VegaLite.zoom],
            ])
    }

    /// A one-line description, e.g. "<LineChart: loss, 2 series, 12 points>".
    public var summary: String {
        "<LineChart: \(title), \(series.count) series, \(series.reduce(0) { $0 + $1.points.count }) points>"
    }

    /// The display bundle: the Vega-Lite spec, the SVG and `summary` as text (see `chartBundle`).
    public var mimeBundle: [String: JSON] { chartBundle(svg: svg, vegaLite: vegaLite, summary: summary) }
}
