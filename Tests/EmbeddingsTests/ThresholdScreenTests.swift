import Testing

@testable import Embeddings

/// `ThresholdScreen` (the C kernel `CScreen`): every loop (scalar, SSE2, AVX2 where the CPU has it)
/// returns exactly the positions the Swift definition passes, on rows with ties, NaN, ±∞ and −0.
@Suite struct ThresholdScreenTests {
    /// The definition (`ThresholdScreen`'s doc comment), written in Swift.
    static func passes(
        _ x: Float, shift: Float, top: Float, list: Float, rowTop: Float, rowList: Float, rowShift: Float
    ) -> Bool {
        x > rowTop || x > top || 2 * x - shift > rowList || 2 * x - rowShift > list
    }

    /// A row of `count` similarities and its column arrays: mostly cosines, with exact ties to the
    /// thresholds (x = rowTop, 2x − shift = rowList, …), NaN, ±∞ and −0 sprinkled in.
    static func row(count: Int, seed: UInt64, rowTop: Float, rowList: Float, rowShift: Float)
        -> (s: [Float], shift: [Float], top: [Float], list: [Float])
    {
        var g = SplitMix64(seed: seed)
        var s = [Float](), shift = [Float](), top = [Float](), list = [Float]()
        for _ in 0..<count {
            var x = 2 * g.nextFloat() - 1
            let c = 0.4 * g.nextFloat()
            var t = 0.2 + 0.6 * g.nextFloat(), l = 2 * g.nextFloat() - 0.5
            switch g.next() % 16 {
            case 0: x = rowTop
            case 1: x = t
            case 2: x = (rowList + c) / 2
            case 3: l = 2 * x - rowShift
            case 4: x = .nan
            case 5: x = .infinity
            case 6: x = -.infinity
            case 7: x = -0.0
            case 8: t = .nan
            case 9: l = -.infinity
            default: break
            }
            s.append(x)
            shift.append(c)
            top.append(t)
            list.append(l)
        }
        return (s, shift, top, list)
    }

    @Test(arguments: [0, 1, 3, 4, 7, 8, 15, 16, 17, 31, 33, 128, 517])
    func everyLoopMatchesTheDefinition(count: Int) {
        for (seed, thresholds) in [(Float(0.5), Float(0.3), Float(0.1)), (-.infinity, -.infinity, 0), (0.9, 1.2, .nan)]
            .enumerated()
        {
            let (rowTop, rowList, rowShift) = thresholds
            let r = Self.row(count: count, seed: UInt64(seed * 1000 + count), rowTop: rowTop, rowList: rowList, rowShift: rowShift)
            let expected = (0..<count).filter {
                Self.passes(
                    r.s[$0], shift: r.shift[$0], top: r.top[$0], list: r.list[$0], rowTop: rowTop, rowList: rowList,
                    rowShift: rowShift)
            }
            for path in ThresholdScreen.Path.allCases {
                var hits = [UInt32](repeating: 0, count: max(1, count))
                let found = hits.withUnsafeMutableBufferPointer { h in
                    ThresholdScreen.row(
                        r.s, count: count, columnShift: r.shift, columnTop: r.top, columnList: r.list, rowTop: rowTop,
                        rowList: rowList, rowShift: rowShift, hits: h.baseAddress!, path: path)
                }
                #expect(hits.prefix(found).map(Int.init) == expected, "\(path), count \(count), thresholds \(thresholds)")
            }
            // The rows are not trivial: some positions pass and some do not (for the finite thresholds).
            if count >= 128 && rowTop.isFinite { #expect(expected.count > 10 && expected.count < count - 10) }
        }
    }
}
