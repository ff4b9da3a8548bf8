/// `$name` and `${name}` in a magic's words and values are replaced by the session setting of
/// that name (`%set name=…`, or a papermill parameter), so parameters reach the magics:
/// `%load corpus c path=data/$lang.txt.gz lang=$lang`. `$$` writes a literal `$`; a cell
/// magic's body is never substituted.
enum SettingSubstitution {
    /// `invocation` with its words and values substituted from `settings`.
    static func apply(_ invocation: MagicInvocation, settings: Settings) throws(MagicError) -> MagicInvocation {
        var result = invocation
        guard invocation.words.contains(where: { $0.contains("$") }) || invocation.keyValues.contains(where: { $0.value.contains("$") })
        else { return result }
        result.words = try invocation.words.map { word throws(MagicError) in
            try substitute(word, settings: settings, magic: invocation.name)
        }
        result.keyValues = try invocation.keyValues.map { pair throws(MagicError) in
            (pair.key, try substitute(pair.value, settings: settings, magic: invocation.name))
        }
        return result
    }

    /// One text with every `$name` / `${name}` replaced; an unknown name is an error that says
    /// how to set it.
    static func substitute(_ text: String, settings: Settings, magic: String) throws(MagicError) -> String {
        guard text.contains("$") else { return text }
        var out = ""
        var rest = Substring(text)
        while let dollar = rest.firstIndex(of: "$") {
            out += rest[..<dollar]
            var after = rest[rest.index(after: dollar)...]
            if after.first == "$" {
                out += "$"
                rest = after.dropFirst()
                continue
            }
            let braced = after.first == "{"
            if braced { after = after.dropFirst() }
            let name = after.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            guard !name.isEmpty, !(name.first?.isNumber ?? false), !braced || after.dropFirst(name.count).first == "}" else {
                throw MagicError.failed(
                    magic: magic, message: "`\(text)`: `$` must start a setting such as `$lang` or `${lang}` (write `$$` for a literal `$`)"
                )
            }
            guard let value = settings.value(String(name)) else {
                throw MagicError.failed(
                    magic: magic,
                    message: "`\(text)` uses `$\(name)`, but no setting `\(name)` exists; set it with `%set \(name)=…` "
                        + "(or as a papermill parameter)")
            }
            out += value
            rest = after.dropFirst(name.count + (braced ? 1 : 0))
        }
        return out + rest
    }
}
