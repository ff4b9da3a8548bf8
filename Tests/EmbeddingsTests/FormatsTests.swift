import Testing

@testable import Embeddings

#if canImport(Glibc)
import Glibc
#endif

/// Real data used by the format, dictionary and normalisation tests.
enum RealData {
    static let root = "/work/shared/data"
    static let englishVec = root + "/vectors/fasttext-wiki-aligned-en-fr-756/en.vec.gz"
    static let frenchVec = root + "/vectors/fasttext-wiki-aligned-en-fr-756/fr.vec.gz"
    static let dinuEnglish = root + "/vectors/dinu-en-it-20/EN.1-10.cbow1_wind5_hs0_neg10_size300_smpl1e-05.txt"
    static let dinuDictionary = root + "/vectors/dinu-en-it-20/OPUS_en_it_europarl_train_one2ten.txt"
    static let yacle500 = root + "/dictionaries/xling-eval/bli_datasets/en-fr/yacle.train.freq.500.en-fr.tsv.gz"
    static let yacle5k = root + "/dictionaries/xling-eval/bli_datasets/en-fr/yacle.train.freq.5k.en-fr.tsv.gz"
    static let museEnFr = root + "/dictionaries/muse-full/en-fr.dict.gz"
}

/// A `mkdtemp` directory removed (with its files) on `remove()`.
final class TemporaryDirectory {
    let path: String

    init() {
        var template = Array("/tmp/xling-formats-XXXXXX".utf8CString)
        let made: UnsafeMutablePointer<CChar>? = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.flatMap { mkdtemp($0) }
        }
        path = made.map { String(cString: $0) } ?? "/tmp/xling-formats-fallback-\(getpid())"
        if made == nil { mkdir(path, 0o755) }
    }

    func file(_ name: String) -> String { path + "/" + name }

    @discardableResult
    func write(_ name: String, _ text: String) -> String { write(name, bytes: Array(text.utf8)) }

    @discardableResult
    func write(_ name: String, bytes: [UInt8]) -> String {
        let target = file(name)
        let handle = fopen(target, "wb")
        bytes.withUnsafeBytes { _ = fwrite($0.baseAddress, 1, $0.count, handle) }
        fclose(handle)
        return target
    }

    func read(_ name: String) -> [UInt8] { copyBytes(file(name)) }

    /// The names in the directory (without `.` and `..`).
    func names(in directory: String? = nil) -> [String] {
        guard let dir = opendir(directory ?? path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    func remove(_ directory: String? = nil) {
        let dir = directory ?? path
        for name in names(in: dir) {
            let full = dir + "/" + name
            if unlink(full) != 0 { remove(full) }
        }
        rmdir(dir)
    }
}

/// The first `lines` lines of a (gzip) text file, via `LineReader`.
func headLines(_ path: String, _ lines: Int) throws -> [String] {
    let reader = try LineReader(path: path)
    var out: [String] = []
    while out.count < lines, let line = try reader.nextLine() { out.append(line) }
    return out
}

@Suite struct FormatsTests {
    @Test func loadsRealFastTextEnglish() throws {
        let (space, report) = try Word2VecText.load(path: RealData.englishVec, language: "en")
        #expect(space.count == 756 && space.dimension == 300 && space.language == "en")
        #expect(report.rowsKept == 756 && report.headerCount == 756 && report.rowsInFile == 756)
        #expect(report.duplicatesSkipped == 0 && !report.stoppedAtMax && !report.isShorterThanHeader)
        #expect(Array(space.vocabulary.words.prefix(4)) == [",", ".", "the", "</s>"])
        // zcat en.vec.gz | grep '^the ' → the -0.065334 -0.093031 … 0.035397
        let the = try #require(space.vector("the"))
        #expect(the.first == Float("-0.065334") && the[the.startIndex + 1] == Float("-0.093031"))
        #expect(the.last == Float("0.035397"))
        #expect(space.vocabulary.id("the") == 2)
    }

    @Test func loadsDinuEnglishWithLongMantissas() throws {
        let (space, report) = try Word2VecText.load(path: RealData.dinuEnglish)
        #expect(space.count == 20 && space.dimension == 300 && report.zeroVectors == 0)
        #expect(space.vector("one")?.first == Float("-1.671300083398818970e-02"))
        #expect(space.vector("one")?.dropFirst().first == Float("7.239600270986557007e-02"))
    }

    @Test func maxStopsAfterNWords() throws {
        let (space, report) = try Word2VecText.load(path: RealData.englishVec, max: 10)
        #expect(space.count == 10 && report.stoppedAtMax && report.rowsInFile == 10)
        #expect(space.vectors.storage.count == 10 * 300)
        let (full, _) = try Word2VecText.load(path: RealData.englishVec)
        #expect(Array(full.vectors.storage.prefix(3000)) == space.vectors.storage)
    }

    @Test func lowercaseKeepsTheFirstSpelling() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.write("cased.vec", "5 3\nThe 1 2 3\nthe 4 5 6\nCat 7 8 9\nTHE 0 0 0\ncat 1 1 1\n")
        let (lower, report) = try Word2VecText.load(path: path, lowercase: true)
        #expect(lower.vocabulary.words == ["the", "cat"])
        #expect(lower.vectors.storage == [1, 2, 3, 7, 8, 9])
        #expect(report.duplicatesSkipped == 3 && report.rowsKept == 2 && report.rowsInFile == 5)
        #expect(report.zeroVectors == 0) // the zero row was a skipped duplicate
        let (cased, _) = try Word2VecText.load(path: path)
        #expect(cased.vocabulary.words == ["The", "the", "Cat", "THE", "cat"])
        let (limited, limitedReport) = try Word2VecText.load(path: path, max: 2, lowercase: true)
        #expect(limited.vocabulary.words == ["the", "cat"] && limitedReport.stoppedAtMax)
    }

    @Test func toleratesTrailingBlanksCRLFAndCountsZeroVectors() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.write("loose.vec", "3 2 \r\na 1 2  \r\nb 0 0\nc -0 0.0 \n\n")
        let (space, report) = try Word2VecText.load(path: path)
        #expect(space.vocabulary.words == ["a", "b", "c"] && space.vectors.storage == [1, 2, 0, 0, 0, 0])
        #expect(report.zeroVectors == 2)
    }

    @Test func shorterFileThanHeaderIsShrunkAndReported() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.write("short.vec", "5 2\na 1 2\nb 3 4\nc 5 6")
        let (space, report) = try Word2VecText.load(path: path)
        #expect(space.count == 3 && space.vectors.rows == 3 && space.vectors.storage == [1, 2, 3, 4, 5, 6])
        #expect(report.isShorterThanHeader && report.headerCount == 5 && report.rowsInFile == 3)
        #expect(report.description.contains("fewer than its header"))
    }

    @Test func fixtureFromRealDataMatchesTheFullLoad() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let lines = try headLines(RealData.englishVec, 51)
        let path = dir.write("head.vec", (["50 300"] + lines.dropFirst()).joined(separator: "\n") + "\n")
        let (small, _) = try Word2VecText.load(path: path)
        let (full, _) = try Word2VecText.load(path: RealData.englishVec, max: 50)
        #expect(small.vocabulary == full.vocabulary && small.vectors == full.vectors)
    }

    @Test func textAndBinaryRoundTripsAreExact() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let (space, _) = try Word2VecText.load(path: RealData.englishVec)
        let text = dir.file("en.vec"), binary = dir.file("en.bin")
        try VectorWriter.save(space, to: text)
        try Word2VecBinary.save(space, to: binary)
        let (fromText, textReport) = try Word2VecText.load(path: text)
        let (fromBinary, binaryReport) = try Word2VecBinary.load(path: binary)
        #expect(fromText.vocabulary == space.vocabulary && fromText.vectors == space.vectors)
        #expect(fromBinary.vocabulary == space.vocabulary && fromBinary.vectors == space.vectors)
        #expect(textReport.rowsKept == 756 && binaryReport.format == "word2vec binary")
        #expect(dir.names() == ["en.bin", "en.vec"]) // no temporary files left
        let (limited, report) = try Word2VecBinary.load(path: binary, max: 5)
        #expect(limited.count == 5 && report.stoppedAtMax)
    }

    @Test func awkwardFloatsRoundTripThroughText() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var generator = SplitMix64(seed: 7)
        var values: [Float] = [
            0, -0.0, 1, -1, .leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude,
            -.greatestFiniteMagnitude, 1e-5, 123456792, 0.1, 3.4028235e38, Float.leastNormalMagnitude.nextUp,
        ]
        while values.count < 4000 {
            let bits = UInt32(truncatingIfNeeded: generator.next())
            let value = Float(bitPattern: bits)
            if value.isFinite { values.append(value) }
        }
        let words = (0..<(values.count / 4)).map { "w\($0)" }
        let space = try EmbeddingSpace(vocabulary: Vocabulary(words), vectors: Matrix(rows: words.count, cols: 4, values: values))
        let path = dir.file("odd.vec")
        try VectorWriter.save(space, to: path)
        let (loaded, _) = try Word2VecText.load(path: path)
        #expect(loaded.vectors.storage.map(\.bitPattern) == values.map(\.bitPattern))
        try VectorWriter.save(space, to: path, format: .binary)
        let (binary, _) = try Word2VecBinary.load(path: path)
        #expect(binary.vectors.storage.map(\.bitPattern) == values.map(\.bitPattern))
    }

    @Test func fastParserAgreesWithFloatInit() {
        let parser = DecimalParser()
        var generator = SplitMix64(seed: 11)
        var samples = [
            "0", "-0", "+3", ".5", "5.", "1e-05", "1E+20", "-0.065334", "7.239600270986557007e-02",
            "0.000000000000000000000000000000000000000000001", "1e-46", "3.4028236e38", "1e39",
            "16777217", "0.30000001192092896", "2.5e-45", "1.00000005960464477539", "00012.500",
            "123456789012345678901234567890", "1.5e-7", "9.999999e-39",
        ]
        for _ in 0..<20000 {
            let bits = UInt32(truncatingIfNeeded: generator.next())
            let value = Float(bitPattern: bits)
            guard value.isFinite else { continue }
            samples.append(value.description)
            samples.append(Double(value).description)
            let mantissa = generator.next() % 10_000_000
            let exponent = Int(generator.next() % 30) - 15
            samples.append("\(mantissa)e\(exponent)")
            samples.append("0.\(mantissa)")
        }
        var mismatches: [String] = []
        for sample in samples {
            let bytes = Array(sample.utf8)
            let fast = bytes.withUnsafeBufferPointer { parser.parse($0.baseAddress!, from: 0, to: $0.count) }
            if fast?.bitPattern != Float(sample)?.bitPattern { mismatches.append(sample) }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
        for bad in ["", "-", "abc", "1.2.3", "1e", "e5", "--1", "1x"] {
            let bytes = Array(bad.utf8) + [0]
            #expect(bytes.withUnsafeBufferPointer { parser.parse($0.baseAddress!, from: 0, to: $0.count - 1) } == nil, "\(bad)")
        }
    }

    @Test func lineReaderDetectsGzipByMagicAndTracksLines() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        // Real gzip bytes under a misleading name.
        let gzipBytes = try #require(try LineReader(path: RealData.englishVec).isCompressed ? copyBytes(RealData.englishVec) : nil)
        let disguised = dir.write("en.txt", bytes: gzipBytes)
        let reader = try LineReader(path: disguised)
        #expect(reader.isCompressed)
        #expect(try reader.nextLine() == "756 300")
        #expect(try reader.nextLine()?.hasPrefix(", -0.023167") == true && reader.lineNumber == 2)
        // A plain file named .gz is read as plain text; long lines grow the buffer; no final newline.
        let long = String(repeating: "x", count: 10_000)
        let plain = dir.write("plain.gz", "a\r\n\n\(long)\nlast")
        let lines = try LineReader(path: plain, bufferSize: 4096)
        #expect(!lines.isCompressed)
        #expect(try lines.nextLine() == "a" && lines.nextLine() == "" && lines.nextLine() == long)
        #expect(try lines.nextLine() == "last" && lines.lineNumber == 4 && lines.nextLine() == nil)
    }

    @Test func truncatedGzipIsAnError() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let bytes = copyBytes(RealData.englishVec)
        let path = dir.write("cut.vec.gz", bytes: Array(bytes.prefix(bytes.count / 2)))
        let error = try #require(throws: FormatError.self) { try Word2VecText.load(path: path) }
        #expect(error.description.hasPrefix(error.file + " line ") && error.file.hasSuffix("/cut.vec.gz"))
    }

    @Test func nonUTF8LineIsAnErrorNamingFileAndLine() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.write("latin1.vec", bytes: Array("2 2\nok 1 2\n".utf8) + [0x63, 0x61, 0x66, 0xe9] + Array(" 3 4\n".utf8))
        let error = try #require(throws: FormatError.self) { try Word2VecText.load(path: path) }
        #expect(error.line == 3 && error.description.hasPrefix(error.file + " line 3: not valid UTF-8"))
        let reader = try LineReader(path: path)
        _ = try reader.nextLine()
        _ = try reader.nextLine()
        #expect(throws: FormatError.self) { try reader.nextLine() }
    }

    @Test func badInputsNameTheFileLineAndFix() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        func failure(_ name: String, _ text: String) throws -> FormatError {
            let path = dir.write(name, text)
            return try #require(throws: FormatError.self) { try Word2VecText.load(path: path) }
        }
        let missing = try #require(throws: FormatError.self) { try Word2VecText.load(path: dir.file("nope.vec")) }
        #expect(missing.description.contains("nope.vec") && missing.description.contains("No such file"))

        let headerless = try failure("en.vec", "the 0.1 0.2\nof 0.3 0.4\n")
        #expect(
            headerless.description == headerless.file
                + " line 1: expected a header 'COUNT DIM', found 'the 0.1 0.2'; word2vec/fastText files start with the number of words and the dimension (e.g. '756 300'); add that line"
        )
        #expect(try failure("empty.vec", "").description.contains("empty"))
        #expect(try failure("zero-dim.vec", "3 0\n").line == 1)

        let ragged = try failure("ragged.vec", "3 3\na 1 2 3\nb 1 2\nc 1 2 3\n")
        #expect(ragged.line == 3 && ragged.problem == "'b' has 2 values, expected 3 (from the header)")
        #expect(try failure("long.vec", "1 2\na 1 2 3\n").problem.contains("has 3 values"))

        let nan = try failure("nan.vec", "2 2\na 1 2\nb nan 1\n")
        #expect(nan.line == 3 && nan.problem.contains("not finite"))
        #expect(try failure("inf.vec", "1 2\na 1 -inf\n").problem.contains("not finite"))
        #expect(try failure("big.vec", "1 2\na 1 1e39\n").problem.contains("not finite"))
        #expect(try failure("word.vec", "1 2\na 1 x\n").problem == "value 2 'x' is not a number")

        let extra = try failure("extra.vec", "1 2\na 1 2\nb 3 4\n")
        #expect(extra.line == 3 && extra.problem.contains("more rows than the header's count 1"))

        let binary = dir.write("trunc.bin", bytes: Array("2 2\na ".utf8) + [0, 0, 0x80, 0x3f, 0, 0])
        let truncated = try #require(throws: FormatError.self) { try Word2VecBinary.load(path: binary) }
        #expect(truncated.problem.contains("ends inside its vector"))
    }

    @Test func atomicSaveNeverLeavesTemporariesOrClobbersTheTarget() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let good = try EmbeddingSpace(vocabulary: Vocabulary(["a", "b"]), vectors: Matrix(rows: 2, cols: 2, values: [1, 2, 3, 4]))
        let target = dir.file("out.vec")
        try VectorWriter.save(good, to: target)
        let before = dir.read("out.vec")
        #expect(String(decoding: before, as: UTF8.self) == "2 2\na 1.0 2.0\nb 3.0 4.0\n")

        let spaced = try EmbeddingSpace(vocabulary: Vocabulary(["a b"]), vectors: Matrix(rows: 1, cols: 2, values: [1, 2]))
        #expect(throws: FormatError.self) { try VectorWriter.save(spaced, to: target) }
        let infinite = try EmbeddingSpace(vocabulary: Vocabulary(["a"]), vectors: Matrix(rows: 1, cols: 2, values: [1, .infinity]))
        #expect(throws: FormatError.self) { try VectorWriter.save(infinite, to: target, format: .binary) }
        #expect(dir.read("out.vec") == before && dir.names() == ["out.vec"])

        let unwritable = try #require(throws: FormatError.self) { try VectorWriter.save(good, to: dir.file("missing/out.vec")) }
        #expect(unwritable.description.contains("cannot create") && unwritable.fix?.contains("writable") == true)

        // The rename fails when the target is a (non-empty) directory: the temporary file goes.
        mkdir(dir.file("taken"), 0o755)
        dir.write("taken/keep", "x")
        #expect(throws: FormatError.self) { try VectorWriter.save(good, to: dir.file("taken")) }
        #expect(dir.names() == ["out.vec", "taken"] && dir.names(in: dir.file("taken")) == ["keep"])
    }

    /// Loads `XLING_BENCH_VEC` (e.g. a generated 200k×300 file) and prints time and peak RSS.
    @Test(.enabled(if: getenv("XLING_BENCH_VEC") != nil))
    func benchmarkLoad() throws {
        let path = String(cString: getenv("XLING_BENCH_VEC"))
        var start = timespec(), end = timespec()
        clock_gettime(CLOCK_MONOTONIC, &start)
        let (space, report) = try Word2VecText.load(path: path)
        clock_gettime(CLOCK_MONOTONIC, &end)
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let seconds = Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
        let matrixMB = Double(space.vectors.storage.count * 4) / 1_048_576
        print("BENCH \(report) in \(seconds) s; peak RSS \(Double(usage.ru_maxrss) / 1024) MB; matrix \(matrixMB) MB")
    }
}

/// The bytes of a file.
func copyBytes(_ path: String) -> [UInt8] {
    guard let handle = fopen(path, "rb") else { return [] }
    defer { fclose(handle) }
    var out: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, 65536, handle) }
        if n == 0 { break }
        out.append(contentsOf: chunk[0..<n])
    }
    return out
}
