import Testing

@testable import Embeddings

/// Hand-written backward passes of every layer against central finite differences, in fp32
/// with a tolerance suited to it: step h = 1e-2, |numeric − analytic| ≤ 2e-3 + 2e-2·|analytic|
/// (the loss is accumulated in Double, so rounding noise is ~1e-5; the O(h²) truncation error
/// of these smooth functions is smaller still). Inputs are seeded `SplitMix64` draws.
@Suite struct NeuralLayerTests {
    static func random(_ rows: Int, _ cols: Int, _ generator: inout SplitMix64, scale: Float = 1) -> Matrix {
        var m = Matrix(rows: rows, cols: cols)
        for i in m.storage.indices { m.storage[i] = (2 * generator.nextFloat() - 1) * scale }
        return m
    }

    /// Σ c ⊙ Y: a linear probe of an output, so ∂/∂Y = c.
    static func probe(_ y: Matrix, _ c: Matrix) -> Double {
        zip(y.storage, c.storage).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    }

    /// Checks `analytic` against central differences of `loss` over every element of `values`.
    static func checkGradient(
        _ values: [Float], analytic: [Float], h: Float = 1e-2,
        sourceLocation: SourceLocation = #_sourceLocation, loss: ([Float]) -> Double
    ) {
        checkGradientAt(values, analytic, h, sourceLocation, loss)
    }

    /// `checkGradient(_:analytic:h:sourceLocation:loss:)` without labels, for passing around.
    static func checkGradientAt(
        _ values: [Float], _ analytic: [Float], _ h: Float, _ sourceLocation: SourceLocation,
        _ loss: ([Float]) -> Double
    ) {
        #expect(values.count == analytic.count, sourceLocation: sourceLocation)
        var worst = 0.0
        for i in values.indices {
            var plus = values, minus = values
            plus[i] += h
            minus[i] -= h
            let numeric = (loss(plus) - loss(minus)) / Double(2 * h)
            let excess = abs(numeric - Double(analytic[i])) - (2e-3 + 2e-2 * abs(Double(analytic[i])))
            worst = max(worst, excess)
            if excess > 0 {
                Issue.record("element \(i): numeric \(numeric) vs analytic \(analytic[i])", sourceLocation: sourceLocation)
                return
            }
        }
        #expect(worst <= 0, sourceLocation: sourceLocation)
    }

    @Test func denseLayerGradients() throws {
        var g = SplitMix64(seed: 1)
        let layer = DenseLayer(inputs: 5, outputs: 4, generator: &g)
        var withBias = layer
        withBias.bias = (0..<4).map { _ in g.nextFloat() - 0.5 }
        let x = Self.random(3, 5, &g), c = Self.random(3, 4, &g)
        let (grads, gx) = try withBias.backward(input: x, outputGradient: c)
        Self.checkGradient(withBias.weight.storage, analytic: grads.weight.storage) { w in
            var l = withBias
            l.weight.storage = w
            return Self.probe((try? l.forward(x)) ?? Matrix(rows: 0, cols: 0), c)
        }
        Self.checkGradient(withBias.bias, analytic: grads.bias) { b in
            var l = withBias
            l.bias = b
            return Self.probe((try? l.forward(x)) ?? Matrix(rows: 0, cols: 0), c)
        }
        Self.checkGradient(x.storage, analytic: gx.storage) { values in
            let xx = (try? Matrix(rows: 3, cols: 5, values: values)) ?? x
            return Self.probe((try? withBias.forward(xx)) ?? Matrix(rows: 0, cols: 0), c)
        }
        // Forward is X·W + b exactly (one entry by hand).
        let y = try withBias.forward(x)
        var expected = withBias.bias[2]
        for k in 0..<5 { expected += x[1, k] * withBias.weight[k, 2] }
        #expect(abs(y[1, 2] - expected) < 1e-5)
        // Shapes that do not fit are errors that name them.
        #expect(throws: NeuralError("dense layer expects 5 inputs per row, got 4")) { try withBias.forward(Matrix(rows: 2, cols: 4)) }
    }

    @Test func glorotInitialisationIsBoundedAndSeeded() {
        var a = SplitMix64(seed: 9), b = SplitMix64(seed: 9)
        let one = DenseLayer(inputs: 40, outputs: 300, generator: &a)
        let two = DenseLayer(inputs: 40, outputs: 300, generator: &b)
        #expect(one == two)
        let bound = (6.0 / Float(340)).squareRoot()
        #expect(one.weight.storage.allSatisfy { abs($0) <= bound } && one.bias.allSatisfy { $0 == 0 })
        // Uniform on (−a, a): the spread reaches close to both ends.
        #expect((one.weight.storage.max() ?? 0) > 0.95 * bound && (one.weight.storage.min() ?? 0) < -0.95 * bound)
    }

    @Test(arguments: [Activation.tanh, .relu, .identity])
    func activationGradients(_ activation: Activation) {
        var g = SplitMix64(seed: 2)
        // Keep ReLU inputs away from the kink, where the derivative is undefined.
        var x = Self.random(4, 6, &g, scale: 2)
        for i in x.storage.indices where abs(x.storage[i]) < 0.1 { x.storage[i] += 0.3 }
        let c = Self.random(4, 6, &g)
        let gx = activation.backward(output: activation.apply(x), outputGradient: c)
        Self.checkGradient(x.storage, analytic: gx.storage, h: 1e-3) { values in
            var xx = x
            xx.storage = values
            return Self.probe(activation.apply(xx), c)
        }
    }

    @Test func dropoutMasksScalesAndIsSeeded() throws {
        var g = SplitMix64(seed: 3)
        let x = Self.random(50, 40, &g)
        let dropout = try Dropout(rate: 0.3)
        var a = SplitMix64(seed: 5), b = SplitMix64(seed: 5)
        let (y, mask) = dropout.forward(x, generator: &a)
        #expect(dropout.forward(x, generator: &b).mask == mask)
        let kept = mask.filter { $0 != 0 }
        #expect(kept.allSatisfy { abs($0 - 1 / 0.7) < 1e-6 })
        // 2,000 Bernoulli(0.7) draws: the kept share is within 5 standard deviations of 0.7.
        let share = Double(kept.count) / 2000, sigma: Double = (0.21 / 2000).squareRoot()
        #expect(abs(share - 0.7) < 5 * sigma)
        for i in y.storage.indices { #expect(y.storage[i] == x.storage[i] * mask[i]) }
        // Backward: the same mask on the gradient (the function is linear in x for a fixed mask).
        let c = Self.random(50, 40, &g)
        let expected: [Float] = zip(c.storage, mask).map { (g: Float, m: Float) -> Float in g * m }
        #expect(Dropout.backward(mask: mask, outputGradient: c).storage == expected)
        // Rate 0 is the identity; a rate of 1 or more is refused.
        var z = SplitMix64(seed: 1)
        #expect(try Dropout(rate: 0).forward(x, generator: &z).output == x)
        #expect(throws: NeuralError("dropout rate must be in [0, 1), got 1.0")) { try Dropout(rate: 1) }
    }

    @Test func embeddingBagMeansAndSparseGradient() throws {
        var g = SplitMix64(seed: 4)
        let table = Self.random(10, 3, &g)
        let layer = EmbeddingBagLayer(table: table, trainable: true)
        let bags = [[1, 4, 4], [], [9], [0, 1, 2, 3]]
        let x = layer.forward(bags)
        for j in 0..<3 {
            #expect(abs(x[0, j] - (table[1, j] + 2 * table[4, j]) / 3) < 1e-6)
            #expect(x[1, j] == 0 && x[2, j] == table[9, j])
        }
        let c = Self.random(4, 3, &g)
        let sparse = try layer.backward(bags, outputGradient: c)
        #expect(sparse.rows == [0, 1, 2, 3, 4, 9])
        Self.checkGradient(table.storage, analytic: sparse.dense(tableRows: 10).storage) { values in
            var l = layer
            l.table.storage = values
            return Self.probe(l.forward(bags), c)
        }
    }

    @Test(arguments: [false, true])
    func softmaxCrossEntropyGradient(_ weighted: Bool) throws {
        var g = SplitMix64(seed: 6)
        let logits = Self.random(5, 4, &g, scale: 3)
        let labels = [0, 3, 3, 1, 2]
        let loss = SoftmaxCrossEntropy(classWeights: weighted ? [0.5, 2, 1, 1.5] : nil)
        let (value, gradient) = try loss.loss(logits: logits, labels: labels)
        Self.checkGradient(logits.storage, analytic: gradient.storage, h: 1e-3) { values in
            var z = logits
            z.storage = values
            return (try? loss.loss(logits: z, labels: labels).loss) ?? .nan
        }
        // The value by hand: weighted mean of −ln softmax at the gold label.
        let p = SoftmaxCrossEntropy.probabilities(logits)
        let w: [Double] = weighted ? [0.5, 2, 1, 1.5] : [1, 1, 1, 1]
        var total = 0.0, weights = 0.0
        for (i, y) in labels.enumerated() {
            total -= w[y] * log(Double(p[i, y]))
            weights += w[y]
        }
        #expect(abs(value - total / weights) < 1e-5)
        #expect(throws: NeuralError("label 4 is not in 0..<4")) { try loss.loss(logits: logits, labels: [0, 1, 2, 3, 4]) }
    }

    @Test func balancedClassWeightsFollowSklearn() {
        // sklearn compute_class_weight("balanced"): n / (K · n_k).
        let weights = SoftmaxCrossEntropy.balancedWeights(labels: [0, 0, 0, 1, 2, 2], classes: 4)
        #expect(weights == [0.5, 1.5, 0.75, 0])
    }
}

#if canImport(Glibc)
import Glibc
#endif
