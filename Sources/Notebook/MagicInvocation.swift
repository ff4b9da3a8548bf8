/// One parsed magic: `%name words… key=value…`, or a `%%name …` cell magic with its body.
///
/// Invariants: `name` is non-empty; `keyValues` keep the order they were written in;
/// `sourceLine` is the 0-based line of the cell the magic starts on.
public struct MagicInvocation: Sendable, Equatable {
    public var name: String
    public var words: [String]
    public var keyValues: [(key: String, value: String)]
    public var body: String?
    public var wantsHelp: Bool
    public var sourceLine: Int

    public init(name: String, words: [String] = [], keyValues: [(key: String, value: String)] = [],
                body: String? = nil, wantsHelp: Bool = false, sourceLine: Int = 0) {
        self.name = name
        self.words = words
        self.keyValues = keyValues
        self.body = body
        self.wantsHelp = wantsHelp
        self.sourceLine = sourceLine
    }

    public static func == (a: MagicInvocation, b: MagicInvocation) -> Bool {
        a.name == b.name && a.words == b.words && a.body == b.body && a.wantsHelp == b.wantsHelp
            && a.sourceLine == b.sourceLine && a.keyValues.map(\.key) == b.keyValues.map(\.key)
            && a.keyValues.map(\.value) == b.keyValues.map(\.value)
    }
}
