/// What a `ProgressHandler` tells a long engine call to do next.
public enum ProgressAction: Sendable, Equatable {
    /// Go on.
    case `continue`
    /// End as soon as possible, keeping the partial result where the call's contract says so.
    case stop

    /// `.stop` when `stop` is true, else `.continue`; e.g. `.stopping(if: token.isCancelled)`.
    public static func stopping(if stop: Bool) -> ProgressAction { stop ? .stop : .continue }

    /// A handler that never stops and ignores every report (the default of every long call).
    public static func ignore(_ progress: Progress) -> ProgressAction { .continue }
}
