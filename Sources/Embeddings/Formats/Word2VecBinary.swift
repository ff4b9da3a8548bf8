/// The word2vec binary format: a header line `COUNT DIM\n`, then per word the word's UTF-8
/// bytes, a space, `DIM` little-endian fp32 values, and (optionally) a newline.
public enum Word2VecBinary {
    /// Loads a binary vector file (plain or gzip) into one preallocated `rows × dim` buffer.
    ///
    /// `max`, `lowercase` and `language` work as in `Word2VecText.load`. A file that ends
    /// cleanly before the header's count is shrunk (see `LoadReport.isShorterThanHeader`);
    /// one that ends inside a vector is an error.
    public static func load(
        path: String, max: Int? = nil, lowercase: Bool = false,
        language: String? = nil
    ) throws(FormatError) -> (EmbeddingSpace, LoadReport) {
        let reader = try LineReader(path: path)
        let header = try readVectorHeader(reader, path: path, max: max, kind: "word2vec binary")
        let dim = header.dimension
        let capacityRows = header.plannedRows
        var words = KeptWords(lowercase: lowercase)
        var rowsInFile = 0
        var zeroVectors = 0
        var stoppedAtMax = false
        var failure: FormatError?

        let storage = [Float](unsafeUninitializedCapacity: Swift.max(capacityRows * dim, 1)) { buffer, initialized in
            initialized = 0
            guard let base = buffer.baseAddress else { return }
            do throws(FormatError) {
                while true {
                    if let max, words.vocabulary.count >= max {
                        stoppedAtMax = true
                        break
                    }
                    try reader.skip(0x0a)
                    guard let wordBytes = try reader.bytes(upTo: 0x20) else { break }
                    let entry = rowsInFile + 1
                    let kept = words.vocabulary.count
                    guard kept < capacityRows else {
                        throw FormatError(
                            file: path, problem: "entry \(entry): more words than the header's count \(header.count)",
                            fix: "fix the header line to the real number of words")
                    }
                    guard let word = String(validating: wordBytes, as: UTF8.self), !word.isEmpty else {
                        throw FormatError(
                            file: path,
                            problem: """
                                entry \(entry): the word is empty or not valid UTF-8 \
                                ('\(String(decoding: wordBytes.prefix(40), as: UTF8.self))')
                                """,
                            fix: "check that this is a word2vec binary file (text files load with Word2VecText)")
                    }
                    let row = base + kept * dim
                    let got = try reader.read(into: UnsafeMutableRawPointer(row), count: dim * 4)
                    guard got == dim * 4 else {
                        throw FormatError(
                            file: path,
                            problem: """
                                entry \(entry) ('\(word)'): the file ends inside its vector (\(got) of \(dim * 4) bytes)
                                """,
                            fix: "the file is truncated; copy or download it again")
                    }
                    var allZero = true
                    for j in 0..<dim {
                        let value = Float(bitPattern: UInt32(littleEndian: row[j].bitPattern))
                        guard value.isFinite else {
                            throw FormatError(
                                file: path, problem: "entry \(entry) ('\(word)'): value \(j + 1) is not finite",
                                fix: "fix or remove the row (NaN and infinity break every similarity)")
                        }
                        row[j] = value
                        if value != 0 { allZero = false }
                    }
                    rowsInFile += 1
                    if words.admit(word), allZero { zeroVectors += 1 }
                }
            } catch {
                failure = error
            }
            initialized = words.vocabulary.count * dim
        }
        if let failure { throw failure }
        let rows = words.vocabulary.count
        let report = LoadReport(
            path: path, format: "word2vec binary", rowsKept: rows, dimension: dim,
            headerCount: header.count, rowsInFile: rowsInFile,
            duplicatesSkipped: words.duplicates, zeroVectors: zeroVectors, stoppedAtMax: stoppedAtMax)
        return (try Word2VecText.makeSpace(words.vocabulary, storage, rows: rows, dim: dim, language: language, path: path), report)
    }

    /// Saves `space` atomically in the binary format (see `VectorWriter.save`).
    public static func save(_ space: EmbeddingSpace, to path: String) throws(FormatError) {
        try VectorWriter.save(space, to: path, format: .binary)
    }
}
