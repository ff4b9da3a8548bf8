import XlingCore

/// A handle to one trainable matrix of a `ParameterStore`: its index in the store. Modules hold
/// handles, never values, so one store owns every number a model has.
public struct Parameter: Hashable, Sendable, Comparable {
    /// The position in the store (registration order).
    public let index: Int

    /// A handle; only `ParameterStore.add` makes valid ones.
    init(index: Int) { self.index = index }

    public static func < (a: Parameter, b: Parameter) -> Bool { a.index < b.index }
}

/// How a parameter takes part in training.
public struct ParameterFlags: Sendable, Equatable {
    /// An embedding table: gradients arrive for the rows a batch gathered, and optimizers update
    /// only those rows and their state ("lazy" rows, PyTorch's `SparseAdam`).
    public var sparseRows: Bool
    /// Never updated: no gradient is kept and the tape treats it as a constant.
    public var frozen: Bool
    /// Multiplies the optimizer's learning rate for this parameter (1: the base rate).
    public var learningRateScale: Float

    /// Flags; by default dense, trainable, at the base learning rate.
    public init(sparseRows: Bool = false, frozen: Bool = false, learningRateScale: Float = 1) {
        self.sparseRows = sparseRows
        self.frozen = frozen
        self.learningRateScale = learningRateScale
    }
}
