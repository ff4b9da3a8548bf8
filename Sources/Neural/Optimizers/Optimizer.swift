import XlingCore

#if canImport(Glibc)
import Glibc
#endif

/// A first-order optimizer over a set of a `ParameterStore`'s parameters: SGD, AdaGrad (Duchi
/// et al. 2011) or Adam (Kingma & Ba 2015, Algorithm 1), one pass over the store per `step`
/// (llm.c's `gpt2_update`).
///
/// Per element with gradient g (plus `weightDecay`·θ, PyTorch's coupled L2) and rate
/// η = `learningRate` · the parameter's `learningRateScale`:
/// - SGD: θ −= η·g
/// - AdaGrad: G += g²; θ −= η·g / (√G + ε)
/// - Adam: m = β₁m + (1−β₁)g; v = β₂v + (1−β₂)g²; θ −= η·m̂ / (√v̂ + ε) with m̂ = m/(1−β₁ᵗ),
///   v̂ = v/(1−β₂ᵗ), t the number of steps taken.
///
/// Sparse rows: for a `sparseRows` parameter only the rows touched since the last `zeroGrad`
/// are updated, and only their state: "lazy" AdaGrad/Adam as PyTorch's `SparseAdam` and
/// TensorFlow's `LazyAdam`; absent rows keep their moments (bias correction still uses the global
/// t). This equals the dense update for SGD and AdaGrad; for Adam it differs only in that
/// untouched rows do not decay or move. Frozen parameters are skipped.
///
/// Invariant: state buffers, once created, have the size of their parameter.
public struct Optimizer: Sendable {
    /// The update rule.
    public enum Kind: String, Sendable, CaseIterable { case sgd, adagrad, adam }

    /// The update rule.
    public let kind: Kind
    /// η, the base learning rate.
    public var learningRate: Float
    /// Adam's β₁ and β₂.
    public var beta1: Float = 0.9, beta2: Float = 0.999
    /// ε in the denominators (Adam and AdaGrad).
    public var epsilon: Float = 1e-8
    /// λ of the L2 term added to every gradient (0: none).
    public var weightDecay: Float = 0
    /// The parameters this optimizer updates; nil: every trainable parameter of the store.
    public let parameters: [Parameter]?
    /// t: the number of steps taken.
    public private(set) var steps = 0

    private var first: [[Float]] = []
    private var second: [[Float]] = []

    /// An optimizer with base rate `learningRate` (> 0) over `parameters` (nil: all).
    public init(_ kind: Kind, learningRate: Float, parameters: [Parameter]? = nil) throws(NeuralError) {
        guard learningRate > 0, learningRate.isFinite else { throw NeuralError("learning rate must be positive, got \(learningRate)") }
        self.kind = kind
        self.learningRate = learningRate
        self.parameters = parameters
    }

    /// The customary base rate of each rule: SGD 0.1, AdaGrad 0.05 (glove.c), Adam 0.001 (Kingma & Ba).
    public static func defaultLearningRate(_ kind: Kind) -> Float {
        switch kind {
        case .sgd: 0.1
        case .adagrad: 0.05
        case .adam: 0.001
        }
    }

    /// One update of every parameter in the set from its accumulated gradient (t += 1).
    public mutating func step(_ store: inout ParameterStore) {
        steps += 1
        while first.count < store.count {
            first.append([])
            second.append([])
        }
        for p in parameters ?? store.parameters where store.isTrainable(p) {
            let i = p.index
            // Sizes only: holding a copy of the value would make the update copy it.
            let size = store.values[i].storage.count, width = store.values[i].cols
            if kind == .adam && first[i].isEmpty { first[i] = [Float](repeating: 0, count: size) }
            if kind != .sgd && second[i].isEmpty { second[i] = [Float](repeating: 0, count: size) }
            let flags = store.flags[i]
            let offsets = flags.sparseRows ? store.touchedRows[i].map { $0 * width } : (size == 0 ? [] : [0])
            let blockWidth = flags.sparseRows ? width : size
            let gradient = store.gradients[i]
            update(&store.values[i], gradient, offsets: offsets, width: blockWidth, slot: i, eta: learningRate * flags.learningRateScale)
        }
    }

    /// The update of the blocks `[offset, offset + width)` of `value`.
    private mutating func update(_ value: inout Matrix, _ gradient: Matrix, offsets: [Int], width: Int, slot: Int, eta: Float) {
        let eps = epsilon, decay = weightDecay, b1 = beta1, b2 = beta2
        let t = Float(steps)
        let c1 = 1 - pow(b1, t), c2 = 1 - pow(b2, t)
        let kind = self.kind
        value.storage.withUnsafeMutableBufferPointer { theta in
            gradient.storage.withUnsafeBufferPointer { grad in
                first[slot].withUnsafeMutableBufferPointer { m in
                    second[slot].withUnsafeMutableBufferPointer { v in
                        for offset in offsets {
                            for k in offset..<offset + width {
                                let g = grad[k] + decay * theta[k]
                                switch kind {
                                case .sgd:
                                    theta[k] -= eta * g
                                case .adagrad:
                                    v[k] += g * g
                                    theta[k] -= eta * g / (v[k].squareRoot() + eps)
                                case .adam:
                                    m[k] = b1 * m[k] + (1 - b1) * g
                                    v[k] = b2 * v[k] + (1 - b2) * g * g
                                    theta[k] -= eta * (m[k] / c1) / ((v[k] / c2).squareRoot() + eps)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
