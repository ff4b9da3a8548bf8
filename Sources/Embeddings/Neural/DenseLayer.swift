/// A fully connected layer `Y = X·W + b` over BLAS.
///
/// Shapes: input X is n×`inputs`, `weight` W is `inputs`×`outputs` (row-major, so a row of X
/// multiplies W directly), `bias` b has `outputs` values added to every row, output Y is
/// n×`outputs`. Backward (hand-written): ∂L/∂W = Xᵀ·G, ∂L/∂b = Σᵢ Gᵢ (column sums),
/// ∂L/∂X = G·Wᵀ for the output gradient G = ∂L/∂Y (n×`outputs`).
///
/// Invariant: `weight.rows == inputs`, `weight.cols == bias.count == outputs`.
public struct DenseLayer: Sendable, Equatable {
    /// W, `inputs` × `outputs`.
    public var weight: Matrix
    /// b, `outputs` values.
    public var bias: [Float]

    /// The gradients of the loss with respect to the layer's parameters (same shapes).
    public struct Gradients: Sendable, Equatable {
        /// ∂L/∂W, `inputs` × `outputs`.
        public var weight: Matrix
        /// ∂L/∂b, `outputs` values.
        public var bias: [Float]
    }

    /// The number of inputs per row.
    public var inputs: Int { weight.rows }
    /// The number of outputs per row.
    public var outputs: Int { weight.cols }

    /// A layer with Glorot/Xavier-uniform weights, W ~ U(−a, a) with a = √(6 / (inputs + outputs))
    /// (Glorot & Bengio 2010), and zero bias, drawn from `generator`.
    public init(inputs: Int, outputs: Int, generator: inout SplitMix64) {
        precondition(inputs > 0 && outputs > 0, "a dense layer needs at least one input and one output")
        let a = (6.0 / Float(inputs + outputs)).squareRoot()
        var w = Matrix(rows: inputs, cols: outputs)
        for i in w.storage.indices { w.storage[i] = (2 * generator.nextFloat() - 1) * a }
        weight = w
        bias = Array(repeating: 0, count: outputs)
    }

    /// A layer with the given parameters; throws when `bias.count != weight.cols`.
    public init(weight: Matrix, bias: [Float]) throws(NeuralError) {
        guard bias.count == weight.cols else {
            throw NeuralError("a dense layer with a \(weight.shapeDescription) weight needs \(weight.cols) biases, got \(bias.count)")
        }
        self.weight = weight
        self.bias = bias
    }

    /// Y = X·W + b (n×`outputs`) for X (n×`inputs`).
    public func forward(_ x: Matrix) throws(NeuralError) -> Matrix {
        guard x.cols == inputs else { throw NeuralError("dense layer expects \(inputs) inputs per row, got \(x.cols)") }
        var y: Matrix
        do { y = try Matrix.product(x, weight) } catch { throw NeuralError(error) }
        let m = outputs
        y.storage.withUnsafeMutableBufferPointer { out in
            for i in 0..<x.rows {
                let base = i * m
                for j in 0..<m { out[base + j] += bias[j] }
            }
        }
        return y
    }

    /// The parameter gradients and ∂L/∂X for the input `x` (n×`inputs`) of the forward pass
    /// and the output gradient `g` (n×`outputs`).
    public func backward(input x: Matrix, outputGradient g: Matrix) throws(NeuralError) -> (gradients: Gradients, inputGradient: Matrix) {
        guard x.rows == g.rows, x.cols == inputs, g.cols == outputs else {
            throw NeuralError(
                """
                dense backward: input \(x.shapeDescription) and output gradient \(g.shapeDescription) do not fit a \(inputs)→\(outputs) \
                layer
                """)
        }
        let gradW: Matrix, gradX: Matrix
        do {
            gradW = try Matrix.product(x, g, transposeA: true)
            gradX = try Matrix.product(g, weight, transposeB: true)
        } catch { throw NeuralError(error) }
        var gradB = [Float](repeating: 0, count: outputs)
        for i in 0..<g.rows {
            let base = i * outputs
            for j in 0..<outputs { gradB[j] += g.storage[base + j] }
        }
        return (Gradients(weight: gradW, bias: gradB), gradX)
    }
}
