/// Inputs a classifier or a report cannot use: mismatched lengths, labels out of range.
public struct ClassificationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong, e.g. `701 feature rows but 700 labels`.
    public let description: String

    /// An error with the message `description`.
    public init(_ description: String) { self.description = description }
}
