import XlingCore

/// Additive attention over the real steps of a time-major batch (Yang et al. 2016; the CLTC
/// paper's Eqs. 1–3): u_t = tanh(h_t·W + b), α = softmax over t < len of u_t·u_w, s = Σ_t α_t h_t.
///
/// Parameters `<name>.projection.weight` (in × a), `<name>.projection.bias` (1 × a),
/// `<name>.context` (a × 1, u_w).
public struct Attention: Sendable {
    /// W, b.
    public let projection: Dense
    /// u_w.
    public let context: Parameter

    /// Glorot projection, context U(−1/√a, 1/√a).
    public init(_ store: inout ParameterStore, name: String, inputSize: Int, attentionSize a: Int, generator: inout SplitMix64) {
        projection = Dense(&store, name: name + ".projection", inputs: inputSize, outputs: a, generator: &generator)
        context = store.add(name + ".context", uniformMatrix(a, 1, bound: 1 / Float(a).squareRoot(), &generator))
    }

    /// s (B × in) and α ((T·B) × 1, row t·B + b) for T steps of B × in.
    public func callAsFunction(_ steps: [Var], lengths: [Int], on tape: inout Tape) -> (output: Var, weights: Var) {
        callAsFunction(stacked: tape.concatRows(steps), lengths: lengths, on: &tape)
    }

    /// The same over a stacked time-major H ((T·B) × in, row t·B + b), e.g. `BiRNN.stacked`.
    public func callAsFunction(stacked: Var, lengths: [Int], on tape: inout Tape) -> (output: Var, weights: Var) {
        let u = tape.tanh(projection(stacked, on: &tape))
        let alpha = tape.maskedSoftmaxOverSteps(tape.linear(u, tape.parameter(context)), lengths: lengths)
        return (tape.attentionSum(alpha, stacked, batch: lengths.count), alpha)
    }
}
