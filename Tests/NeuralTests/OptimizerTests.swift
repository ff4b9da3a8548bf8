import Testing
import XlingCore

@testable import Neural

#if canImport(Glibc)
import Glibc
#endif

/// The optimizers against their closed-form steps, lazy rows, frozen parameters, per-parameter
/// rates and disjoint sets.
@Suite struct OptimizerTests {
    func close(_ a: [Float], _ b: [Double], _ tolerance: Double = 1e-6) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs(Double($0) - $1) <= tolerance }
    }

    /// Two steps of `kind` on θ with gradients g1 then g2; returns θ after.
    func twoSteps(_ kind: Optimizer.Kind, _ rate: Float, _ theta: [Float], _ g1: [Float], _ g2: [Float]) throws -> [Float] {
        var store = ParameterStore()
        let p = store.add("w", try Matrix(rows: 1, cols: theta.count, values: theta))
        var optimizer = try Optimizer(kind, learningRate: rate)
        for g in [g1, g2] {
            store.zeroGrad()
            store.accumulate(p, try Matrix(rows: 1, cols: g.count, values: g))
            optimizer.step(&store)
        }
        return store[p].storage
    }

    @Test func sgdAdaGradAdamStepsMatchTheirFormulas() throws {
        let theta: [Float] = [1, -2, 0.5], g1: [Float] = [0.5, 1, -0.25], g2: [Float] = [-0.3, 0.2, 0.1]
        let sgd = try twoSteps(.sgd, 0.1, theta, g1, g2)
        var expectedSGD: [Double] = []
        for i in 0..<3 {
            let step1 = 0.1 * Double(g1[i]), step2 = 0.1 * Double(g2[i])
            expectedSGD.append(Double(theta[i]) - step1 - step2)
        }
        #expect(close(sgd, expectedSGD))
        let adagrad = try twoSteps(.adagrad, 0.05, theta, g1, g2)
        let expectedAdaGrad = (0..<3).map { i -> Double in
            let a = Double(g1[i]), b = Double(g2[i])
            return Double(theta[i]) - 0.05 * a / abs(a) - 0.05 * b / (a * a + b * b).squareRoot()
        }
        #expect(close(adagrad, expectedAdaGrad))
        let adam = try twoSteps(.adam, 0.01, theta, g1, g2)
        let expectedAdam = (0..<3).map { i -> Double in
            var x = Double(theta[i]), m = 0.0, v = 0.0
            for (t, g) in [(1.0, Double(g1[i])), (2.0, Double(g2[i]))] {
                m = 0.9 * m + 0.1 * g
                v = 0.999 * v + 0.001 * g * g
                x -= 0.01 * (m / (1 - pow(0.9, t))) / ((v / (1 - pow(0.999, t))).squareRoot() + 1e-8)
            }
            return x
        }
        #expect(close(adam, expectedAdam, 1e-5))
        #expect(throws: NeuralError("learning rate must be positive, got 0.0")) { try Optimizer(.adam, learningRate: 0) }
    }

    @Test(arguments: Optimizer.Kind.allCases)
    func lazyRowsTouchOnlyTheirRowsAndState(_ kind: Optimizer.Kind) throws {
        var g = SplitMix64(seed: 11)
        let table = GradientCheck.random(4, 3, &g)
        var sparse = ParameterStore(), dense = ParameterStore()
        let ps = sparse.add("e", table, flags: ParameterFlags(sparseRows: true))
        let pd = dense.add("e", table)
        let rows = try Matrix(rows: 2, cols: 3, values: [0.5, -1, 0.25, 2, 0, -0.5])
        var o1 = try Optimizer(kind, learningRate: 0.1), o2 = o1
        sparse.accumulateRows(ps, rows: [3, 1], rows)
        dense.accumulateRows(pd, rows: [3, 1], rows)
        #expect(Set(sparse.touchedRows[ps.index]) == [1, 3])
        o1.step(&sparse)
        o2.step(&dense)
        // Untouched rows are bit-identical; the first step equals the dense one.
        for r in [0, 2] { #expect(sparse[ps].row(r) == table.row(r)) }
        for k in [3, 4, 5, 9, 10, 11] { #expect(abs(sparse[ps].storage[k] - dense[pd].storage[k]) < 1e-6) }
        // zeroGrad clears the touched rows only and forgets them.
        sparse.zeroGrad()
        #expect(sparse.touchedRows[ps.index].isEmpty && sparse.gradient(ps).storage.allSatisfy { $0 == 0 })
        // A second step with no gradient: lazy rows do not move at all (dense Adam would keep moving).
        let before = sparse[ps]
        o1.step(&sparse)
        #expect(sparse[ps] == before)
    }

    @Test func frozenScaledAndSubsetParameters() throws {
        var store = ParameterStore()
        let a = store.add("a", Matrix(rows: 1, cols: 2, repeating: 1))
        let b = store.add("b", Matrix(rows: 1, cols: 2, repeating: 1), flags: ParameterFlags(frozen: true))
        let c = store.add("c", Matrix(rows: 1, cols: 2, repeating: 1), flags: ParameterFlags(learningRateScale: 0.5))
        #expect(store.gradient(b).storage.isEmpty)
        for p in [a, b, c] { store.accumulate(p, Matrix(rows: 1, cols: 2, repeating: 1)) }
        var onlyA = try Optimizer(.sgd, learningRate: 0.1, parameters: [a])
        onlyA.step(&store)
        #expect(store[a].storage == [0.9, 0.9] && store[c].storage == [1, 1])
        var all = try Optimizer(.sgd, learningRate: 0.1)
        all.step(&store)
        #expect(store[b].storage == [1, 1]) // frozen
        #expect(abs(store[c].storage[0] - 0.95) < 1e-7) // half the rate
        #expect(store.parameter(named: "c") == c && store.name(c) == "c")
    }

    @Test func clippingScalesToTheGlobalNorm() {
        var store = ParameterStore()
        let a = store.add("a", Matrix(rows: 1, cols: 2))
        let b = store.add("b", Matrix(rows: 1, cols: 1))
        store.accumulate(a, Matrix(rows: 1, cols: 2, repeating: 3))
        store.accumulate(b, Matrix(rows: 1, cols: 1, repeating: 4)) // ‖g‖ = √(9 + 9 + 16) = √34
        let norm = store.clipGlobalNorm(1)
        #expect(abs(norm - 34.0.squareRoot()) < 1e-9)
        #expect(abs(store.gradientNorm() - 1) < 1e-5)
        #expect(store.clipGlobalNorm(5) < 5) // under the bound: unchanged
    }

    @Test func snapshotRestoreSaveAndLoad() throws {
        var g = SplitMix64(seed: 5)
        var store = ParameterStore()
        let w = store.add("encoder.fw.wIH", GradientCheck.random(3, 4, &g))
        _ = store.add("embedding", GradientCheck.random(5, 2, &g), flags: ParameterFlags(sparseRows: true))
        let snapshot = store.snapshot()
        let saved = store.values
        store[w] = Matrix(rows: 3, cols: 4, repeating: 9)
        store.restore(snapshot)
        #expect(store.values == saved)
        let path = "/tmp/xling-neural-\(getpid()).params"
        defer { unlink(path) }
        try store.save(to: path)
        var other = store
        other[w] = Matrix(rows: 3, cols: 4)
        try other.load(from: path)
        #expect(other.values == saved)
        var wrong = ParameterStore()
        _ = wrong.add("encoder.fw.wIH", Matrix(rows: 4, cols: 3))
        #expect(throws: NeuralError("parameter encoder.fw.wIH is 3×4 in \(path) but 4×3 here")) { try wrong.load(from: path) }
        #expect(throws: NeuralError("cannot read parameters from /nonexistent/x", fix: "check the path")) {
            try store.load(from: "/nonexistent/x")
        }
    }

    @Test func classWeights() {
        #expect(ClassWeights.balanced(labels: [0, 0, 0, 1, 2, 2], classes: 4) == [0.5, 1.5, 0.75, 0])
        // ln(N / max(n_c, 1)) + 1, the CLTC paper's Eq. 5; SIB-200 train science/technology: 701 / 176.
        let w = ClassWeights.logarithmic(labels: Array(repeating: 0, count: 176) + Array(repeating: 1, count: 525), classes: 3)
        #expect(abs(w[0] - 2.382) < 1e-3 && abs(w[2] - Float(log(701.0) + 1)) < 1e-5)
    }
}
