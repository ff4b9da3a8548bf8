/// A named sequence of points; the series' index in its chart picks its palette colour.
public struct ChartSeries: Sendable {
    /// The name shown in the legend and in default hover texts.
    public var name: String
    /// The points, drawn in this order (line charts connect them in this order).
    public var points: [ChartPoint]

    /// Creates a series.
    public init(name: String, points: [ChartPoint]) {
        self.name = name
        self.points = points
    }

    /// The default hover text of `point`: "name: (x, y)", or "name: label (x, y)" when labelled.
    func hoverText(for point: ChartPoint) -> String {
        if let hover = point.hover { return hover }
        let pair = "(\(RenderNumber.compact(point.x)), \(RenderNumber.compact(point.y)))"
        if let label = point.label { return "\(name): \(label) \(pair)" }
        return "\(name): \(pair)"
    }
}
