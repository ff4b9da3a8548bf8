import Foundation
import Testing

@testable import Neural

/// `FastMath` against Double libm on a dense grid (the error bounds its doc comment states).
@Suite struct FastMathTests {
    /// 400 001 points over [−20, 20], plus the tiny and the saturated ends.
    static let grid: [Float] = (0...400_000).map { Float(-20 + Double($0) * 1e-4) } + [1e-6, -1e-6, 1e-30, 0, -60, 60, -100, 100]

    /// Within [−87.3, 88.3] (a normal float result); outside, the argument is clamped to it.
    @Test func expIsWithin3e7Relative() {
        var worst = 0.0
        for x in Self.grid + (0...2000).map({ Float(-87 + Double($0) * 0.0875) }) where abs(x) <= 87 {
            let exact = Foundation.exp(Double(x))
            worst = max(worst, abs(Double(FastMath.exp(x)) - exact) / exact)
        }
        #expect(worst <= 3e-7, "max relative error \(worst)")
        #expect(FastMath.exp(-200) < 1.3e-38 && FastMath.exp(-200) > 0 && FastMath.exp(200).isFinite && FastMath.exp(200) > 2e38)
    }

    @Test func sigmoidIsWithin2e7Absolute() {
        var worst = 0.0
        for x in Self.grid { worst = max(worst, abs(Double(FastMath.sigmoid(x)) - 1 / (1 + Foundation.exp(-Double(x))))) }
        #expect(worst <= 2e-7, "max absolute error \(worst)")
    }

    @Test func tanhIsWithin3e7AbsoluteAnd4e7Relative() {
        var absolute = 0.0, relative = 0.0
        for x in Self.grid {
            let exact = Foundation.tanh(Double(x)), error = abs(Double(FastMath.tanh(x)) - exact)
            absolute = max(absolute, error)
            if exact != 0 { relative = max(relative, error / abs(exact)) }
        }
        #expect(absolute <= 3e-7, "max absolute error \(absolute)")
        #expect(relative <= 4e-7, "max relative error \(relative)")
        #expect(FastMath.tanh(0) == 0 && FastMath.tanh(100) == 1 && FastMath.tanh(-100) == -1)
    }

    /// The buffer forms vectorise the same scalar code: same values, in place.
    @Test func bufferFormsMatchScalars() {
        var xs = Self.grid.prefix(1001).map { $0 }
        let expected = xs.map { FastMath.tanh($0) }
        xs.withUnsafeMutableBufferPointer { FastMath.tanh($0.baseAddress!, into: $0.baseAddress!, count: $0.count) }
        #expect(xs == expected)
    }
}
