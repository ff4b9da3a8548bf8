#if canImport(Jupyter)
import Jupyter
#endif

/// A chart's MIME bundle: `svg` under "image/svg+xml" and `summary` (for example
/// "<LineChart: loss, 2 series, 12 points>") under "text/plain".
public func chartBundle(svg: String, summary: String) -> [String: JSON] {
    ["image/svg+xml": .string(svg), "text/plain": .string(summary)]
}
