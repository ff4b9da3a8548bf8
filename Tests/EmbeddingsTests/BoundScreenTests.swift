import Testing

@testable import Embeddings

/// `BoundScreen` (the low-rank CSLS initialisation's sketch screens, in C) against the same
/// expressions written out in Swift, on real similarity rows (fastText en · fr), for the AVX-512
/// path and the one-lane path: every length around the 16 lanes, with and without per-column
/// offsets, each threshold alone and both together.
@Suite struct BoundScreenTests {
    static let paths = RowScreen.isAvailable ? [true, false] : [false]

    /// v_j = (s[j] + (r·σ[j] + add)) − (own + h[j]), each operation on its own.
    static func values(_ s: [Float], _ sigma: [Float], _ h: [Float]?, r: Float, add: Float, own: Float) -> [Float] {
        s.indices.map { j in
            let spread = r * sigma[j] + add
            let v = s[j] + spread
            guard let h else { return v }
            return v - (own + h[j])
        }
    }

    struct Case {
        var s: [Float], sigma: [Float], h: [Float]?
        var r: Float, add: Float, own: Float
    }

    /// Rows of real similarities with spreads and offsets taken from other rows.
    static func cases() throws -> [Case] {
        let rows = try RowScreenTests.similarities(rows: 6, columns: 517)
        var out: [Case] = []
        for count in [0, 1, 15, 16, 17, 33, 517] {
            for (i, withOffsets) in [(0, false), (1, true), (2, true)] {
                let s = Array(rows[i].prefix(count)), sigma = rows[i + 3].prefix(count).map { abs($0) * 0.2 }
                let h = withOffsets ? rows[5].prefix(count).map { $0 / 2 } : nil
                out.append(Case(s: s, sigma: Array(sigma), h: h, r: i == 0 ? -0.05 : 0.07, add: i == 0 ? -1e-4 : 1e-4, own: 0.03))
            }
        }
        return out
    }

    /// The screen's columns (arrays padded by one entry, so none is empty).
    static func screened(_ c: Case, rowThreshold: Float, columns: [Float], slack: Float, vector: Bool) -> [Int32] {
        let s = c.s + [0], sigma = c.sigma + [0], h = (c.h ?? []) + [0], t = columns + [0]
        var out = [Int32](repeating: -7, count: c.s.count + BoundScreen.padding)
        let found = out.withUnsafeMutableBufferPointer { o in
            h.withUnsafeBufferPointer { hp in
                BoundScreen.screen(
                    s, sigma: sigma, offsets: c.h == nil ? nil : hp.baseAddress, count: c.s.count, r: c.r, add: c.add, own: c.own,
                    rowThreshold: rowThreshold, columnThresholds: t, slack: slack, into: o.baseAddress!, vector: vector)
            }
        }
        return Array(out[0..<found])
    }

    @Test(arguments: paths) func screenIsTheComparisons(vector: Bool) throws {
        for c in try Self.cases() {
            let v = Self.values(c.s, c.sigma, c.h, r: c.r, add: c.add, own: c.own)
            let sorted = v.sorted()
            let median = sorted.isEmpty ? 0 : sorted[sorted.count / 2]
            // Column thresholds straddling the values: half below, half above.
            let columns = v.indices.map { j in v[j] + (j % 2 == 0 ? -1e-3 : 1e-3) }
            let high = columns.map { _ in Float.infinity }
            for (rowThreshold, thresholds, slack) in [
                (median, high, Float(0)), (Float.infinity, columns, 0), (median, columns, 0), (median, columns, 2e-3),
                (-Float.infinity, high, 0),
            ] {
                let expected = v.indices.filter { v[$0] + slack >= rowThreshold || v[$0] + slack >= thresholds[$0] }.map { Int32($0) }
                let got = Self.screened(c, rowThreshold: rowThreshold, columns: thresholds, slack: slack, vector: vector)
                #expect(got == expected, "count \(c.s.count), offsets \(c.h != nil), slack \(slack)")
            }
        }
    }

    @Test(arguments: paths) func maximumIsTheRowMaximumAndRaisesColumns(vector: Bool) throws {
        for c in try Self.cases() {
            let v = Self.values(c.s, c.sigma, c.h, r: c.r, add: c.add, own: c.own)
            let start = v.indices.map { j in j % 3 == 0 ? Float(-1) : 1 }
            let sp = c.s + [0], sigma = c.sigma + [0], h = (c.h ?? []) + [0]
            var columns = start + [0]
            let best = h.withUnsafeBufferPointer { hp in
                columns.withUnsafeMutableBufferPointer { m in
                    BoundScreen.maximum(
                        sp, sigma: sigma, offsets: c.h == nil ? nil : hp.baseAddress, count: c.s.count, r: c.r, add: c.add,
                        own: c.own, columnMax: m.baseAddress!, vector: vector)
                }
            }
            #expect(best == (v.max() ?? -.infinity), "count \(c.s.count)")
            #expect(Array(columns.prefix(v.count)) == v.indices.map { max(start[$0], v[$0]) })
        }
    }
}
