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

    /// Creates a line chart.
    public init(
        title: String, xLabel: String = "", yLabel: String = "", series: [ChartSeries],
        width: Int = 640, height: Int = 480, logX: Bool = false, logY: Bool = false
    ) {
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
            width: width, height: height, logX: logX, logY: logY)
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

    /// A one-line description, e.g. "<LineChart: loss, 2 series, 12 points>".
    public var summary: String {
        "<LineChart: \(title), \(series.count) series, \(series.reduce(0) { $0 + $1.points.count }) points>"
    }

    /// The display bundle: the SVG plus `summary` as text (see `chartBundle`).
    public var mimeBundle: [String: JSON] { chartBundle(svg: svg, summary: summary) }
}
