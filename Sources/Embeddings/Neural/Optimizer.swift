#if canImport(Glibc)
import Glibc
#endif

/// First-order optimizers over named parameter groups: SGD, AdaGrad (Duchi et al. 2011) and
/// Adam (Kingma & Ba 2015, Algorithm 1).
///
/// Each parameter tensor is a *group* with a name (`"hidden0.weight"`, `"embedding"`) and its
/// own state (AdaGrad's squared-gradient sums, Adam's moments), created at its first step, and
/// optionally its own learning-rate multiplier. Per element with gradient g and rate η:
/// - SGD: θ −= η·g
/// - AdaGrad: G += g²; θ −= η·g / (√G + ε)
/// - Adam: m = β₁m + (1−β₁)g; v = β₂v + (1−β₂)g²; θ −= η·m̂ / (√v̂ + ε) with
///   m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ), t the number of `beginStep()` calls.
///
/// Sparse rows (`stepRows`): only the rows of a `RowGradient` are updated, and only their
/// state — "lazy" AdaGrad/Adam as PyTorch's `SparseAdam` and TensorFlow's `LazyAdam` do; rows
/// absent from a batch keep their moments (Adam's bias correction still uses the global t).
/// This equals the dense update for SGD and AdaGrad; for Adam it differs from dense Adam only in
/// that untouched rows do not decay or move.
public struct Optimizer: Sendable {
    /// The update rule.
    public enum Kind: String, Sendable, CaseIterable { case sgd, adagrad, adam }

    /// The update rule.
    public let kind: Kind
    /// η, the base learning rate.
    public var learningRate: Float
    /// Adam's β₁ and β₂.
    public var beta1: Float = 0.9, beta2: Float = 0.999
    /// ε in the denominators (Adam 1e-8; AdaGrad uses the same).
    public var epsilon: Float = 1e-8
    /// t: the number of steps begun.
    public private(set) var step = 0

    private var multipliers: [String: Float] = [:]
    private var slotIndex: [String: Int] = [:]
    private var first: [[Float]] = []
    private var second: [[Float]] = []

    /// An optimizer with base rate `learningRate` (> 0).
    public init(_ kind: Kind, learningRate: Float) throws(NeuralError) {
        guard learningRate > 0, learningRate.isFinite else { throw NeuralError("learning rate must be positive, got \(learningRate)") }
        self.kind = kind
        self.learningRate = learningRate
    }

    /// The customary base rate of each rule: SGD 0.1, AdaGrad 0.05 (glove.c), Adam 0.001 (Kingma & Ba).
    public static func defaultLearningRate(_ kind: Kind) -> Float {
        switch kind {
        case .sgd: 0.1
        case .adagrad: 0.05
        case .adam: 0.001
        }
    }

    /// Scales the learning rate of `group` by `multiplier` (1 by default).
    public mutating func setLearningRateMultiplier(_ multiplier: Float, for group: String) { multipliers[group] = multiplier }

    /// Starts a new step (a batch): t += 1. Call once before the groups' updates.
    public mutating func beginStep() { step += 1 }

    /// Updates every element of `parameter` with `gradient` (same count) as group `group`.
    public mutating func update(_ parameter: inout [Float], gradient: [Float], group: String) throws(NeuralError) {
        guard parameter.count == gradient.count else {
            throw NeuralError("group `\(group)`: \(parameter.count) parameters but \(gradient.count) gradients")
        }
        let slot = self.slot(group, count: parameter.count)
        let width = parameter.count
        apply(&parameter, offsets: width == 0 ? [] : [0], width: width, gradient: gradient, slot: slot, group: group)
    }

    /// Updates only the rows of `parameter` (a row-major table of `width`-wide rows) that
    /// `gradient` names, lazily (see the type's documentation).
    public mutating func updateRows(_ parameter: inout [Float], width: Int, gradient: RowGradient, group: String) throws(NeuralError) {
        guard gradient.values.cols == width, width > 0, parameter.count % width == 0 else {
            throw NeuralError("group `\(group)`: rows of width \(width) but a gradient of \(gradient.values.shapeDescription)")
        }
        let tableRows = parameter.count / width
        if let bad = gradient.rows.first(where: { !(0..<tableRows).contains($0) }) {
            throw NeuralError("group `\(group)`: row \(bad) is outside the \(tableRows)-row table")
        }
        let slot = self.slot(group, count: parameter.count)
        apply(
            &parameter, offsets: gradient.rows.map { $0 * width }, width: width, gradient: gradient.values.storage, slot: slot, group: group
        )
    }

    /// The state slot of `group`, created on first use.
    private mutating func slot(_ group: String, count: Int) -> Int {
        if let s = slotIndex[group] { return s }
        let s = first.count
        slotIndex[group] = s
        first.append(kind == .adam ? [Float](repeating: 0, count: count) : [])
        second.append(kind == .sgd ? [] : [Float](repeating: 0, count: count))
        return s
    }

    /// The update of `offsets.count` blocks of `width` elements; block b of `gradient`
    /// (contiguous) belongs at `parameter[offsets[b]...]`.
    private mutating func apply(_ parameter: inout [Float], offsets: [Int], width: Int, gradient: [Float], slot: Int, group: String) {
        let eta = learningRate * (multipliers[group] ?? 1)
        let eps = epsilon
        switch kind {
        case .sgd:
            for (b, offset) in offsets.enumerated() {
                for j in 0..<width { parameter[offset + j] -= eta * gradient[b * width + j] }
            }
        case .adagrad:
            for (b, offset) in offsets.enumerated() {
                for j in 0..<width {
                    let g = gradient[b * width + j]
                    second[slot][offset + j] += g * g
                    parameter[offset + j] -= eta * g / (second[slot][offset + j].squareRoot() + eps)
                }
            }
        case .adam:
            let t = Float(max(step, 1))
            let c1 = 1 - pow(beta1, t), c2 = 1 - pow(beta2, t)
            let b1 = beta1, b2 = beta2
            for (b, offset) in offsets.enumerated() {
                for j in 0..<width {
                    let g = gradient[b * width + j]
                    let m = b1 * first[slot][offset + j] + (1 - b1) * g
                    let v = b2 * second[slot][offset + j] + (1 - b2) * g * g
                    first[slot][offset + j] = m
                    second[slot][offset + j] = v
                    parameter[offset + j] -= eta * (m / c1) / ((v / c2).squareRoot() + eps)
                }
            }
        }
    }
}
