#if canImport(Jupyter)
import Jupyter
#endif

/// Building blocks of the Vega-Lite 5 specs that every chart carries beside its SVG.
///
/// JupyterLab's Vega 5 renderer (`@jupyterlab/vega5-extension`, rank 57, marked safe) ranks above
/// the SVG renderer (rank 80, unsafe), so a bundle holding both shows the Vega-Lite chart, with
/// tooltips and zoom/pan, in trusted and untrusted notebooks alike; nbconvert and GitHub, which
/// have no Vega renderer, fall back to the SVG. Data is inline (`data.values`), colours follow
/// `ChartPalette` so both renderings agree, and the SVG renderer is requested through
/// `usermeta.embedOptions` so marks are DOM elements (hover and browser tests reach them).
/// Specs serialize deterministically (`JSON` sorts object keys).
public enum VegaLite {
    /// The MIME type JupyterLab renders with its built-in Vega-Lite 5 renderer.
    public static let mimeType = "application/vnd.vegalite.v5+json"
    /// The `$schema` of every spec.
    public static let schema = "https://vega.github.io/schema/vega-lite/v5.json"

    /// The skeleton of a spec: schema, title, size, inline `rows`, the embed options, and `body`
    /// (mark/encoding or layer) merged in.
    static func spec(title: String, width: Double, height: Double, rows: [JSON], body: [String: JSON]) -> JSON {
        var spec: [String: JSON] = [
            "$schema": .string(schema),
            "width": number(width),
            "height": number(height),
            "data": ["values": .array(rows)],
            "usermeta": [
                "embedOptions": ["renderer": "svg", "actions": ["export": true, "source": false, "compiled": false, "editor": false]]
            ],
            "config": ["view": ["stroke": "#cccccc"], "font": "sans-serif"],
        ]
        let plain = ChartCanvas.plainTitle(title)
        if !plain.isEmpty { spec["title"] = .string(plain) }
        for (key, value) in body { spec[key] = value }
        return .object(spec)
    }

    /// A data value: finite numbers rounded to 6 significant digits (enough for a picture,
    /// and stable text), anything else `null` (Vega-Lite drops null points).
    static func number(_ v: Double) -> JSON {
        guard v.isFinite, abs(v) < 1e300 else { return .null }
        if v == v.rounded(), abs(v) < 1e15 { return .int(Int(v)) }
        let magnitude = RenderMath.log10(abs(v)).map { Int($0.rounded(.down)) } ?? 0
        let scale = RenderMath.pow10(5 - magnitude)
        let rounded = (v * scale).rounded() / scale
        return rounded.isFinite ? .double(rounded) : .double(v)
    }

    /// A nominal colour channel over `names` in palette order; a legend only for two or more.
    static func color(field: String, names: [String], title: String? = nil) -> JSON {
        var channel: [String: JSON] = [
            "field": .string(field), "type": "nominal",
            "scale": ["domain": .array(names.map { .string($0) }), "range": .array(names.indices.map { .string(ChartPalette.color($0)) })],
        ]
        channel["legend"] = names.count > 1 ? (title.map { ["title": .string($0)] } ?? ["title": .null]) : .null
        return .object(channel)
    }

    /// A quantitative scale: a fixed `domain`, a log scale, or a fitted one that includes 0
    /// when `zero` is set and never goes below 0 for non-negative `values`.
    static func scale(values: [Double], domain: ClosedRange<Double>?, log: Bool, zero: Bool) -> JSON {
        if let domain { return ["domain": [number(domain.lowerBound), number(domain.upperBound)], "clamp": true] }
        if log { return ["type": "log"] }
        let axis = ChartAxis.linear(values, includeZero: zero)
        return ["domain": [number(axis.lo), number(axis.hi)], "nice": false, "zero": .bool(zero)]
    }

    /// The zoom/pan parameter: an interval selection bound to the scales (drag pans, wheel
    /// zooms, double-click resets).
    static let zoom: JSON = ["name": "zoom", "select": ["type": "interval"], "bind": "scales"]

    /// A channel title: `nil` or empty gives `null` (no title).
    static func title(_ text: String?) -> JSON {
        guard let text, !text.isEmpty else { return .null }
        return .string(ChartCanvas.plainTitle(text))
    }

    /// The plot size of a spec for a chart page of `width`×`height` pixels, leaving room for
    /// title, axes and legend, so both renderings come out about the same size.
    static func plotSize(width: Int, height: Int, legend: Bool) -> (width: Double, height: Double) {
        (Double(max(max(width, 200) - (legend ? 150 : 80), 120)), Double(max(max(height, 150) - 110, 100)))
    }
}
