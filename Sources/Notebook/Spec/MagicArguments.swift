/// The arguments of one invocation, checked against the magic's spec: unknown keys,
/// missing positionals and ill-typed values are usage errors that name the problem.
public struct MagicArguments: Sendable {
    /// The spec the arguments were checked against; supplies option defaults.
    public let spec: MagicSpec
    /// The positional words, validated against the spec's positionals.
    public let words: [String]
    /// The `key=value` options as written (no defaults filled in; the typed subscripts add them).
    public let values: [String: String]
    /// The body of a `%%name` cell magic; nil for a line magic.
    public let body: String?

    /// Validates an invocation against `spec`.
    public init(_ invocation: MagicInvocation, spec: MagicSpec) throws(MagicError) {
        self.spec = spec
        var values: [String: String] = [:]
        for (key, value) in invocation.keyValues {
            guard let option = spec.option(key) else {
                if spec.acceptsAnyKey, MagicParser.isName(key) {
                    guard values[key] == nil else {
                        throw MagicError.usage(magic: spec.name, message: "`\(key)=` is given twice", usage: spec.usage)
                    }
                    values[key] = value
                    continue
                }
                let hint = Suggestion.closest(to: key, in: spec.options.map(\.key)).map { "; did you mean `\($0)=`?" } ?? ""
                let valid =
                    spec.options.isEmpty
                    ? "it takes no key=value options" : "valid keys: " + spec.options.map(\.key).joined(separator: ", ")
                throw MagicError.usage(magic: spec.name, message: "unknown key `\(key)`\(hint) (\(valid))", usage: spec.usage)
            }
            guard values[key] == nil else {
                throw MagicError.usage(magic: spec.name, message: "`\(key)=` is given twice", usage: spec.usage)
            }
            try Self.validate(value, kind: option.kind, what: "`\(key)=`", spec: spec)
            values[key] = value
        }
        for option in spec.options where option.required && values[option.key] == nil {
            throw MagicError.usage(
                magic: spec.name, message: "missing \(option.key)=\(option.kind.label) (\(option.help))",
                usage: spec.usage)
        }
        let required = spec.positionals.filter { !$0.optional }.count
        let takesAll = spec.positionals.last?.repeating == true
        if invocation.words.count < required {
            let missing = spec.positionals.filter { !$0.optional }[invocation.words.count]
            throw MagicError.usage(magic: spec.name, message: "missing \(missing.name.uppercased()) (\(missing.help))", usage: spec.usage)
        }
        if !takesAll, invocation.words.count > spec.positionals.count {
            let extra = invocation.words[spec.positionals.count]
            let looksLikeKey = extra.contains("=") ? " (key=value options need a name made of letters, digits and _)" : ""
            throw MagicError.usage(magic: spec.name, message: "unexpected argument `\(extra)`\(looksLikeKey)", usage: spec.usage)
        }
        for (i, word) in invocation.words.enumerated() {
            let positional = spec.positionals[min(i, spec.positionals.count - 1)]
            try Self.validate(word, kind: positional.kind, what: positional.name.uppercased(), spec: spec)
        }
        if invocation.body != nil, spec.bodyHelp == nil {
            throw MagicError.usage(
                magic: spec.name,
                message: """
                    is a line magic; write `%\(spec.name)`, not `%%\(spec.name)`
                    """, usage: spec.usage)
        }
        self.words = invocation.words
        self.values = values
        self.body = invocation.body
    }

    static func validate(_ value: String, kind: MagicSpec.ValueKind, what: String, spec: MagicSpec) throws(MagicError) {
        func fail(_ message: String) -> MagicError { .usage(magic: spec.name, message: "\(what) \(message)", usage: spec.usage) }
        switch kind {
        case .int(let low, let high):
            guard let number = Int(value) else { throw fail("must be a whole number, not `\(value)`") }
            if let low, number < low { throw fail("must be ≥ \(low), not \(number)") }
            if let high, number > high { throw fail("must be ≤ \(high), not \(number)") }
        case .double(let low, let high):
            guard let number = Double(value), number.isFinite else { throw fail("must be a finite number, not `\(value)`") }
            if let low, number < low { throw fail("must be ≥ \(low), not \(value)") }
            if let high, number > high { throw fail("must be ≤ \(high), not \(value)") }
        case .bool:
            guard value == "true" || value == "false" else { throw fail("must be true or false, not `\(value)`") }
        case .choice(let options):
            guard options.contains(value) else {
                let hint = Suggestion.closest(to: value, in: options).map { "; did you mean `\($0)`?" } ?? ""
                throw fail("must be one of \(options.joined(separator: ", ")), not `\(value)`\(hint)")
            }
        case .string, .list, .path, .object, .magicName, .word:
            guard !value.isEmpty else { throw fail("must not be empty") }
        }
    }

    /// The value of a typed key: what was written, else its default. A required key is always
    /// written (init checks it); reading a key the spec does not declare is a programming error.
    public subscript<Value>(key: Key<Value>) -> Value {
        precondition(spec.option(key.option.key) != nil, "%\(spec.name) reads `\(key.option.key)=`, which its spec does not declare")
        if let text = values[key.option.key], let value = Value(optionText: text) { return value }
        guard let value = key.defaultValue else { preconditionFailure("required `\(key.option.key)=` was not checked") }
        return value
    }

    /// The value of an optional typed key, or nil when it is not written.
    public subscript<Value>(key: OptionalKey<Value>) -> Value? {
        precondition(spec.option(key.option.key) != nil, "%\(spec.name) reads `\(key.option.key)=`, which its spec does not declare")
        return values[key.option.key].flatMap { Value(optionText: $0) }
    }

    /// Whether the typed key was written explicitly.
    public func has(_ key: some OptionDeclaration) -> Bool { values[key.option.key] != nil }

    /// A usage error of this invocation's magic (or method), with its usage line.
    public func usageError(_ message: String) -> MagicError {
        .usage(magic: spec.name, message: message, usage: spec.usage)
    }

    /// Whether `key` was written explicitly (`%set`'s free keys).
    public func has(_ key: String) -> Bool { values[key] != nil }
}
