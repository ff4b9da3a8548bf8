/// One series of a grouped bar chart: `values[i]` is the bar for category `i`.
///
/// Values beyond the chart's category count are ignored; missing or non-finite values draw
/// no bar.
public struct BarSeries: Sendable {
    /// The name shown in the legend and in hover texts.
    public var name: String
    /// One value per category, in category order.
    public var values: [Double]

    /// Creates a bar series.
    public init(name: String, values: [Double]) {
        self.name = name
        self.values = values
    }
}
