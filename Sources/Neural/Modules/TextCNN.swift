import XlingCore

/// A multi-width convolutional text encoder (Kim 2014; the CLTC paper's MF-CNN): for each kernel
/// width k, F filters over windows of k steps ("valid"), ReLU, max over the windows that lie
/// within the example (one window, over zero padding, when the example is shorter than k); the
/// pooled features of all widths side by side.
///
/// Parameters `<name>.k<k>.weight` ((k·d) × F, row j·d + c = PyTorch's `Conv1d` w[f, c, j]) and
/// `<name>.k<k>.bias` (1 × F). Needs at least max(k) steps (pad the batch to it).
public struct TextCNN: Sendable {
    /// The kernel widths, in output order.
    public let widths: [Int]
    /// F, filters per width.
    public let filters: Int
    /// Each width's weight and bias.
    public let kernels: [(weight: Parameter, bias: Parameter)]

    /// Kernels with PyTorch's default bound U(−1/√(k·d), 1/√(k·d)).
    public init(_ store: inout ParameterStore, name: String, inputSize d: Int, widths: [Int], filters: Int, generator: inout SplitMix64) {
        precondition(!widths.isEmpty && widths.allSatisfy { $0 >= 1 } && filters >= 1, "TextCNN needs widths ≥ 1 and filters")
        self.widths = widths
        self.filters = filters
        kernels = widths.map { k in
            let a = 1 / Float(k * d).squareRoot()
            let w = store.add("\(name).k\(k).weight", uniformMatrix(k * d, filters, bound: a, &generator))
            let b = store.add("\(name).k\(k).bias", uniformMatrix(1, filters, bound: a, &generator))
            return (w, b)
        }
    }

    /// The output width F · |widths|.
    public var outputSize: Int { filters * widths.count }

    /// B × (F·|widths|) features of T ≥ max(widths) steps of B × d with `lengths`.
    public func callAsFunction(_ steps: [Var], lengths: [Int], on tape: inout Tape) -> Var {
        let pooled = zip(widths, kernels).map { k, kernel in
            let positions = steps.count - k + 1
            // relu → maxOverTime of conv1d, fused over the windows within each example (`convMaxOverTime`).
            return tape.convMaxOverTime(
                steps, weight: tape.parameter(kernel.weight), bias: tape.parameter(kernel.bias), width: k,
                valid: lengths.map { min(positions, max(1, $0 - k + 1)) })
        }
        return pooled.count == 1 ? pooled[0] : tape.concatColumns(pooled)
    }
}
