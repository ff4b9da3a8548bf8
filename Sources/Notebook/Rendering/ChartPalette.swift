/// The fixed colour-blind-friendly palette (Tableau 10) assigned to series by index.
enum ChartPalette {
    /// The ten colours, in assignment order.
    static let colors = [
        "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
        "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
    ]

    /// The colour of series `index`; the palette repeats after ten series.
    static func color(_ index: Int) -> String {
        colors[((index % colors.count) + colors.count) % colors.count]
    }
}
