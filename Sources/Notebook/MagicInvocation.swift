/// One parsed magic: `%name words… key=value…`, or a `%%name …` cell magic with its body.
///
/// Invariants: `name` is non-empty; `keyValues` keep the order they were written in;
/// `sourceLine` is the 0-based line of the cell the magic starts on.
public struct MagicInvocation: Sendable, Equatable {
    /// The magic's name without `%`/`%%` and without a trailing `?`.
    public var name: String
    /// The positional words, unquoted, in order.
    public var words: [String]
    /// The `key=value` pairs in the order written (duplicates kept; `MagicArguments` rejects them).
    public var keyValues: [(key: String, value: String)]
    /// The rest of the cell after a `%%name` line; nil for a line magic.
    public var body: String?
    /// Whether help was asked for (`%name?` or a bare `?` word) instead of a run.
    public var wantsHelp: Bool
    /// The 0-based line of the cell the magic starts on (error messages show it 1-based).
    public var sourceLine: Int

    /// Creates an invocation; the parser fills in words and key-values as it reads them.
    public init(
        name: String, words: [String] = [], keyValues: [(key: String, value: String)] = [],
        body: String? = nil, wantsHelp: Bool = false, sourceLine: Int = 0
    ) {
        self.name = name
        self.words = words
        self.keyValues = keyValues
        self.body = body
        self.wantsHelp = wantsHelp
        self.sourceLine = sourceLine
    }

    /// Compares all fields; tuples are not `Equatable`, so key-values compare as key and value lists.
    public static func == (a: MagicInvocation, b: MagicInvocation) -> Bool {
        a.name == b.name && a.words == b.words && a.body == b.body && a.wantsHelp == b.wantsHelp
            && a.sourceLine == b.sourceLine && a.keyValues.map(\.key) == b.keyValues.map(\.key)
            && a.keyValues.map(\.value) == b.keyValues.map(\.value)
    }
}
