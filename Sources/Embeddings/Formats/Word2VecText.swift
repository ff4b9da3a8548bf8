#if canImport(Glibc)
import Glibc
#endif

/// The word2vec / fastText text format: a header line `COUNT DIM`, then one row per word,
/// `word v1 … vDIM`, separated by spaces (trailing blanks tolerated).
public enum Word2VecText {
    /// Loads a text vector file (plain or gzip), streaming rows straight into one
    /// preallocated `rows × dim` fp32 buffer (the header count, capped by `max`).
    ///
    /// - Parameters:
    ///   - path: the `.vec` / `.txt` file, optionally gzip-compressed.
    ///   - max: keep at most this many words (the most frequent, as files are sorted); nil reads all.
    ///   - lowercase: lowercase the words; a word seen again after lowercasing is skipped, so
    ///     the first (most frequent) spelling's vector is kept (MUSE/VecMap behaviour).
    ///   - language: the space's language tag.
    /// - Returns: the space (`vectors` is `rowsKept × dim`) and what was read.
    /// - Throws: `FormatError` naming the file and line: missing header, ragged rows, non-UTF-8
    ///   words, non-numeric or non-finite values, more rows than the header says.
    public static func load(
        path: String, max: Int? = nil, lowercase: Bool = false,
        language: String? = nil
    ) throws(FormatError) -> (EmbeddingSpace, LoadReport) {
        let reader = try LineReader(path: path)
        let header = try readVectorHeader(reader, path: path, max: max, kind: "word2vec/fastText text")
        let dim = header.dimension
        let capacityRows = header.plannedRows
        var words = KeptWords(lowercase: lowercase)
        var rowsInFile = 0
        var zeroVectors = 0
        var stoppedAtMax = false
        var failure: FormatError?
        let parser = DecimalParser()

        let storage = [Float](unsafeUninitializedCapacity: Swift.max(capacityRows * dim, 1)) { buffer, initialized in
            initialized = 0
            guard let base = buffer.baseAddress else { return }
            do throws(FormatError) {
                while true {
                    if let max, words.vocabulary.count >= max {
                        stoppedAtMax = true
                        break
                    }
                    let kept = words.vocabulary.count
                    guard
                        let more = try reader.withNextLine({ line throws(FormatError) -> Bool in
                            guard let bytes = line.baseAddress, !line.isEmpty else { return true }
                            // The word: everything before the first space.
                            var wordEnd = 0
                            while wordEnd < line.count && bytes[wordEnd] != 0x20 { wordEnd += 1 }
                            if wordEnd == 0 {
                                var i = 0
                                while i < line.count && (bytes[i] == 0x20 || bytes[i] == 0x09) { i += 1 }
                                if i == line.count { return true } // a blank line
                                throw FormatError(
                                    file: path, line: reader.lineNumber, problem: "the row starts with a space (no word)",
                                    fix: "remove the leading space or the row")
                            }
                            guard kept < capacityRows else {
                                throw FormatError(
                                    file: path, line: reader.lineNumber,
                                    problem: "more rows than the header's count \(header.count)",
                                    fix: "fix the first line to the real number of rows")
                            }
                            let row = base + kept * dim
                            var count = 0
                            var i = wordEnd
                            while true {
                                while i < line.count && (bytes[i] == 0x20 || bytes[i] == 0x09) { i += 1 }
                                if i == line.count { break }
                                let tokenStart = i
                                while i < line.count && bytes[i] != 0x20 && bytes[i] != 0x09 { i += 1 }
                                guard let value = parser.parse(bytes, from: tokenStart, to: i) else {
                                    throw FormatError(
                                        file: path, line: reader.lineNumber,
                                        problem: """
                                            value \(count + 1) \
                                            '\(FormatError.preview(UnsafeBufferPointer(rebasing: line[tokenStart..<i])))' is not \
                                            a number
                                            """,
                                        fix: "fix or remove the row")
                                }
                                guard value.isFinite else {
                                    throw FormatError(
                                        file: path, line: reader.lineNumber,
                                        problem: """
                                            value \(count + 1) \
                                            '\(FormatError.preview(UnsafeBufferPointer(rebasing: line[tokenStart..<i])))' is not \
                                            finite
                                            """,
                                        fix: "fix or remove the row (NaN and infinity break every similarity)")
                                }
                                if count < dim { row[count] = value }
                                count += 1
                            }
                            let word = try reader.decode(UnsafeBufferPointer(rebasing: line[0..<wordEnd]))
                            guard count == dim else {
                                throw FormatError(
                                    file: path, line: reader.lineNumber,
                                    problem: "'\(word)' has \(count) values, expected \(dim) (from the header)",
                                    fix: "every row needs the word and exactly \(dim) numbers; fix the row or the header")
                            }
                            rowsInFile += 1
                            if words.admit(word) {
                                var allZero = true
                                for j in 0..<dim where row[j] != 0 {
                                    allZero = false
                                    break
                                }
                                if allZero { zeroVectors += 1 }
                            }
                            return true
                        })
                    else { break }
                    _ = more
                }
            } catch {
                failure = error
            }
            initialized = words.vocabulary.count * dim
        }
        if let failure { throw failure }
        let rows = words.vocabulary.count
        let report = LoadReport(
            path: path, format: "word2vec text", rowsKept: rows, dimension: dim,
            headerCount: header.count, rowsInFile: rowsInFile,
            duplicatesSkipped: words.duplicates, zeroVectors: zeroVectors, stoppedAtMax: stoppedAtMax)
        return (try makeSpace(words.vocabulary, storage, rows: rows, dim: dim, language: language, path: path), report)
    }

    /// The rows to preallocate: the header count capped by `max`; throws when that would not
    /// fit in memory.
    static func plannedRows(header: Int, dim: Int, max: Int?, path: String) throws(FormatError) -> Int {
        let rows = Swift.max(0, Swift.min(header, max ?? header))
        let bytes = rows.multipliedReportingOverflow(by: dim * 4)
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), pageSize = sysconf(Int32(_SC_PAGESIZE))
        let memory = pages > 0 && pageSize > 0 ? pages * pageSize : Int.max
        if bytes.overflow || bytes.partialValue > memory {
            throw FormatError(
                file: path, line: 1,
                problem: "the header announces \(header) × \(dim) values, more than this machine's memory",
                fix: "pass max to load only the most frequent words, or check the header")
        }
        return rows
    }

    /// Wraps loaded rows in a space (the shapes agree by construction).
    static func makeSpace(
        _ vocabulary: Vocabulary, _ storage: [Float], rows: Int, dim: Int,
        language: String?, path: String
    ) throws(FormatError) -> EmbeddingSpace {
        do {
            let matrix = try Matrix(rows: rows, cols: dim, values: storage)
            return try EmbeddingSpace(vocabulary: vocabulary, vectors: matrix, language: language)
        } catch {
            throw FormatError(file: path, problem: "internal shape mismatch: \(error.description)")
        }
    }
}
