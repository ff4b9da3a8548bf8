/// The page mapping of a `ScatterPlot`: one scale for both axes (so map distances are not
/// stretched), the points' bounding box centred in the plot rectangle, `margin` pixels kept
/// free at every edge.
///
/// Invariants: the scale is finite and positive; with no drawable point, or all points at one
/// spot, the points land in the centre.
struct ScatterPlotFrame {
    let centerX: Double
    let centerY: Double
    let scale: Double
    let pageX: Double
    let pageY: Double

    /// Fits the finite points of `points` into `canvas`'s plot rectangle.
    init(points: [ScatterPlot.Point], canvas: ChartCanvas, margin: Double) {
        let finite = points.filter { Self.usable($0) }
        let xs = finite.map(\.x), ys = finite.map(\.y)
        let (x0, x1) = (xs.min() ?? 0, xs.max() ?? 0)
        let (y0, y1) = (ys.min() ?? 0, ys.max() ?? 0)
        centerX = (x0 + x1) / 2
        centerY = (y0 + y1) / 2
        pageX = (canvas.left + canvas.right) / 2
        pageY = (canvas.top + canvas.bottom) / 2
        let roomX = max(canvas.right - canvas.left - 2 * margin, 1)
        let roomY = max(canvas.bottom - canvas.top - 2 * margin, 1)
        let candidates = [x1 > x0 ? roomX / (x1 - x0) : nil, y1 > y0 ? roomY / (y1 - y0) : nil].compactMap { $0 }
        let fitted = candidates.min() ?? 1
        scale = fitted.isFinite && fitted > 0 ? fitted : 1
    }

    /// Whether `point` can be drawn: both coordinates finite and not absurdly large.
    static func usable(_ point: ScatterPlot.Point) -> Bool {
        point.x.isFinite && point.y.isFinite && abs(point.x) < 1e300 && abs(point.y) < 1e300
    }

    /// The page position of `point` (y grows downwards on the page), or nil when not drawable.
    func position(_ point: ScatterPlot.Point) -> (x: Double, y: Double)? {
        guard Self.usable(point) else { return nil }
        let x = pageX + (point.x - centerX) * scale
        let y = pageY - (point.y - centerY) * scale
        return x.isFinite && y.isFinite ? (x, y) : nil
    }

    /// The map x coordinate at page x `px` (the inverse of `position`).
    func dataX(_ px: Double) -> Double { centerX + (px - pageX) / scale }

    /// The map y coordinate at page y `py` (the inverse of `position`).
    func dataY(_ py: Double) -> Double { centerY - (py - pageY) / scale }
}
