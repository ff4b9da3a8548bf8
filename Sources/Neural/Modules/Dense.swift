import XlingCore

/// A fully connected layer Y = X·W + b, its parameters `<name>.weight` (inputs × outputs, so a
/// row of X multiplies W directly; PyTorch's `Linear.weight` transposed) and `<name>.bias` (1 × outputs).
public struct Dense: Sendable {
    /// W, inputs × outputs.
    public let weight: Parameter
    /// b, 1 × outputs.
    public let bias: Parameter
    /// The widths.
    public let inputs: Int, outputs: Int

    /// A layer with Glorot/Xavier-uniform weights, W ~ U(−a, a) with a = √(6 / (inputs + outputs))
    /// (Glorot & Bengio 2010), drawn row-major from `generator`, and zero bias.
    public init(_ store: inout ParameterStore, name: String, inputs: Int, outputs: Int, generator: inout SplitMix64) {
        precondition(inputs > 0 && outputs > 0, "a dense layer needs at least one input and one output")
        let a = (6.0 / Float(inputs + outputs)).squareRoot()
        var w = Matrix(rows: inputs, cols: outputs)
        for i in w.storage.indices { w.storage[i] = (2 * generator.nextFloat() - 1) * a }
        self.init(store: &store, name: name, weight: w, bias: Matrix(rows: 1, cols: outputs))
    }

    /// A layer over given values (weight inputs × outputs, bias 1 × outputs).
    public init(store: inout ParameterStore, name: String, weight: Matrix, bias: Matrix) {
        precondition(bias.rows == 1 && bias.cols == weight.cols, "a \(weight.shapeDescription) dense layer needs a 1×\(weight.cols) bias")
        self.weight = store.add(name + ".weight", weight)
        self.bias = store.add(name + ".bias", bias)
        inputs = weight.rows
        outputs = weight.cols
    }

    /// Y = X·W + b for X n × inputs.
    public func callAsFunction(_ x: Var, on tape: inout Tape) -> Var {
        tape.linear(x, tape.parameter(weight), bias: tape.parameter(bias))
    }
}
