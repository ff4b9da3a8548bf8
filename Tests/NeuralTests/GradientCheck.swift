import Testing
import XlingCore

@testable import Neural

/// Central finite differences against the tape's pullbacks, in fp32 with a tolerance suited to
/// it: |numeric − analytic| ≤ 2e-3 + 2e-2·|analytic| with step h (1e-2 for smooth maps, smaller
/// near kinks); the probe loss Σ C ⊙ Y is accumulated in Double.
enum GradientCheck {
    static func random(_ rows: Int, _ cols: Int, _ generator: inout SplitMix64, scale: Float = 1) -> Matrix {
        var m = Matrix(rows: rows, cols: cols)
        for i in m.storage.indices { m.storage[i] = (2 * generator.nextFloat() - 1) * scale }
        return m
    }

    /// Σ C ⊙ Y in Double.
    static func probe(_ y: Matrix, _ c: Matrix) -> Double {
        zip(y.storage, c.storage).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    }

    /// Checks every parameter of `store` (the trainable ones) for the map `build`, which records
    /// the output from the store's parameters on a training tape. Dropout masks repeat because
    /// every evaluation starts from the same generator.
    static func check(
        _ store: ParameterStore, h: Float = 1e-2, seed: UInt64 = 7, sourceLocation: SourceLocation = #_sourceLocation,
        _ build: (inout Tape, inout SplitMix64) -> Var
    ) {
        func forward(_ s: ParameterStore) -> Matrix {
            var tape = Tape(s)
            var g = SplitMix64(seed: seed)
            let out = build(&tape, &g)
            let y = tape[out]
            tape.release()
            return y
        }
        let y0 = forward(store)
        var cg = SplitMix64(seed: 1234)
        let c = random(y0.rows, y0.cols, &cg)
        var analytic = store
        analytic.zeroGrad()
        var tape = Tape(analytic)
        var g = SplitMix64(seed: seed)
        let out = build(&tape, &g)
        tape.backward(from: out, seed: c, into: &analytic)
        for p in store.parameters where store.isTrainable(p) {
            let grad = analytic.gradient(p)
            for k in store[p].storage.indices {
                var plus = store, minus = store
                plus.values[p.index].storage[k] += h
                minus.values[p.index].storage[k] -= h
                let numeric = (probe(forward(plus), c) - probe(forward(minus), c)) / Double(2 * h)
                let a = Double(grad.storage[k])
                if abs(numeric - a) > 2e-3 + 2e-2 * abs(a) {
                    Issue.record("\(store.name(p))[\(k)]: numeric \(numeric) vs analytic \(a)", sourceLocation: sourceLocation)
                    return
                }
            }
        }
    }
}
