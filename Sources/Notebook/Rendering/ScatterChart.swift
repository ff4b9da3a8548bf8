#if canImport(Jupyter)
import Jupyter
#endif

/// A scatter plot of one or more point series, with optional per-point text labels.
///
/// Labels are placed greedily without overlapping each other (see `ChartLabelPlacer`); points
/// with non-finite coordinates are skipped. The SVG is deterministic: the same chart always
/// renders to the same bytes.
public struct ScatterChart: Sendable {
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

    /// Creates a scatter chart.
    public init(
        title: String, xLabel: String = "", yLabel: String = "", series: [ChartSeries],
        width: Int = 640, height: Int = 480
    ) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.width = width
        self.height = height
    }

    /// The chart as a standalone SVG document.
    public var svg: String {
        var layout = XYChartLayout(
            title: title, xLabel: xLabel, yLabel: yLabel, series: series,
            width: width, height: height)
        let c = layout.canvas
        var placer = ChartLabelPlacer(
            bounds: .init(x0: c.left, y0: c.top, x1: c.right, y1: c.bottom), fontSize: 11)
        var labels: [String] = []
        for (i, s) in series.enumerated() {
            layout.canvas.add("<g class=\"series\" fill=\"\(ChartPalette.color(i))\">")
            for point in s.points {
                guard let (x, y) = layout.position(point) else { continue }
                let hover = SVGText.escape(s.hoverText(for: point))
                layout.canvas.add(
                    """
                    <circle cx=\"\(c.n(x))\" cy=\"\(c.n(y))\" r=\"4\" fill-opacity=\"0.85\" stroke=\"white\" \
                    stroke-width=\"0.5\"><title>\(hover)</title></circle>
                    """)
                guard let label = point.label, !label.isEmpty,
                    let spot = placer.place(count: label.count, x: x, y: y)
                else { continue }
                labels.append(
                    """
                    <text x=\"\(c.n(spot.x))\" y=\"\(c.n(spot.y))\" text-anchor=\"\(spot.anchor)\">\(SVGText.escape(label))</text>
                    """)
            }
            layout.canvas.add("</g>")
        }
        if !labels.isEmpty {
            layout.canvas.add("<g class=\"labels\" font-size=\"11\" fill=\"#333\">")
            for label in labels { layout.canvas.add(label) }
            layout.canvas.add("</g>")
        }
        return layout.finish(legend: series.map(\.name))
    }

    /// The chart as a Vega-Lite 5 spec: one point layer coloured by series with tooltips, and a
    /// text layer with the labels that found a spot in the SVG (so both show the same labels);
    /// zoom and pan.
    public var vegaLite: JSON {
        let layout = XYChartLayout(
            title: title, xLabel: xLabel, yLabel: yLabel, series: series, width: width, height: height)
        let c = layout.canvas
        var placer = ChartLabelPlacer(bounds: .init(x0: c.left, y0: c.top, x1: c.right, y1: c.bottom), fontSize: 11)
        var rows: [JSON] = []
        for s in series {
            for point in s.points {
                guard let (x, y) = layout.position(point) else { continue }
                var row: [String: JSON] = [
                    "series": .string(s.name), "x": VegaLite.number(point.x), "y": VegaLite.number(point.y),
                    "hover": .string(s.hoverText(for: point)),
                ]
                if let label = point.label, !label.isEmpty, placer.place(count: label.count, x: x, y: y) != nil {
                    row["label"] = .string(label)
                }
                rows.append(.object(row))
            }
        }
        let names = series.map(\.name)
        let size = VegaLite.plotSize(width: width, height: height, legend: names.count > 1)
        func scale(_ axis: ChartAxis) -> JSON {
            ["domain": [VegaLite.number(axis.lo), VegaLite.number(axis.hi)], "nice": false, "zero": false]
        }
        let position: [String: JSON] = [
            "x": ["field": "x", "type": "quantitative", "title": VegaLite.title(xLabel), "scale": scale(layout.xAxis)],
            "y": ["field": "y", "type": "quantitative", "title": VegaLite.title(yLabel), "scale": scale(layout.yAxis)],
        ]
        var points = position
        points["color"] = VegaLite.color(field: "series", names: names)
        points["tooltip"] = [["field": "hover", "type": "nominal", "title": "point"]]
        var labels = position
        labels["text"] = ["field": "label", "type": "nominal"]
        return VegaLite.spec(
            title: title, width: size.width, height: size.height, rows: rows,
            body: [
                "layer": [
                    [
                        "mark": ["type": "circle", "size": 50, "opacity": 0.85, "clip": true], "encoding": .object(points),
                        "params": [VegaLite.zoom],
                    ],
                    [
                        "transform": [["filter": "isValid(datum.label)"]],
                        "mark": ["type": "text", "align": "left", "dx": 6, "fontSize": 11, "color": "#333", "clip": true],
                        "encoding": .object(labels),
                    ],
                ]
            ])
    }

    /// A one-line description, e.g. "<ScatterChart: title, 2 series, 12 points>".
    public var summary: String {
        "<ScatterChart: \(title), \(series.count) series, \(series.reduce(0) { $0 + $1.points.count }) points>"
    }

    /// The display bundle: the Vega-Lite spec, the SVG and `summary` as text (see `chartBundle`).
    public var mimeBundle: [String: JSON] { chartBundle(svg: svg, vegaLite: vegaLite, summary: summary) }
}
