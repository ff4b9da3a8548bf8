/// The text formats of bilingual dictionaries, one pair per line (blank lines skipped).
public enum DictionaryFormat: String, Sendable, CaseIterable {
    /// `source<TAB>target` (xling-eval / Glavaš et al.).
    case tsv
    /// `source target`, separated by blanks (MUSE).
    case muse
    /// `target @ source` (hunalign; the MUSE-full dictionaries) — swapped to (source, target).
    case at
    /// Decided from the first non-blank line: contains ` @ ` → `at`; a tab → `tsv`; else `muse`.
    case auto

    /// The concrete format for a first line under `.auto` (self otherwise).
    func resolved(forFirstLine line: Substring) -> DictionaryFormat {
        guard self == .auto else { return self }
        if line.contains(" @ ") { return .at }
        if line.contains("\t") { return .tsv }
        return .muse
    }

    /// The pair on one non-blank line, or nil when the fields do not fit the format.
    func pair(_ line: Substring) -> BilingualDictionary.Pair? {
        switch self {
        case .tsv:
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(DictionaryFormat.trimmed)
            guard fields.count == 2, !fields[0].isEmpty, !fields[1].isEmpty else { return nil }
            return BilingualDictionary.Pair(source: String(fields[0]), target: String(fields[1]))
        case .muse, .auto:
            let fields = line.split(whereSeparator: DictionaryFormat.isBlank)
            guard fields.count == 2 else { return nil }
            return BilingualDictionary.Pair(source: String(fields[0]), target: String(fields[1]))
        case .at:
            let fields = line.split(whereSeparator: DictionaryFormat.isBlank)
            guard fields.count == 3, fields[1] == "@" else { return nil }
            return BilingualDictionary.Pair(source: String(fields[2]), target: String(fields[0]))
        }
    }

    /// What a line of this format looks like, for error messages.
    var shape: String {
        switch self {
        case .tsv: "'source<TAB>target'"
        case .muse, .auto: "'source target' (two words separated by blanks)"
        case .at: "'target @ source'"
        }
    }

    static func isBlank(_ c: Character) -> Bool { c == " " || c == "\t" || c == "\u{0B}" || c == "\u{0C}" || c == "\r" }

    static func trimmed(_ s: Substring) -> Substring {
        var t = s
        while let c = t.first, isBlank(c) { t = t.dropFirst() }
        while let c = t.last, isBlank(c) { t = t.dropLast() }
        return t
    }
}

extension BilingualDictionary {
    /// Loads a dictionary file (plain or gzip) in `format`.
    ///
    /// - Throws: `FormatError` for a missing file, a non-UTF-8 line, a line that does not
    ///   fit the format (with its line number), or a file without pairs.
    public static func load(path: String, format: DictionaryFormat = .auto) throws(FormatError) -> BilingualDictionary {
        let reader = try LineReader(path: path)
        var parser = LineParser(name: path, format: format)
        while let line = try reader.nextLine() {
            try parser.consume(Substring(line), lineNumber: reader.lineNumber)
        }
        return try parser.finish()
    }

    /// Parses dictionary text held in memory (e.g. a `%%dict` cell); `name` stands for the
    /// file in error messages.
    public static func parse(
        _ text: String, format: DictionaryFormat = .auto,
        name: String = "dictionary text"
    ) throws(FormatError) -> BilingualDictionary {
        var parser = LineParser(name: name, format: format)
        var number = 0
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            number += 1
            try parser.consume(line, lineNumber: number)
        }
        return try parser.finish()
    }

    /// Parses lines one at a time, fixing the format at the first non-blank line.
    struct LineParser {
        let name: String
        var format: DictionaryFormat
        var dictionary = BilingualDictionary()

        init(name: String, format: DictionaryFormat) {
            self.name = name
            self.format = format
        }

        mutating func consume(_ line: Substring, lineNumber: Int) throws(FormatError) {
            if line.allSatisfy(DictionaryFormat.isBlank) { return }
            let requested = format
            format = format.resolved(forFirstLine: line)
            guard let pair = format.pair(line) else {
                let shown = line.count > 60 ? line.prefix(60) + "…" : line
                throw FormatError(
                    file: name, line: lineNumber,
                    problem: "expected \(format.shape), found '\(shown)'",
                    fix: requested == .auto
                        ? """
                        the format was detected as \(format.rawValue) from the first line; make every line follow it or \
                        give the format explicitly
                        """
                        : "make every line follow the \(format.rawValue) format or pick another format")
            }
            dictionary.insert(pair)
        }

        func finish() throws(FormatError) -> BilingualDictionary {
            guard !dictionary.isEmpty else {
                throw FormatError(
                    file: name, problem: "no pairs in \(FormatError.displayName(name))",
                    fix: "a dictionary needs at least one 'source target' line")
            }
            return dictionary
        }
    }
}
