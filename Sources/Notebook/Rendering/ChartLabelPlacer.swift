/// Greedy placement of point labels: each label tries the right, left, top and bottom of its
/// point and takes the first spot whose box stays inside the plot and overlaps no label placed
/// before it; a label with no free spot is skipped.
///
/// Text boxes are estimated as 0.6 × fontSize per character wide and fontSize tall.
struct ChartLabelPlacer {
    /// An axis-aligned box in page coordinates.
    struct Box {
        var x0: Double, y0: Double, x1: Double, y1: Double
        func overlaps(_ o: Box) -> Bool { x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1 }
    }

    /// A placed label: the text baseline origin and its anchor.
    struct Placement {
        var x: Double
        var y: Double
        var anchor: String
    }

    let bounds: Box
    let fontSize: Double
    private(set) var placed: [Box] = []

    /// A placer for labels inside `bounds` at `fontSize`.
    init(bounds: Box, fontSize: Double) {
        self.bounds = bounds
        self.fontSize = fontSize
    }

    /// Places a label of `count` characters for the point at (`x`, `y`), or returns `nil`.
    mutating func place(count: Int, x: Double, y: Double) -> Placement? {
        let w = ChartCanvas.textWidth(count, fontSize: fontSize)
        let h = fontSize
        let gap = 6.0
        // (box, placement) candidates in preference order.
        let candidates: [(Box, Placement)] = [
            (
                Box(x0: x + gap, y0: y - h / 2, x1: x + gap + w, y1: y + h / 2),
                Placement(x: x + gap, y: y + h * 0.35, anchor: "start")
            ),
            (
                Box(x0: x - gap - w, y0: y - h / 2, x1: x - gap, y1: y + h / 2),
                Placement(x: x - gap, y: y + h * 0.35, anchor: "end")
            ),
            (
                Box(x0: x - w / 2, y0: y - gap - h, x1: x + w / 2, y1: y - gap),
                Placement(x: x, y: y - gap - h * 0.15, anchor: "middle")
            ),
            (
                Box(x0: x - w / 2, y0: y + gap, x1: x + w / 2, y1: y + gap + h),
                Placement(x: x, y: y + gap + h * 0.85, anchor: "middle")
            ),
        ]
        for (box, placement) in candidates {
            guard box.x0 >= bounds.x0, box.x1 <= bounds.x1, box.y0 >= bounds.y0, box.y1 <= bounds.y1 else { continue }
            if placed.contains(where: { $0.overlaps(box) }) { continue }
            placed.append(box)
            return placement
        }
        return nil
    }
}
