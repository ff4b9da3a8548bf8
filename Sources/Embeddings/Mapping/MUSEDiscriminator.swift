import Neural
import XlingCore

/// MUSE's discriminator (Conneau et al. 2018, §3.1): input dropout, `layers` hidden dense layers
/// of `hidden` units with leaky ReLU, one output logit (the sigmoid is folded into the loss,
/// `sigmoidBinaryCrossEntropy`). Parameters `discriminator.<i>.weight/bias`, i = 0…layers.
///
/// Shapes: input n × d (mapped source rows, then target rows), output n × 1 logits (high =
/// "this row is a mapped source word").
public struct MUSEDiscriminator: Sendable {
    /// The dense layers, input → hidden… → 1.
    public let layers: [Dense]
    /// The dropout rate on the input (MUSE `--dis_input_dropout` 0.1).
    public let inputDropout: Float
    /// The negative slope of the leaky ReLUs (MUSE 0.2).
    public let slope: Float

    /// A discriminator over d-dimensional rows with Glorot-uniform weights from `generator`.
    public init(
        _ store: inout ParameterStore, inputs d: Int, hidden: Int, layers count: Int, inputDropout: Float, slope: Float,
        generator: inout SplitMix64
    ) {
        var dense: [Dense] = []
        var width = d
        for i in 0...count {
            let out = i < count ? hidden : 1
            dense.append(Dense(&store, name: "discriminator.\(i)", inputs: width, outputs: out, generator: &generator))
            width = out
        }
        layers = dense
        self.inputDropout = inputDropout
        self.slope = slope
    }

    /// A discriminator over given layers (weight inputs × outputs, bias 1 × outputs, input →
    /// hidden… → 1), e.g. a numpy replay's.
    public init(_ store: inout ParameterStore, layers values: [(weight: Matrix, bias: Matrix)], inputDropout: Float, slope: Float) {
        layers = values.enumerated().map { i, v in Dense(store: &store, name: "discriminator.\(i)", weight: v.weight, bias: v.bias) }
        self.inputDropout = inputDropout
        self.slope = slope
    }

    /// Every parameter (for the discriminator's own optimizer).
    public var parameters: [Parameter] { layers.flatMap { [$0.weight, $0.bias] } }

    /// The logits of `x`; `dropout` applies the input dropout (the discriminator's own steps,
    /// MUSE's `train()` mode; the mapping steps run it without, MUSE's `eval()`). `frozen` reads
    /// the layers as constants: gradients then flow to `x` only (the mapping step, whose
    /// optimizer updates W alone, skips the discriminator's weight-gradient products).
    public func callAsFunction(_ x: Var, on tape: inout Tape, dropout: Bool, frozen: Bool = false, generator: inout SplitMix64) -> Var {
        var h = dropout ? tape.dropout(x, rate: inputDropout, generator: &generator) : x
        for (i, layer) in layers.enumerated() {
            if frozen {
                let w = tape.constant(tape.parameterValue(layer.weight)), b = tape.constant(tape.parameterValue(layer.bias))
                h = tape.linear(h, w, bias: b)
            } else {
                h = layer(h, on: &tape)
            }
            if i + 1 < layers.count { h = tape.leakyReLU(h, slope: slope) }
        }
        return h
    }
}
