/// One data point of a scatter or line chart.
///
/// Points with a non-finite coordinate (or a non-positive one on a log axis) are skipped when
/// drawn, never rendered as NaN.
public struct ChartPoint: Sendable {
    /// The horizontal data coordinate.
    public var x: Double
    /// The vertical data coordinate.
    public var y: Double
    /// Optional text drawn next to the point (scatter charts), subject to overlap avoidance.
    public var label: String?
    /// Optional hover text; defaults to "series: (x, y)" (with the label, if any, before the pair).
    public var hover: String?

    /// Creates a point.
    public init(x: Double, y: Double, label: String? = nil, hover: String? = nil) {
        self.x = x
        self.y = y
        self.label = label
        self.hover = hover
    }
}
