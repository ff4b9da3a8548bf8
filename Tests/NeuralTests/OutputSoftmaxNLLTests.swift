import Foundation
import Testing
import XlingCore

@testable import Neural

/// The fused untied-output softmax NLL (`Tape.outputSoftmaxNLL`): finite differences on every
/// input, a closed form against the composed primitives, and chunk-size invariance.
struct OutputSoftmaxNLLTests {
    private static func store(_ n: Int, _ h: Int, _ v: Int) -> (ParameterStore, [Parameter]) {
        var g = SplitMix64(seed: 51)
        var s = ParameterStore()
        let p = [
            s.add("h", GradientCheck.random(n, h, &g, scale: 1.5)), s.add("eos", GradientCheck.random(1, h, &g, scale: 1.5)),
            s.add("W", GradientCheck.random(v, h, &g, scale: 1.5)),
        ]
        return (s, p)
    }

    private static let targets = [3, -1, 0, 5, 1, -1, 2]

    @Test func finiteDifferences() {
        let (s, p) = Self.store(7, 3, 5)
        for chunk in [2, 256] {
            GradientCheck.check(s) { t, _ in
                t.outputSoftmaxNLL(
                    t.parameter(p[0]), eos: t.parameter(p[1]), words: t.parameter(p[2]), targets: Self.targets, scale: 0.25,
                    chunkRows: chunk)
            }
        }
    }

    /// The closed form in Double: L = s·Σ_valid (log Σ exp z − z_y), ∂Z = s·(P − Y),
    /// ∂H = ∂Z·[e; W], ∂[e; W] = ∂Zᵀ·H, for three chunk sizes, one and two threads, and a V that
    /// is and one that is not a multiple of the eight-lane loops (5 + 1 and 37 + 1 classes).
    @Test(arguments: [5, 37]) func matchesClosedForm(v: Int) {
        let (s, p) = Self.store(7, 3, v)
        let k = v + 1
        let hv = s[p[0]], c = try! Matrix(rows: k, cols: 3, values: s[p[1]].storage + s[p[2]].storage)
        var loss = 0.0
        var dH = [Double](repeating: 0, count: 21), dC = [Double](repeating: 0, count: 3 * k)
        for (i, y) in Self.targets.enumerated() where y >= 0 {
            var z = [Double](repeating: 0, count: k)
            for j in 0..<k {
                for q in 0..<3 { z[j] += Double(hv.storage[i * 3 + q]) * Double(c.storage[j * 3 + q]) }
            }
            let top = z.max()!
            let sum = z.reduce(0.0) { $0 + exp($1 - top) }
            loss += 0.25 * (log(sum) + top - z[y])
            for j in 0..<k {
                let dz = 0.25 * (exp(z[j] - top) / sum - (j == y ? 1 : 0))
                for q in 0..<3 {
                    dH[i * 3 + q] += dz * Double(c.storage[j * 3 + q])
                    dC[j * 3 + q] += dz * Double(hv.storage[i * 3 + q])
                }
            }
        }
        for chunk in [1, 2, 256] {
            for threads in [1, 2] {
                var a = s
                var tape = Tape(a)
                let out = tape.outputSoftmaxNLL(
                    tape.parameter(p[0]), eos: tape.parameter(p[1]), words: tape.parameter(p[2]), targets: Self.targets, scale: 0.25,
                    chunkRows: chunk, threads: threads)
                #expect(abs(Double(tape[out].storage[0]) - loss) <= 1e-5 * abs(loss))
                tape.backward(from: out, into: &a)
                let got = a.gradient(p[0]).storage + a.gradient(p[1]).storage + a.gradient(p[2]).storage
                let want = dH + dC
                let worst = zip(got, want).map { abs(Double($0) - $1) }.max() ?? 0
                #expect(worst <= 1e-6, "chunk \(chunk), threads \(threads): \(worst)")
            }
        }
    }
}
