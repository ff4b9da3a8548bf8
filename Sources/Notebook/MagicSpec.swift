/// The static description of a magic: the single source of its `%help`, its `%name?` page,
/// its completions and the validation of its arguments.
public struct MagicSpec: Sendable {
    /// The kind of value an option or positional takes; drives parsing and completion.
    public enum ValueKind: Sendable, Equatable {
        case int(min: Int?, max: Int?)
        case double(min: Double?, max: Double?)
        case bool
        case string
        case list
        case choice([String])
        case path
        /// The name of an object in the session.
        case object
        /// The name of a magic.
        case magicName
        /// A word of a loaded vocabulary.
        case word

        /// How the kind is named in help text.
        public var label: String {
            switch self {
            case .int: return "int"
            case .double: return "number"
            case .bool: return "true|false"
            case .string: return "text"
            case .list: return "a,b,…"
            case .choice(let values): return values.joined(separator: "|")
            case .path: return "path"
            case .object: return "name"
            case .magicName: return "magic"
            case .word: return "word"
            }
        }
    }

    /// A `key=value` option.
    public struct Option: Sendable {
        public var key: String
        public var kind: ValueKind
        public var defaultValue: String?
        public var help: String

        public init(_ key: String, _ kind: ValueKind, default defaultValue: String? = nil, help: String) {
            self.key = key
            self.kind = kind
            self.defaultValue = defaultValue
            self.help = help
        }
    }

    /// A positional argument (`repeating`: takes all remaining words).
    public struct Positional: Sendable {
        public var name: String
        public var kind: ValueKind
        public var optional: Bool
        public var repeating: Bool
        public var help: String

        public init(_ name: String, _ kind: ValueKind, optional: Bool = false, repeating: Bool = false, help: String) {
            self.name = name
            self.kind = kind
            self.optional = optional
            self.repeating = repeating
            self.help = help
        }
    }

    public var name: String
    public var abstract: String
    public var positionals: [Positional]
    public var options: [Option]
    /// Whether `%%name` with a body is accepted; `bodyHelp` says what the body holds.
    public var bodyHelp: String?
    /// Extra prose for `%name?`.
    public var discussion: String
    public var examples: [String]
    /// Whether keys beyond `options` are accepted (kept as text), as `%set` does for papermill.
    public var acceptsAnyKey: Bool

    public init(name: String, abstract: String, positionals: [Positional] = [], options: [Option] = [],
                bodyHelp: String? = nil, discussion: String = "", examples: [String] = [], acceptsAnyKey: Bool = false) {
        self.acceptsAnyKey = acceptsAnyKey
        self.name = name
        self.abstract = abstract
        self.positionals = positionals
        self.options = options
        self.bodyHelp = bodyHelp
        self.discussion = discussion
        self.examples = examples
    }

    /// The usage line, generated: `%sleep SECONDS`, `%echo [stream=stdout|stderr] TEXT…`.
    public var usage: String {
        var parts = ["%\(name)"]
        for p in positionals {
            var text = p.name.uppercased() + (p.repeating ? "…" : "")
            if p.optional { text = "[\(text)]" }
            parts.append(text)
        }
        for o in options { parts.append("[\(o.key)=\(o.kind.label)]") }
        var line = parts.joined(separator: " ")
        if bodyHelp != nil { line += "\n%%\(name) …  (cell magic: the rest of the cell is the body)" }
        return line
    }

    /// The option named `key`.
    public func option(_ key: String) -> Option? { options.first { $0.key == key } }
}
