import Jupyter

#if canImport(Glibc)
import Glibc
#endif

/// Tab completion for the magic language: magic names with their `%` (IPython's
/// convention), then the keys of the magic under the cursor, enumerated values, object names,
/// vocabulary words and file paths.
struct MagicCompleter {
    let session: Session
    /// Upper bound on vocabulary and path matches returned.
    let limit = 200

    func complete(_ code: String, cursor: Int) -> Completion {
        let scalarCount = code.unicodeScalars.count
        let cursor = min(max(cursor, 0), scalarCount)
        let line = CursorLine(code: code, cursor: cursor)
        if line.isOnMagicName {
            let cellMagic = line.token.hasPrefix("%%")
            let prefix = String(line.token.drop(while: { $0 == "%" }))
            let names = MagicRegistry.all
                .filter { !cellMagic || $0.spec.bodyHelp != nil }
                .map { $0.spec.name }.filter { $0.hasPrefix(prefix) }
            return Completion(matches: names.map { (cellMagic ? "%%" : "%") + $0 }, start: line.tokenStart, end: cursor)
        }
        let previousWords = line.previousTokens.filter { !$0.contains("=") }
        guard let name = line.magicName, let found = MagicRegistry.spec(named: name, words: previousWords) else {
            return Completion(matches: [], start: cursor, end: cursor)
        }
        let spec = found.spec
        if !spec.subcommands.isEmpty {
            // A family: the first word is the method; its keys come once it is written.
            guard previousWords.count == found.methodWords, !line.token.contains("=") else {
                return Completion(matches: [], start: cursor, end: cursor)
            }
            let methods = spec.subcommands.compactMap(\.methodName).filter { $0.hasPrefix(line.token) }
            return Completion(matches: methods, start: line.tokenStart, end: cursor)
        }
        if let equals = line.token.firstIndex(of: "=") {
            let key = String(line.token[..<equals])
            let prefix = String(line.token[line.token.index(after: equals)...])
            let start = line.tokenStart + line.token[...equals].unicodeScalars.count
            guard let option = spec.option(key) else { return Completion(matches: [], start: cursor, end: cursor) }
            return Completion(matches: values(of: option.kind, prefix: prefix), start: start, end: cursor)
        }
        let used = Set(line.previousTokens.filter { $0.contains("=") }.compactMap { $0.split(separator: "=").first.map(String.init) })
        var matches = spec.options.map { $0.key + "=" }.filter { $0.hasPrefix(line.token) && !used.contains(String($0.dropLast())) }
        let positionalIndex = previousWords.count - found.methodWords
        if let positional = spec.positionals.indices.contains(positionalIndex)
            ? spec.positionals[positionalIndex]
            : (spec.positionals.last?.repeating == true ? spec.positionals.last : nil)
        {
            matches = values(of: positional.kind, prefix: line.token) + matches
        }
        return Completion(matches: matches, start: line.tokenStart, end: cursor)
    }

    /// Candidate values of a kind that start with `prefix`.
    func values(of kind: MagicSpec.ValueKind, prefix: String) -> [String] {
        switch kind {
        case .choice(let options): return options.filter { $0.hasPrefix(prefix) }
        case .bool: return ["true", "false"].filter { $0.hasPrefix(prefix) }
        case .object: return session.order.filter { $0.hasPrefix(prefix) }
        case .magicName: return MagicRegistry.all.map { $0.spec.name }.filter { $0.hasPrefix(prefix) }
        case .word: return session.vocabularyWords(prefix: prefix, limit: limit)
        case .path: return paths(prefix: prefix)
        case .int, .double, .string, .list: return []
        }
    }

    /// Files and directories matching `prefix` (relative to the kernel's working directory,
    /// `~/` expanded); directories end in `/`; hidden entries only when asked for with `.`.
    func paths(prefix: String) -> [String] {
        let slash = prefix.lastIndex(of: "/")
        let directoryPart = slash.map { String(prefix[...$0]) } ?? ""
        let namePrefix = slash.map { String(prefix[prefix.index(after: $0)...]) } ?? prefix
        var directory = directoryPart.isEmpty ? "." : directoryPart
        if directory.hasPrefix("~/"), let home = getenv("HOME") { directory = String(cString: home) + directory.dropFirst() }
        guard let handle = opendir(directory) else { return [] }
        defer { closedir(handle) }
        var results: [String] = []
        while let entry = readdir(handle), results.count < limit {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            guard name != ".", name != "..", name.hasPrefix(namePrefix) else { continue }
            if name.hasPrefix("."), !namePrefix.hasPrefix(".") { continue }
            var isDirectory = entry.pointee.d_type == UInt8(DT_DIR)
            if entry.pointee.d_type == UInt8(DT_LNK) || entry.pointee.d_type == UInt8(DT_UNKNOWN) {
                var info = stat()
                isDirectory = stat(directory + "/" + name, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
            }
            results.append(directoryPart + name + (isDirectory ? "/" : ""))
        }
        return results.sorted()
    }
}
