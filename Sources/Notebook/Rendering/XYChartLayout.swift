/// The common frame of scatter and line charts: axes fitted to every drawable point, a canvas
/// with title, grid, ticks and axis titles already drawn, and a mapper from data to page.
struct XYChartLayout {
    /// The canvas with the frame drawn; data goes on top, then `finish` adds axes and legend.
    var canvas: ChartCanvas
    let xAxis: ChartAxis
    let yAxis: ChartAxis

    /// Fits axes to the points of `series` and draws the frame.
    init(
        title: String, xLabel: String, yLabel: String, series: [ChartSeries],
        width: Int, height: Int, logX: Bool = false, logY: Bool = false, yZero: Bool = false,
        yDomain: ClosedRange<Double>? = nil
    ) {
        (xAxis, yAxis) = Self.axes(series: series, logX: logX, logY: logY, yZero: yZero, yDomain: yDomain)
        canvas = ChartCanvas(
            width: width, height: height, title: title,
            yTickLabels: yAxis.ticks.map(\.label), legendNames: series.map(\.name))
        canvas.drawTitle(title)
        canvas.drawYAxis(yAxis, label: yLabel)
        canvas.drawXAxis(xAxis, label: xLabel)
    }

    /// The axes fitted to the drawable points of `series`: log or linear x; y fixed to `yDomain`,
    /// log, or linear (with 0 when `yZero`). Non-negative data never gets a negative range.
    static func axes(
        series: [ChartSeries], logX: Bool, logY: Bool, yZero: Bool, yDomain: ClosedRange<Double>?
    ) -> (x: ChartAxis, y: ChartAxis) {
        let points = series.flatMap(\.points).filter {
            ChartAxis.usable($0.x, log: logX) && ChartAxis.usable($0.y, log: logY)
        }
        let x = logX ? ChartAxis.logarithmic(points.map(\.x)) : ChartAxis.linear(points.map(\.x))
        let y: ChartAxis
        if let yDomain {
            y = ChartAxis.fixed(yDomain)
        } else {
            y = logY ? ChartAxis.logarithmic(points.map(\.y)) : ChartAxis.linear(points.map(\.y), includeZero: yZero)
        }
        return (x, y)
    }

    /// The page position of `point`, or `nil` when it cannot be drawn on these axes.
    func position(_ point: ChartPoint) -> (x: Double, y: Double)? {
        guard let fx = xAxis.fraction(point.x), let fy = yAxis.fraction(point.y) else { return nil }
        return (canvas.px(fx), canvas.py(fy))
    }

    /// Draws the axis lines and legend and returns the finished SVG document.
    mutating func finish(legend names: [String]) -> String {
        canvas.drawAxisLines()
        canvas.drawLegend(names)
        return canvas.document()
    }
}
