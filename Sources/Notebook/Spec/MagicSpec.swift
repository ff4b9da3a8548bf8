/// The static description of a magic: the single source of its `%help`, its `%name?` page,
/// its completions and the validation of its arguments.
public struct MagicSpec: Sendable {
    /// The kind of value an option or positional takes; drives parsing and completion.
    public enum ValueKind: Sendable, Equatable {
        /// An integer, with inclusive bounds (nil: unbounded).
        case int(min: Int?, max: Int?)
        /// A finite number, with inclusive bounds (nil: unbounded).
        case double(min: Double?, max: Double?)
        /// `true` or `false`.
        case bool
        /// Any non-empty text.
        case string
        /// Comma-separated items (`a,b,c`); empty items are dropped when read.
        case list
        /// One of the listed values; a misspelling gets a suggestion.
        case choice([String])
        /// A file system path.
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
        /// The option's key, as written before `=` in `key=value`.
        public var key: String
        /// The value's kind: validates it and labels it in help (`key=int`).
        public var kind: ValueKind
        /// The value used when the key is not written, as text; shown as `(default: …)` in help.
        public var defaultValue: String?
        /// What help shows where a default would be when there is none to read (`%set seed`).
        public var defaultNote: String?
        /// Whether the invocation must write the key (usage shows it without brackets).
        public var required: Bool
        /// One line of help, shown after the option in `%name?` and `%help NAME`.
        public var help: String

        /// Creates an option; `defaultValue` is the text a typed key reads when the key is not written.
        /// With `defaultIsNote`, the text is only shown in help and never read as a value.
        public init(
            _ key: String, _ kind: ValueKind, default defaultValue: String? = nil, required: Bool = false,
            help: String, defaultIsNote: Bool = false
        ) {
            self.key = key
            self.kind = kind
            self.defaultValue = defaultIsNote ? nil : defaultValue
            self.defaultNote = defaultIsNote ? defaultValue : nil
            self.required = required
            self.help = help
        }

        /// The default as help shows it: the value, or the note that says where it comes from.
        public var shownDefault: String? { defaultValue ?? defaultNote }
    }

    /// A positional argument (`repeating`: takes all remaining words).
    public struct Positional: Sendable {
        /// The argument's name, shown upper-cased in the usage line and help (`SECONDS`).
        public var name: String
        /// The value's kind: validates each word and drives completion.
        public var kind: ValueKind
        /// Whether the argument may be left out (shown as `[NAME]`).
        public var optional: Bool
        /// Whether it takes all remaining words (shown as `NAME…`); only meaningful for the last positional.
        public var repeating: Bool
        /// One line of help, shown in help pages and in the missing-argument error.
        public var help: String

        /// Creates a positional argument.
        public init(_ name: String, _ kind: ValueKind, optional: Bool = false, repeating: Bool = false, help: String) {
            self.name = name
            self.kind = kind
            self.optional = optional
            self.repeating = repeating
            self.help = help
        }
    }

    /// The magic's name without `%`, as typed in cells and listed by `%help` and `%lsmagic`;
    /// for a method of a family, the family and the method (`train cofactor`).
    public var name: String
    /// A one-line summary, shown after the name in `%help` and at the top of the help page.
    public var abstract: String
    /// Positional arguments in the order they are written.
    public var positionals: [Positional]
    /// The `key=value` options the magic accepts.
    public var options: [Option]
    /// Whether `%%name` with a body is accepted; `bodyHelp` says what the body holds.
    public var bodyHelp: String?
    /// Extra prose for `%name?`.
    public var discussion: String
    /// Example invocations, listed under `examples:` on the help page.
    public var examples: [String]
    /// Whether keys beyond `options` are accepted (kept as text), as `%set` does for papermill.
    public var acceptsAnyKey: Bool
    /// The methods of a family (`%train glove|cofactor|…`), each its own spec; empty for a
    /// single magic. The first word of an invocation picks one (swift-argument-parser's
    /// `subcommands:`).
    public var subcommands: [MagicSpec] = []

    /// Creates a spec; everything but the name and abstract is optional.
    /// `keys` are typed declarations (`Opt.int(…)`, shared `CommonOptions`), listed after `options`.
    public init(
        name: String, abstract: String, positionals: [Positional] = [], options: [Option] = [],
        keys: [any OptionDeclaration] = [], bodyHelp: String? = nil, discussion: String = "",
        examples: [String] = [], acceptsAnyKey: Bool = false
    ) {
        self.acceptsAnyKey = acceptsAnyKey
        self.name = name
        self.abstract = abstract
        self.positionals = positionals
        self.options = options + keys.map(\.option)
        precondition(Set(self.options.map(\.key)).count == self.options.count, "%\(name) declares a key twice")
        self.bodyHelp = bodyHelp
        self.discussion = discussion
        self.examples = examples
    }

    /// A family of methods: each method's spec is named `NAME METHOD`.
    public init(family name: String, abstract: String, methods: [MagicSpec], discussion: String = "") {
        self.init(name: name, abstract: abstract, discussion: discussion)
        subcommands = methods
    }

    /// The magic as typed after `%`: the first word of `name`.
    public var magicName: String { String(name.split(separator: " ").first ?? "") }

    /// The method word of a family member (`cofactor` of `train cofactor`); nil for a magic.
    public var methodName: String? { name.contains(" ") ? String(name.split(separator: " ").last ?? "") : nil }

    /// The method called `word`, if this is a family.
    public func subcommand(_ word: String) -> MagicSpec? { subcommands.first { $0.methodName == word } }

    /// The usage line, generated: `%sleep SECONDS`, `%echo [stream=stdout|stderr] TEXT…`;
    /// a family's is `%train glove|cofactor|classifier …`.
    public var usage: String {
        if !subcommands.isEmpty {
            return "%\(name) \(subcommands.compactMap(\.methodName).joined(separator: "|")) …"
        }
        var parts = ["%\(name)"]
        for p in positionals {
            var text = p.name.uppercased() + (p.repeating ? "…" : "")
            if p.optional { text = "[\(text)]" }
            parts.append(text)
        }
        for o in options where o.required { parts.append("\(o.key)=\(o.kind.label)") }
        for o in options where !o.required { parts.append("[\(o.key)=\(o.kind.label)]") }
        var line = parts.joined(separator: " ")
        if bodyHelp != nil { line += "\n%%\(name) …  (cell magic: the rest of the cell is the body)" }
        return line
    }

    /// The option named `key`.
    public func option(_ key: String) -> Option? { options.first { $0.key == key } }
}
