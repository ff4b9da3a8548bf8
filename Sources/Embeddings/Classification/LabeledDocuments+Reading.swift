extension LabeledDocuments {
    /// How labelled documents are written, one document per line.
    public enum Format: String, Sendable, CaseIterable {
        /// `label<TAB>text`, no header.
        case tsv
        /// SIB-200 (Adelani et al. 2023): a header `index_id<TAB>category<TAB>text`, then one
        /// row per sentence; the `category` and `text` columns are found by name.
        case sib200
    }

    /// Reads labelled documents from `path` (plain or .gz), tokenizing each text with
    /// `tokenizer`. With `format` nil the format is detected: a first line holding `category`
    /// and `text` columns is a SIB-200 header, anything else is `label<TAB>text`.
    ///
    /// Blank lines are skipped. Throws a `FormatError` naming the file and line for a row
    /// without a label and text, an empty label, a missing SIB-200 header, invalid UTF-8, or a
    /// file without any labelled document.
    public static func read(
        path: String, language: String, format: Format? = nil,
        tokenizer: Tokenizer = Tokenizer()
    ) throws(FormatError) -> LabeledDocuments {
        let reader = try LineReader(path: path)
        var parser = Parser(file: path, format: format, tokenizer: tokenizer)
        while let line = try reader.nextLine() {
            try parser.take(line, number: reader.lineNumber)
        }
        return try parser.finish(language: language)
    }

    /// Parses labelled documents from text (a `%%labeled` cell body); `name` stands for the
    /// file in error messages. Same rules as `read(path:…)`.
    public static func parse(
        _ text: String, name: String, language: String, format: Format? = nil,
        tokenizer: Tokenizer = Tokenizer()
    ) throws(FormatError) -> LabeledDocuments {
        var parser = Parser(file: name, format: format, tokenizer: tokenizer)
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.hasSuffix("\r") ? line.dropLast() : line
            try parser.take(String(trimmed), number: i + 1)
        }
        return try parser.finish(language: language)
    }

    /// The SIB-200 header row.
    public static let sib200Header = "index_id\tcategory\ttext"

    /// A line-by-line reader of either format.
    struct Parser {
        let file: String
        var format: Format?
        let tokenizer: Tokenizer
        /// For SIB-200: the column of the label and of the text, from the header.
        var labelColumn = 0, textColumn = 1, headerColumns = 2
        var sawHeader = false
        var examples: [(label: String, tokens: [String])] = []

        init(file: String, format: Format?, tokenizer: Tokenizer) {
            self.file = file
            self.format = format
            self.tokenizer = tokenizer
        }

        mutating func take(_ line: String, number: Int) throws(FormatError) {
            guard line.contains(where: { !$0.isWhitespace }) else { return }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            if !sawHeader {
                sawHeader = true
                let isHeader = fields.contains("category") && fields.contains("text")
                if format == nil { format = isHeader ? .sib200 : .tsv }
                if format == .sib200 {
                    guard let label = fields.firstIndex(of: "category"), let text = fields.firstIndex(of: "text") else {
                        throw FormatError(
                            file: file, line: number,
                            problem: """
                                expected the SIB-200 header '\(LabeledDocuments.sib200Header.replacingTabs)', found '\(line.prefix(60))'
                                """,
                            fix: """
                                SIB-200 files start with a header naming the category and text columns; for label<TAB>text \
                                rows use format=tsv
                                """)
                    }
                    labelColumn = label
                    headerColumns = fields.count
                    textColumn = text
                    return
                }
                if isHeader {
                    throw FormatError(
                        file: file, line: number,
                        problem: """
                            starts with a header ('\(line.replacingTabs)') but format=tsv has none
                            """,
                        fix: "use format=sib200, or drop the header line")
                }
            }
            guard fields.count >= 2 else {
                throw FormatError(
                    file: file, line: number,
                    problem: """
                        expected a label and a text separated by a tab, found '\(line.prefix(60))'
                        """,
                    fix: format == .sib200
                        ? """
                        rows have the header's columns (\(LabeledDocuments.sib200Header.replacingTabs))
                        """ : "write label<TAB>text, one document per line")
            }
            let label: String, text: String
            if format == .sib200 {
                guard fields.count > max(labelColumn, textColumn) else {
                    throw FormatError(
                        file: file, line: number,
                        problem: """
                            has \(fields.count) columns, the header has \(max(labelColumn, textColumn) + 1) or more
                            """,
                        fix: "every row needs the header's columns (\(LabeledDocuments.sib200Header.replacingTabs))")
                }
                label = fields[labelColumn]
                // Tabs inside a last-column text land in extra fields; they belong to the text.
                text = textColumn == headerColumns - 1 ? fields[textColumn...].joined(separator: "\t") : fields[textColumn]
            } else {
                label = fields[0]
                text = fields[1...].joined(separator: "\t")
            }
            let trimmedLabel = label.trimmingCharacters(in: " ")
            guard !trimmedLabel.isEmpty else {
                throw FormatError(file: file, line: number, problem: "the label is empty", fix: "every document needs a label")
            }
            examples.append((trimmedLabel, tokenizer.tokens(text)))
        }

        func finish(language: String) throws(FormatError) -> LabeledDocuments {
            guard let documents = LabeledDocuments(language: language, examples: examples) else {
                throw FormatError(
                    file: file,
                    problem: sawHeader ? "holds a header but no labelled document" : "holds no labelled document (the file is empty)",
                    fix: "give one document per line: label<TAB>text, or a SIB-200 TSV with its header")
            }
            return documents
        }
    }
}

extension String {
    /// The string with tabs shown as `<TAB>`, for error messages.
    fileprivate var replacingTabs: String { split(separator: "\t", omittingEmptySubsequences: false).joined(separator: "<TAB>") }

    /// The string without leading and trailing occurrences of `character`.
    fileprivate func trimmingCharacters(in character: Character) -> String {
        var slice = Substring(self)
        while slice.first == character { slice = slice.dropFirst() }
        while slice.last == character { slice = slice.dropLast() }
        return String(slice)
    }
}
