import CBFloat16

/// Similarity tiles S̃ = Q̃ · T̃ᵀ in bfloat16 with fp32 accumulation (`vdpbf16ps`, AVX512_BF16: twice
/// the fp32 FMA rate of the same cores), for sweeps that use a tile only as a **screen** and re-score
/// the entries that pass it in fp32 with `dot`.
///
/// Q and T (row-major fp32, `dimension` columns) are rounded to bfloat16 (nearest, ties to even) and
/// packed once into panels of 12 query rows and 32 target rows (`CBFloat16`). For every pair,
/// `|S̃(i, j) − dot(q_i, t_j, d)| ≤ slack[i]`, where, with e the norm of a row's rounding error
/// (‖x − x̃‖), n its norm, E and N the largest e and n over the targets, and γ = (d + 2)·2⁻²⁴:
///
///     slack[i] = (e_i·N + n_i·E + e_i·E + 2γ·(n_i + e_i)·(N + E)) · (1 + 2⁻²⁰)
///
/// (Cauchy–Schwarz for the rounding of the inputs; both fp32 accumulations, at most d terms each,
/// bounded by γ·Σ|products|; the last factor covers computing the bound in Float). On unit rows of 300
/// dimensions e ≈ 0.0011 and the slack ≈ 0.003; the measured error is about a quarter of it.
///
/// Memory: 4·⌈d/2⌉ bytes per row and panel padding (≈ 12 MB for 20,000 × 300) plus 4 bytes per query
/// row. Only where `isAvailable` (x86-64 with AVX512F and AVX512_BF16); elsewhere callers use
/// `BlockedGEMM.similarityTile`.
package final class BFloat16Tiles: @unchecked Sendable {
    /// Query rows per packed panel: a query tile must start at a multiple of it.
    package static let queryPanel = Int(XL_BF16_QUERY_PANEL)
    /// Target rows per packed panel: a target tile must start at a multiple of it.
    package static let targetPanel = Int(XL_BF16_TARGET_PANEL)

    /// Whether this CPU and OS run the bfloat16 kernel (and `dot`).
    package static var isAvailable: Bool { xl_bf16_available() != 0 }

    /// The fp32 dot product of two n-vectors in one fixed order (partial sums k mod 64, fused
    /// multiply-adds, a fixed tree): the same bits on every call, whatever the caller's blocking.
    /// AVX-512, so only where `isAvailable`: the score a bfloat16 screen keeps.
    @inline(__always)
    package static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float { xl_dot(a, b, n) }

    /// `out[h] = dot(q, t + rows[h] * n, n)` for h < count (the same bits), prefetching the scattered
    /// rows of t a few ahead. Only where `isAvailable`.
    @inline(__always)
    package static func dots(
        _ q: UnsafePointer<Float>, _ t: UnsafePointer<Float>, _ n: Int, rows: UnsafePointer<Int32>, count: Int,
        into out: UnsafeMutablePointer<Float>
    ) { xl_dots(q, t, n, rows, count, out) }

    private let queries: UnsafeMutablePointer<UInt32>, targets: UnsafeMutablePointer<UInt32>
    private let pairs: Int
    /// The bound on |S̃(i, j) − dot(q_i, t_j)| for query row i and every target (count: query rows).
    package let slack: [Float]

    /// Packs Q (`queryCount × dimension`) and T (`targetCount × dimension`), finite values, on up to
    /// `threads` threads (the result does not depend on it). Requires `isAvailable` for `tile`.
    package init(
        queries q: UnsafePointer<Float>, queryCount: Int, targets t: UnsafePointer<Float>, targetCount: Int,
        dimension d: Int, threads: Int
    ) {
        pairs = (d + 1) / 2
        let qp = Self.queryPanel, tp = Self.targetPanel
        queries = .allocate(capacity: max(1, (queryCount + qp - 1) / qp * qp * pairs))
        targets = .allocate(capacity: max(1, (targetCount + tp - 1) / tp * tp * pairs))
        // Per-row rounding-error norms and norms: queries then targets.
        let rows = queryCount + targetCount
        let errors = UnsafeMutablePointer<Float>.allocate(capacity: max(1, rows))
        let norms = UnsafeMutablePointer<Float>.allocate(capacity: max(1, rows))
        defer {
            errors.deallocate()
            norms.deallocate()
        }
        let job = PackJob(
            queries: q, targets: t, queryOut: queries, targetOut: targets, errors: errors, norms: norms,
            queryCount: queryCount, targetCount: targetCount, dimension: d)
        let queryPanels = (queryCount + qp - 1) / qp, targetPanels = (targetCount + tp - 1) / tp
        // Whole panels per worker: the queries' panels first, then the targets'.
        _ = WorkerThreads.run(threads: threads, count: queryPanels + targetPanels, initial: 0) { _, range in
            for panel in range { job.pack(panel < queryPanels ? (true, panel) : (false, panel - queryPanels)) }
            return 0
        }
        let targetError = UnsafeBufferPointer(start: errors + queryCount, count: targetCount)
        let targetNorm = UnsafeBufferPointer(start: norms + queryCount, count: targetCount)
        let queryError = UnsafeBufferPointer(start: errors, count: queryCount)
        let queryNorm = UnsafeBufferPointer(start: norms, count: queryCount)
        let e = targetError.max() ?? 0, n = targetNorm.max() ?? 0
        let gamma = Float(d + 2) * 0x1p-24
        slack = zip(queryError, queryNorm).map { ei, ni in
            (ei * n + ni * e + ei * e + 2 * gamma * (ni + ei) * (n + e)) * (1 + 0x1p-20)
        }
    }

    deinit {
        queries.deallocate()
        targets.deallocate()
    }

    /// `c[i * ldc + j]` = S̃(rowStart + i, columnStart + j) for i < rowCount, j < columnCount;
    /// `rowStart` a multiple of `queryPanel`, `columnStart` of `targetPanel`, all within the packed rows.
    package func tile(
        rowStart: Int, rowCount: Int, columnStart: Int, columnCount: Int, into c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        precondition(rowStart % Self.queryPanel == 0 && columnStart % Self.targetPanel == 0, "unaligned bfloat16 tile")
        xl_bf16_tile(queries, targets, pairs, rowStart, rowCount, columnStart, columnCount, c, ldc)
    }
}

/// The inputs and outputs of packing, shared read-only (each panel writes only its own words and rows).
private struct PackJob: @unchecked Sendable {
    let queries: UnsafePointer<Float>, targets: UnsafePointer<Float>
    let queryOut: UnsafeMutablePointer<UInt32>, targetOut: UnsafeMutablePointer<UInt32>
    let errors: UnsafeMutablePointer<Float>, norms: UnsafeMutablePointer<Float>
    let queryCount: Int, targetCount: Int, dimension: Int

    /// Packs one query panel or one target panel.
    func pack(_ panel: (isQuery: Bool, index: Int)) {
        let width = panel.isQuery ? BFloat16Tiles.queryPanel : BFloat16Tiles.targetPanel
        let first = panel.index * width
        let rows = min(width, (panel.isQuery ? queryCount : targetCount) - first)
        let row = panel.isQuery ? first : queryCount + first
        xl_bf16_pack(
            (panel.isQuery ? queries : targets) + first * dimension, rows, dimension, width,
            (panel.isQuery ? queryOut : targetOut) + panel.index * width * ((dimension + 1) / 2),
            errors + row, norms + row)
    }
}
