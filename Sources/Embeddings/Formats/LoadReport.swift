/// What a vector loader read: the file, the rows kept, the rows dropped and why.
///
/// Invariant: `rowsKept + duplicatesSkipped == rowsInFile` when the whole file was read
/// (`stoppedAtMax == false`).
public struct LoadReport: Sendable, Equatable, CustomStringConvertible {
    /// The file's path as given.
    public let path: String
    /// `word2vec text` or `word2vec binary`.
    public let format: String
    /// The number of rows in the returned space (after `max` and duplicate removal).
    public let rowsKept: Int
    /// The vector dimension (from the header).
    public let dimension: Int
    /// The word count the header announced.
    public let headerCount: Int
    /// The rows actually read from the file (duplicates included).
    public let rowsInFile: Int
    /// Rows dropped because their word (after lowercasing, when asked) came earlier.
    public let duplicatesSkipped: Int
    /// Rows whose vector is all zeros (kept, but unit-normalisation leaves them at zero).
    public let zeroVectors: Int
    /// Whether reading stopped early because `max` words were kept.
    public let stoppedAtMax: Bool

    /// Whether the file ended before the header's count of rows.
    public var isShorterThanHeader: Bool { !stoppedAtMax && rowsInFile < headerCount }

    /// One line for the notebook, e.g. `en.vec: 756 words × 300 (header 756); 2 duplicates skipped`.
    public var description: String {
        var text = "\(FormatError.displayName(path)): \(rowsKept) words × \(dimension) (\(format), header \(headerCount))"
        if stoppedAtMax { text += "; stopped at max \(rowsKept)" }
        if isShorterThanHeader { text += "; the file has only \(rowsInFile) rows, fewer than its header says" }
        if duplicatesSkipped > 0 { text += "; \(duplicatesSkipped) duplicate\(duplicatesSkipped == 1 ? "" : "s") skipped (first kept)" }
        if zeroVectors > 0 { text += "; \(zeroVectors) zero vector\(zeroVectors == 1 ? "" : "s")" }
        return text
    }
}

/// The words kept by a loader: the first occurrence of each (after optional lowercasing), as
/// MUSE and VecMap do.
struct KeptWords {
    private(set) var vocabulary = Vocabulary([])
    private(set) var duplicates = 0
    let lowercase: Bool

    /// Adds `word` (lowercased when asked) and returns true, or counts a duplicate and returns false.
    mutating func admit(_ word: String) -> Bool {
        let key = lowercase ? word.lowercased() : word
        let before = vocabulary.count
        vocabulary.append(key)
        if vocabulary.count == before {
            duplicates += 1
            return false
        }
        return true
    }
}

/// Reads the `COUNT DIM` header line of a vector file (text or binary) and plans the buffer:
/// the number of rows to preallocate (the count capped by `max`, checked against memory).
/// `kind` names the format in the error for an empty file.
func readVectorHeader(_ reader: LineReader, path: String, max: Int?, kind: String) throws(FormatError)
    -> (count: Int, dimension: Int, plannedRows: Int)
{
    guard let header = try reader.withNextLine({ line throws(FormatError) in try parseVectorHeader(line, path: path) }) else {
        throw FormatError(
            file: path, line: 1, problem: "the file is empty; expected a header 'COUNT DIM'",
            fix: "\(kind) files start with the number of words and the dimension")
    }
    let rows = try Word2VecText.plannedRows(header: header.count, dim: header.dimension, max: max, path: path)
    return (header.count, header.dimension, rows)
}

/// Parses a `COUNT DIM` header line (ASCII digits separated by blanks).
func parseVectorHeader(_ line: UnsafeBufferPointer<UInt8>, path: String) throws(FormatError) -> (count: Int, dimension: Int) {
    var numbers: [Int] = []
    var current: Int?
    var valid = true
    for byte in line {
        if byte >= 0x30 && byte <= 0x39 {
            let value = (current ?? 0).multipliedReportingOverflow(by: 10)
            guard !value.overflow, value.partialValue <= Int(Int32.max) else {
                valid = false
                break
            }
            current = value.partialValue + Int(byte - 0x30)
        } else if byte == 0x20 || byte == 0x09 {
            if let value = current {
                numbers.append(value)
                current = nil
            }
        } else {
            valid = false
            break
        }
    }
    if let value = current { numbers.append(value) }
    guard valid, numbers.count == 2, numbers[1] > 0 else {
        throw FormatError(
            file: path, line: 1,
            problem: "expected a header 'COUNT DIM', found '\(FormatError.preview(line))'",
            fix: "word2vec/fastText files start with the number of words and the dimension (e.g. '756 300'); add that line")
    }
    return (numbers[0], numbers[1])
}
