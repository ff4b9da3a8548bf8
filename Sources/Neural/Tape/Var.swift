import XlingCore

/// A value recorded on a `Tape`: its index. Valid only for the tape that made it.
public struct Var: Hashable, Sendable {
    /// The position on the tape.
    public let id: Int
}
