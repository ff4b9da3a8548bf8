/// Inverted dropout (Srivastava et al. 2014): during training each activation is kept with
/// probability 1 − `rate` and scaled by 1/(1 − `rate`), so inference is the identity.
///
/// The mask is drawn from the run's `SplitMix64` (one `nextFloat()` per element, row-major), so
/// a seed fixes it. Shapes: any n×m; the mask has n·m entries, each 0 or 1/(1 − rate).
public struct Dropout: Sendable, Equatable {
    /// The probability of dropping an activation, in [0, 1).
    public let rate: Float

    /// Dropout with `rate` in [0, 1); throws otherwise.
    public init(rate: Float) throws(NeuralError) {
        guard rate >= 0, rate < 1 else { throw NeuralError("dropout rate must be in [0, 1), got \(rate)") }
        self.rate = rate
    }

    /// The masked, rescaled activations and the mask (empty when `rate` is 0: nothing dropped).
    public func forward(_ x: Matrix, generator: inout SplitMix64) -> (output: Matrix, mask: [Float]) {
        guard rate > 0 else { return (x, []) }
        let keep = 1 / (1 - rate)
        var mask = [Float](repeating: 0, count: x.storage.count)
        var y = x
        for i in mask.indices {
            mask[i] = generator.nextFloat() < rate ? 0 : keep
            y.storage[i] *= mask[i]
        }
        return (y, mask)
    }

    /// ∂L/∂x = mask ⊙ ∂L/∂y (the gradient itself for an empty mask).
    public static func backward(mask: [Float], outputGradient g: Matrix) -> Matrix {
        guard !mask.isEmpty else { return g }
        var dx = g
        for i in dx.storage.indices { dx.storage[i] *= mask[i] }
        return dx
    }
}
