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

    /// A one-line description, e.g. "<ScatterChart: title, 2 series, 12 points>".
    public var summary: String {
        "<ScatterChart: \(title), \(series.count) series, \(series.reduce(0) { $0 + $1.points.count }) points>"
    }

    /// The display bundle: the SVG plus `summary` as text (see `chartBundle`).
    public var mimeBundle: [String: JSON] { chartBundle(svg: svg, summary: summary) }
}
