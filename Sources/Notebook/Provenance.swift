/// How an object was made: the invocation as the user typed it and every option's value.
public struct Provenance: Sendable {
    /// One option of the running magic and the value it ran with.
    public struct Option: Sendable, Equatable {
        /// The key, as written before `=`.
        public var key: String
        /// The value written, or the default (or its note, such as `%set seed`).
        public var value: String
        /// Whether the user wrote the key.
        public var written: Bool
    }

    /// `%name words… key=value…` as typed (values quoted where they need it); a cell magic
    /// adds the number of body lines.
    public var command: String
    /// Every declared option in spec order.
    public var options: [Option]

    /// The provenance of an invocation checked against its spec.
    public init(_ invocation: MagicInvocation, arguments: MagicArguments) {
        func quoted(_ text: String) -> String {
            let plain = !text.isEmpty && !text.contains(where: { $0 == " " || $0 == "\t" || $0 == "\"" })
            guard !plain else { return text }
            var out = "\""
            for character in text {
                if character == "\"" || character == "\\" { out.append("\\") }
                out.append(character)
            }
            return out + "\""
        }
        let spec = arguments.spec
        var parts = [(invocation.body == nil ? "%" : "%%") + spec.name]
        parts += invocation.words.map(quoted)
        parts += invocation.keyValues.map { "\($0.key)=\(quoted($0.value))" }
        command = parts.joined(separator: " ")
        if let body = invocation.body {
            let lines = body.split(separator: "\n", omittingEmptySubsequences: true).count
            command += " (\(lines) body line\(lines == 1 ? "" : "s"))"
        }
        options = spec.options.map { option in
            let written = arguments.values[option.key]
            return Option(key: option.key, value: written ?? option.shownDefault ?? "—", written: written != nil)
        }
    }
}
