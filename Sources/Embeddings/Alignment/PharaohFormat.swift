/// Word-alignment text files, one sentence pair per line, links separated by whitespace:
///
/// - Pharaoh / Moses / fast_align: `i-j`, 0-based source position `i`, target position `j`
///   (`0-0 1-2 2-1`). What `%save` writes for an alignment.
/// - WPT 2003 / awesome-align gold (`enfr.gold`): 1-based, `i-j` a sure link, `ipj` a possible
///   link (`1-1 2p3`).
///
/// Both are read by one parser: `-` marks a sure link, `p` (or `?`) a possible one; an empty
/// line is a sentence without links.
public enum PharaohFormat {
    /// The Pharaoh text of `alignment`: one line per sentence pair, links sorted, `\n` after each.
    public static func text(_ alignment: WordAlignment) -> String {
        var out = ""
        for links in alignment.sentences {
            out += links.map { "\($0.source)-\($0.target)" }.joined(separator: " ")
            out += "\n"
        }
        return out
    }

    /// The sure and possible links of one line, or a description of the first bad token.
    /// Positions are returned 0-based (`oneBased` subtracts 1 on reading).
    public static func parse(_ line: Substring, oneBased: Bool) -> Result<(sure: [AlignmentLink], possible: [AlignmentLink]), LineError> {
        var sure: [AlignmentLink] = [], possible: [AlignmentLink] = []
        let shift: Int32 = oneBased ? 1 : 0
        for token in line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }) {
            guard let mark = token.firstIndex(where: { $0 == "-" || $0 == "p" || $0 == "?" }),
                let i = Int32(token[..<mark]), let j = Int32(token[token.index(after: mark)...]),
                i - shift >= 0, j - shift >= 0
            else {
                return .failure(LineError(token: String(token)))
            }
            let link = AlignmentLink(source: i - shift, target: j - shift)
            if token[mark] == "-" { sure.append(link) } else { possible.append(link) }
        }
        return .success((sure, possible))
    }

    /// A token that is not a link.
    public struct LineError: Error, Sendable {
        /// The offending token.
        public var token: String
    }

    /// Reads a Pharaoh (0-based) or WPT (`oneBased`) file, plain or gzip: the sure links and
    /// the possible links (a superset of the sure ones) per line. Throws naming the file, the
    /// line and the token when a token is not `i-j` / `ipj`, or when a 1-based file holds a 0.
    public static func read(path: String, oneBased: Bool) throws(FormatError) -> (sure: WordAlignment, possible: WordAlignment) {
        let reader = try LineReader(path: path)
        var sure: [[AlignmentLink]] = [], possible: [[AlignmentLink]] = []
        while let line = try reader.nextLine() {
            switch parse(line[...], oneBased: oneBased) {
            case .success(let links):
                sure.append(links.sure)
                possible.append(links.sure + links.possible)
            case .failure(let error):
                throw FormatError(
                    file: path, line: reader.lineNumber,
                    problem: "'\(error.token)' is not a link",
                    fix: oneBased
                        ? "WPT gold links are 1-based `i-j` (sure) or `ipj` (possible)"
                        : "Pharaoh links are 0-based `i-j`")
            }
        }
        return (WordAlignment(sentences: sure), WordAlignment(sentences: possible))
    }
}
