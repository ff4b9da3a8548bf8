import Embeddings

#if canImport(Glibc)
import Glibc
#endif

/// The bench's own brute-force co-occurrence count (not the engine's `CooccurrenceCounter`,
/// which lives on another branch): within each sentence, every pair of in-vocabulary tokens
/// at distance 1…window adds 1/distance to X[a, b] and to X[b, a] (glove.c `cooccur`
/// with `-symmetric 1`, distances counted over the raw sentence, out-of-vocabulary tokens
/// skipped but not removed).
enum BenchCooccurrence {
    /// The symmetric 1/d-weighted counts over word ids `< vocabularySize` of `corpus`.
    static func count(_ corpus: Corpus, vocabularySize v: Int, window: Int) -> CooccurrenceMatrix {
        var counts: [Int64: Double] = [:]
        counts.reserveCapacity(1 << 20)
        let limit = Int32(v)
        for s in 0..<corpus.sentenceCount {
            let sentence = Array(corpus.sentence(s))
            for i in 0..<sentence.count where sentence[i] < limit {
                let a = Int64(sentence[i])
                var j = Swift.max(0, i - window)
                while j < i {
                    let b = sentence[j]
                    if b < limit {
                        let w = 1.0 / Double(i - j)
                        counts[a * Int64(v) + Int64(b), default: 0] += w
                        counts[Int64(b) * Int64(v) + a, default: 0] += w
                    }
                    j += 1
                }
            }
        }
        let keys = counts.keys.sorted()
        var rows: [Int32] = [], columns: [Int32] = [], values: [Double] = []
        rows.reserveCapacity(keys.count)
        columns.reserveCapacity(keys.count)
        values.reserveCapacity(keys.count)
        for key in keys {
            rows.append(Int32(key / Int64(v)))
            columns.append(Int32(key % Int64(v)))
            values.append(counts[key] ?? 0)
        }
        return CooccurrenceMatrix(rowCount: v, columnCount: v, rows: rows, columns: columns, values: values)
    }

    /// The corpus at `path` (first `lines` lines), its vocabulary size at `minCount`, and the
    /// counts; fails the process with a message when the corpus cannot be read.
    static func load(path: String, language: String, lines: Int?, minCount: Int, window: Int)
        -> (corpus: Corpus, vocabularySize: Int, matrix: CooccurrenceMatrix)
    {
        let corpus: Corpus
        do { corpus = try Corpus.read(path: path, language: language, maxLines: lines) } catch { fail("\(error)") }
        let v = corpus.vocabularySize(minCount: minCount)
        return (corpus, v, count(corpus, vocabularySize: v, window: window))
    }
}

/// Little-endian binary output for dumps (fwrite of native values; x86-64 and arm64 are LE).
struct BinaryFile {
    private let file: UnsafeMutablePointer<FILE>
    init(_ path: String) {
        guard let f = fopen(path, "wb") else { fail("cannot write \(path)") }
        file = f
    }
    func write<T>(_ values: [T]) {
        values.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress, b.count > 0 else { return }
            guard fwrite(base, MemoryLayout<T>.stride, b.count, file) == b.count else { fail("short write") }
        }
    }
    func close() { fclose(file) }
}
