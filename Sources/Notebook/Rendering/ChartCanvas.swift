/// The shared layout and SVG writer of all charts: a white page, a title, a plot rectangle
/// with axes, and an optional legend in the right margin.
///
/// Invariants: the page is at least 200×150; the plot rectangle is at least 40×40 (it may then
/// overflow a tiny page, but never inverts); every number written goes through
/// `RenderNumber.coordinate`, so no attribute can contain "nan" or "inf".
struct ChartCanvas {
    static let tickFont = 11.0
    static let labelFont = 12.0
    static let titleFont = 16.0
    /// Estimated width of `count` characters at `fontSize` (0.6 em per character).
    static func textWidth(_ count: Int, fontSize: Double) -> Double { 0.6 * fontSize * Double(count) }

    let width: Double
    let height: Double
    let left: Double
    let top: Double
    let right: Double
    let bottom: Double
    private var elements: [String] = []

    /// Lays out a page of `width`×`height` whose y ticks read `yTickLabels`, with a legend when
    /// `legendNames` has more than one entry and `bottomExtra` more room under the x axis.
    init(width: Int, height: Int, title: String, yTickLabels: [String], legendNames: [String], bottomExtra: Double = 0) {
        self.width = Double(max(width, 200))
        self.height = Double(max(height, 150))
        let tickWidth = ChartCanvas.textWidth(yTickLabels.map(\.count).max() ?? 1, fontSize: ChartCanvas.tickFont)
        let legendWidth =
            legendNames.count > 1
            ? ChartCanvas.textWidth(min(legendNames.map { $0.count }.max() ?? 0, 24), fontSize: ChartCanvas.labelFont) + 36
            : 0
        left = max(50, 34 + tickWidth + 8)
        top = title.isEmpty ? 16 : 40
        right = max(self.width - 20 - legendWidth, left + 40)
        bottom = max(self.height - 48 - bottomExtra, top + 40)
    }

    /// Formats a coordinate (at most two decimals, never NaN).
    func n(_ v: Double) -> String { RenderNumber.coordinate(v) }

    /// The page x of a fraction 0...1 along the plot's width.
    func px(_ f: Double) -> Double { left + f * (right - left) }

    /// The page y of a fraction 0...1 up the plot's height.
    func py(_ f: Double) -> Double { bottom - f * (bottom - top) }

    /// Appends one raw SVG element (already escaped).
    mutating func add(_ element: String) { elements.append(element) }

    /// Draws the centred title.
    mutating func drawTitle(_ title: String) {
        guard !title.isEmpty else { return }
        add(
            """
            <text x=\"\(n(width / 2))\" y=\"26\" text-anchor=\"middle\" font-size=\"\(n(ChartCanvas.titleFont))\" \
            font-weight=\"bold\">\(SVGText.escape(ChartCanvas.plainTitle(title)))</text>
            """)
    }

    /// Draws horizontal grid lines, tick marks and labels of the y axis, and its title.
    mutating func drawYAxis(_ axis: ChartAxis, label: String) {
        add("<g class=\"y-axis\" font-size=\"\(n(ChartCanvas.tickFont))\" fill=\"#333\">")
        for tick in axis.ticks {
            let f = (tick.position - axis.lo) / (axis.hi - axis.lo)
            guard f.isFinite else { continue }
            let y = py(f)
            add("<line x1=\"\(n(left))\" y1=\"\(n(y))\" x2=\"\(n(right))\" y2=\"\(n(y))\" stroke=\"#e6e6e6\"/>")
            add("<line x1=\"\(n(left - 5))\" y1=\"\(n(y))\" x2=\"\(n(left))\" y2=\"\(n(y))\" stroke=\"#333\"/>")
            add("<text x=\"\(n(left - 8))\" y=\"\(n(y + 4))\" text-anchor=\"end\">\(SVGText.escape(tick.label))</text>")
        }
        add("</g>")
        drawYLabel(label)
    }

    /// Draws the rotated y-axis title.
    mutating func drawYLabel(_ label: String) {
        guard !label.isEmpty else { return }
        let mid = (top + bottom) / 2
        add(
            """
            <text transform=\"translate(18,\(n(mid))) rotate(-90)\" text-anchor=\"middle\" \
            font-size=\"\(n(ChartCanvas.labelFont))\">\(SVGText.escape(label))</text>
            """)
    }

    /// Draws vertical grid lines, tick marks and labels of the x axis, and its title.
    mutating func drawXAxis(_ axis: ChartAxis, label: String) {
        add("<g class=\"x-axis\" font-size=\"\(n(ChartCanvas.tickFont))\" fill=\"#333\">")
        for tick in axis.ticks {
            let f = (tick.position - axis.lo) / (axis.hi - axis.lo)
            guard f.isFinite else { continue }
            let x = px(f)
            add("<line x1=\"\(n(x))\" y1=\"\(n(top))\" x2=\"\(n(x))\" y2=\"\(n(bottom))\" stroke=\"#e6e6e6\"/>")
            add("<line x1=\"\(n(x))\" y1=\"\(n(bottom))\" x2=\"\(n(x))\" y2=\"\(n(bottom + 5))\" stroke=\"#333\"/>")
            add("<text x=\"\(n(x))\" y=\"\(n(bottom + 18))\" text-anchor=\"middle\">\(SVGText.escape(tick.label))</text>")
        }
        add("</g>")
        drawXLabel(label)
    }

    /// Draws the x-axis title centred under the plot.
    mutating func drawXLabel(_ label: String) {
        guard !label.isEmpty else { return }
        add(
            """
            <text x=\"\(n((left + right) / 2))\" y=\"\(n(height - 12))\" text-anchor=\"middle\" \
            font-size=\"\(n(ChartCanvas.labelFont))\">\(SVGText.escape(label))</text>
            """)
    }

    /// Draws the left and bottom axis lines (after the data, so they stay on top).
    mutating func drawAxisLines() {
        add("<line x1=\"\(n(left))\" y1=\"\(n(bottom))\" x2=\"\(n(right))\" y2=\"\(n(bottom))\" stroke=\"#333\"/>")
        add("<line x1=\"\(n(left))\" y1=\"\(n(top))\" x2=\"\(n(left))\" y2=\"\(n(bottom))\" stroke=\"#333\"/>")
    }

    /// Draws a legend (swatch + name per series) in the right margin when there is more than
    /// one series; names longer than 24 characters are shortened with an ellipsis.
    mutating func drawLegend(_ names: [String]) {
        guard names.count > 1 else { return }
        add("<g class=\"legend\" font-size=\"\(n(ChartCanvas.labelFont))\" fill=\"#333\">")
        for (i, name) in names.enumerated() {
            let y = top + 4 + Double(i) * 18
            add("<rect x=\"\(n(right + 14))\" y=\"\(n(y))\" width=\"12\" height=\"12\" fill=\"\(ChartPalette.color(i))\"/>")
            add("<text x=\"\(n(right + 32))\" y=\"\(n(y + 10))\">\(SVGText.escape(ChartCanvas.shorten(name, to: 24)))</text>")
        }
        add("</g>")
    }

    /// A title as plain text: Markdown code backticks (`name`) removed, since a chart title is not
    /// Markdown.
    static func plainTitle(_ s: String) -> String { String(s.filter { $0 != "`" }) }

    /// `s` cut to `limit` characters, the last replaced by an ellipsis when cut.
    static func shorten(_ s: String, to limit: Int) -> String {
        s.count <= limit ? s : String(s.prefix(max(0, limit - 1))) + "…"
    }

    /// The complete standalone SVG document, ending with a newline.
    func document() -> String {
        var out =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(width))\" height=\"\(n(height))\" "
            + "viewBox=\"0 0 \(n(width)) \(n(height))\" font-family=\"sans-serif\">\n"
        out += "<rect x=\"0\" y=\"0\" width=\"\(n(width))\" height=\"\(n(height))\" fill=\"white\"/>\n"
        for element in elements { out += element + "\n" }
        out += "</svg>\n"
        return out
    }
}
