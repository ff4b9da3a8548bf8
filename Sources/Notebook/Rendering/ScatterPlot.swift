#if canImport(Jupyter)
import Jupyter
#endif

/// A picture of words in a 2-d map (t-SNE and the like): one dot per word, one palette colour
/// per group (language) with a legend, a hover `<title>word (group)</title>` on every dot (a
/// tooltip with word, language and frequency rank, plus zoom and pan, in the Vega-Lite twin), and
/// visible labels for the chosen words, placed greedily so that no two overlap.
///
/// Unlike `ScatterChart` it draws no axes — map coordinates carry no units — and keeps one
/// scale for x and y, so distances look the same in every direction. Labels are placed in
/// the order of `labelled` across all groups (the caller's priority, e.g. frequency), by the
/// same `ChartLabelPlacer` as the other charts; a label with no free spot is left out.
///
/// Invariants: points with a non-finite coordinate are skipped (never drawn as NaN); group
/// indices outside `groups` are skipped; the SVG is deterministic — the same plot always
/// renders to the same bytes.
public struct ScatterPlot: Sendable {
    /// One word of the map.
    public struct Point: Sendable {
        /// The horizontal map coordinate.
        public var x: Double
        /// The vertical map coordinate (up is up on the page).
        public var y: Double
        /// The word: the hover title and, when labelled, the visible label.
        public var text: String
        /// The index into `groups` (the palette colour and the legend entry).
        public var group: Int
        /// The word's frequency rank in its language (1 = most frequent), shown on hover.
        public var rank: Int?

        /// Creates a point.
        public init(x: Double, y: Double, text: String, group: Int, rank: Int? = nil) {
            self.x = x
            self.y = y
            self.text = text
            self.group = group
            self.rank = rank
        }
    }

    /// The title drawn above the map (omitted when empty).
    public var title: String
    /// The group names (languages) in palette order; the legend lists them when there are two or more.
    public var groups: [String]
    /// The points, drawn group by group in this order.
    public var points: [Point]
    /// Indices into `points` that get a visible label, highest priority first.
    public var labelled: [Int]
    /// The page width in pixels (at least 200 is used).
    public var width: Int
    /// The page height in pixels (at least 150 is used).
    public var height: Int

    /// Creates a map of `points` in `groups`, labelling `labelled` (in that priority).
    public init(
        title: String, groups: [String], points: [Point], labelled: [Int],
        width: Int = 720, height: Int = 560
    ) {
        self.title = title
        self.groups = groups
        self.points = points
        self.labelled = labelled
        self.width = width
        self.height = height
    }

    /// The font size of the word labels.
    static let labelFont = 11.0
    /// The dot radius in pixels.
    static let radius = 3.5

    /// The rendering and, for tests, where each visible label went.
    struct Rendering {
        /// The standalone SVG document.
        var svg: String
        /// For each visible label: the point index and the box the placer reserved for it.
        var labels: [(point: Int, box: ChartLabelPlacer.Box)]
        /// The same map as a Vega-Lite 5 spec (see `ScatterPlot.vegaLite(frame:canvas:labels:)`).
        var vegaLite: JSON
    }

    /// The map as a standalone SVG document.
    public var svg: String { render().svg }

    /// Lays out and draws the map.
    func render() -> Rendering {
        var canvas = ChartCanvas(width: width, height: height, title: title, yTickLabels: [], legendNames: groups)
        canvas.drawTitle(title)
        canvas.add(
            """
            <rect class=\"frame\" x=\"\(canvas.n(canvas.left))\" y=\"\(canvas.n(canvas.top))\" \
            width=\"\(canvas.n(canvas.right - canvas.left))\" height=\"\(canvas.n(canvas.bottom - canvas.top))\" fill=\"none\" \
            stroke=\"#cccccc\"/>
            """)
        let page = ScatterPlotFrame(points: points, canvas: canvas, margin: Self.radius + 2)
        let drawable = points.indices.filter { groups.indices.contains(points[$0].group) && page.position(points[$0]) != nil }
        for group in groups.indices {
            let members = drawable.filter { points[$0].group == group }
            guard !members.isEmpty else { continue }
            canvas.add("<g class=\"group\" fill=\"\(ChartPalette.color(group))\">")
            for i in members {
                guard let (x, y) = page.position(points[i]) else { continue }
                let hover = SVGText.escape("\(points[i].text) (\(groups[group]))")
                canvas.add(
                    """
                    <circle cx=\"\(canvas.n(x))\" cy=\"\(canvas.n(y))\" r=\"\(canvas.n(Self.radius))\" fill-opacity=\"0.8\" \
                    stroke=\"white\" stroke-width=\"0.5\"><title>\(hover)</title></circle>
                    """)
            }
            canvas.add("</g>")
        }
        var placer = ChartLabelPlacer(
            bounds: .init(x0: canvas.left, y0: canvas.top, x1: canvas.right, y1: canvas.bottom),
            fontSize: Self.labelFont)
        var placed: [(point: Int, box: ChartLabelPlacer.Box)] = []
        var texts: [String] = []
        var seen = Set<Int>()
        for i in labelled where points.indices.contains(i) && seen.insert(i).inserted {
            let point = points[i]
            guard !point.text.isEmpty, groups.indices.contains(point.group), let (x, y) = page.position(point),
                let spot = placer.place(count: point.text.count, x: x, y: y), let box = placer.placed.last
            else { continue }
            placed.append((i, box))
            texts.append(
                """
                <text x=\"\(canvas.n(spot.x))\" y=\"\(canvas.n(spot.y))\" text-anchor=\"\(spot.anchor)\" \
                fill=\"\(ChartPalette.color(point.group))\">\(SVGText.escape(point.text))</text>
                """)
        }
        if !texts.isEmpty {
            canvas.add(
                """
                <g class=\"labels\" font-size=\"\(canvas.n(Self.labelFont))\" stroke=\"white\" stroke-width=\"2.5\" \
                paint-order=\"stroke\">
                """)
            for text in texts { canvas.add(text) }
            canvas.add("</g>")
        }
        canvas.drawLegend(groups)
        let spec = vegaLite(frame: page, canvas: canvas, drawable: drawable, labelled: Set(placed.map(\.point)))
        return Rendering(svg: canvas.document(), labels: placed, vegaLite: spec)
    }

    /// The map as a Vega-Lite 5 spec: one circle per drawable point coloured by group, with a
    /// tooltip (word, language, frequency rank); the labels the SVG shows as a text layer; no axes;
    /// the same data window and one scale for x and y as the SVG; zoom and pan (an interval
    /// selection bound to the scales: drag to pan, wheel to zoom, double-click to reset).
    func vegaLite(frame: ScatterPlotFrame, canvas: ChartCanvas, drawable: [Int], labelled: Set<Int>) -> JSON {
        let rows: [JSON] = drawable.map { i in
            let p = points[i]
            var row: [String: JSON] = [
                "x": VegaLite.number(p.x), "y": VegaLite.number(p.y), "word": .string(p.text), "language": .string(groups[p.group]),
            ]
            if let rank = p.rank { row["rank"] = .int(rank) }
            if labelled.contains(i) { row["label"] = .string(p.text) }
            return .object(row)
        }
        let xDomain = [frame.dataX(canvas.left), frame.dataX(canvas.right)].map(VegaLite.number)
        let yDomain = [frame.dataY(canvas.bottom), frame.dataY(canvas.top)].map(VegaLite.number)
        let position: [String: JSON] = [
            "x": [
                "field": "x", "type": "quantitative", "axis": .null, "scale": ["domain": .array(xDomain), "nice": false, "zero": false],
            ],
            "y": [
                "field": "y", "type": "quantitative", "axis": .null, "scale": ["domain": .array(yDomain), "nice": false, "zero": false],
            ],
        ]
        var dots = position
        dots["color"] = VegaLite.color(field: "language", names: groups, title: "language")
        var tooltip: [JSON] = [
            ["field": "word", "type": "nominal", "title": "word"], ["field": "language", "type": "nominal", "title": "language"],
        ]
        if points.contains(where: { $0.rank != nil }) {
            tooltip.append(["field": "rank", "type": "quantitative", "title": "frequency rank"])
        }
        dots["tooltip"] = .array(tooltip)
        var texts = position
        texts["text"] = ["field": "label", "type": "nominal"]
        texts["color"] = VegaLite.color(field: "language", names: groups, title: "language")
        return VegaLite.spec(
            title: title, width: canvas.right - canvas.left, height: canvas.bottom - canvas.top, rows: rows,
            body: [
                "layer": [
                    [
                        "mark": ["type": "circle", "size": 45, "opacity": 0.8, "stroke": "white", "strokeWidth": 0.5, "clip": true],
                        "encoding": .object(dots), "params": [VegaLite.zoom],
                    ],
                    [
                        "transform": [["filter": "isValid(datum.label)"]],
                        "mark": [
                            "type": "text", "align": "left", "dx": 6, "fontSize": .double(Self.labelFont), "clip": true,
                        ],
                        "encoding": .object(texts),
                    ],
                ]
            ])
    }

    /// A one-line description, e.g. "<ScatterPlot: title, 2 groups, 500 points, 28 of 30 labels shown>".
    public var summary: String { summary(shownLabels: render().labels.count) }

    /// The summary line given how many labels found a spot.
    func summary(shownLabels: Int) -> String {
        """
        <ScatterPlot: \(title), \(groups.count) group\(groups.count == 1 ? "" : "s"), \(points.count) points, \(shownLabels) of \
        \(labelled.count) labels shown>
        """
    }

    /// The display bundle: the Vega-Lite spec, the SVG and `summary` as text (see `chartBundle`),
    /// rendered once.
    public var mimeBundle: [String: JSON] {
        let rendering = render()
        return chartBundle(svg: rendering.svg, vegaLite: rendering.vegaLite, summary: summary(shownLabels: rendering.labels.count))
    }
}
