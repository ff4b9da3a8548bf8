#if canImport(Jupyter)
import Jupyter
#endif

/// A chart's MIME bundle: `svg` under "image/svg+xml", the Vega-Lite spec (when given) under
/// `VegaLite.mimeType`, and `summary` (for example "<LineChart: loss, 2 series, 12 points>")
/// under "text/plain". JupyterLab shows the Vega-Lite chart (trusted or not), nbconvert and
/// GitHub the SVG.
public func chartBundle(svg: String, vegaLite: JSON? = nil, summary: String) -> [String: JSON] {
    var bundle: [String: JSON] = ["image/svg+xml": .string(svg), "text/plain": .string(summary)]
    if let vegaLite { bundle[VegaLite.mimeType] = vegaLite }
    return bundle
}
