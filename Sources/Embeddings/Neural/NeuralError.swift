/// Inputs a neural layer, loss, optimizer or trainer cannot use: shapes that do not fit,
/// labels out of range, bad hyperparameters. The message names the problem and, where there is
/// one, the fix.
public struct NeuralError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong, e.g. `dense layer expects 40 inputs per row, got 300`.
    public let description: String

    /// An error with the message `description`.
    public init(_ description: String) { self.description = description }

    /// Wraps a shape error from the linear algebra layer.
    init(_ error: ShapeError) { description = error.description }
}
