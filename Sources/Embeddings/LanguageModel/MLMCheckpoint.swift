import Neural
import XlingCore

/// A resumable `MultilingualLM` training state after a finished epoch: the model, each
/// language's vocabulary (so word ids mean the same words on resume), the schedule settings that
/// fix the batches (seed, batch size), the epochs done, and the best epoch so far with its
/// parameters when it is not the last one (so selection over a resumed run is the same as over
/// an uninterrupted one).
///
/// File format, version 1 (little-endian; `encoded()`/`decode`): the 8 bytes `XLMLMCKP`, UInt32
/// version; UInt32 languages n, embedding e, hidden h, layers, Float32 dropout, init bound; per
/// language its code and vocabulary (UInt32 count, then each word as UInt32 length + UTF-8);
/// UInt32 epochs done, UInt64 seed, UInt32 batch, UInt32 selection words; Float64 last criterion
/// (NaN: none); Int32 best epoch (−1: none), Float64 best score, UInt8 1 when the best epoch's
/// parameters follow the last epoch's; then `ParameterStore.encoded()` once or twice.
public struct MLMCheckpoint: Sendable {
    /// The format version this code writes and reads.
    public static let version: UInt32 = 1
    static let magic = Array("XLMLMCKP".utf8)

    /// The model at the end of epoch `epochsDone` (before any best-epoch restore).
    public var model: MultilingualLM
    /// Language codes, in the model's order.
    public var languages: [String]
    /// Each language's `LMCorpus.words` (`<unk>` first).
    public var words: [[String]]
    /// Epochs finished.
    public var epochsDone: Int
    /// The schedule seed and batch size the buckets were built with.
    public var seed: UInt64, batchSize: Int
    /// The criterion's source-word count.
    public var selectionWords: Int
    /// The criterion after the last epoch (nil with one language).
    public var lastCriterion: Double?
    /// The best epoch so far (0-based), its score, and its parameters when it is not the last epoch.
    public var best: MLMTrainer.Best?

    /// A checkpoint of `model` after epoch `epochsDone` trained on `corpora`.
    public init(
        model: MultilingualLM, corpora: [LMCorpus], epochsDone: Int, options: MLMTrainer.Options, lastCriterion: Double?,
        best: MLMTrainer.Best?
    ) {
        self.model = model
        languages = corpora.map(\.language)
        words = corpora.map(\.words)
        self.epochsDone = epochsDone
        seed = options.seed
        batchSize = options.batchSize
        selectionWords = options.selectionWords
        self.lastCriterion = lastCriterion
        self.best = best
    }

    private init(
        model: MultilingualLM, languages: [String], words: [[String]], epochsDone: Int, seed: UInt64, batchSize: Int,
        selectionWords: Int, lastCriterion: Double?, best: MLMTrainer.Best?
    ) {
        self.model = model
        self.languages = languages
        self.words = words
        self.epochsDone = epochsDone
        self.seed = seed
        self.batchSize = batchSize
        self.selectionWords = selectionWords
        self.lastCriterion = lastCriterion
        self.best = best
    }

    /// The bytes of the format above.
    public func encoded() -> [UInt8] {
        var bytes = Self.magic
        func put32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
        func put64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
        func text(_ s: String) {
            let u = Array(s.utf8)
            put32(UInt32(u.count))
            bytes += u
        }
        let c = model.configuration
        put32(Self.version)
        for v in [languages.count, c.embedding, c.hidden, c.layers] { put32(UInt32(v)) }
        put32(c.dropout.bitPattern)
        put32(c.initBound.bitPattern)
        for (code, list) in zip(languages, words) {
            text(code)
            put32(UInt32(list.count))
            for w in list { text(w) }
        }
        put32(UInt32(epochsDone))
        put64(seed)
        put32(UInt32(batchSize))
        put32(UInt32(selectionWords))
        put64((lastCriterion ?? .nan).bitPattern)
        put32(UInt32(bitPattern: Int32(best?.epoch ?? -1)))
        put64((best?.score ?? .nan).bitPattern)
        bytes.append(best?.snapshot == nil ? 0 : 1)
        bytes += model.store.encoded()
        if let snapshot = best?.snapshot {
            var store = model.store
            store.restore(snapshot)
            bytes += store.encoded()
        }
        return bytes
    }

    /// Reads a checkpoint written by `encoded()`; `source` names the file in errors.
    public static func decode(_ bytes: [UInt8], source: String) throws(LanguageModelError) -> MLMCheckpoint {
        var offset = 0
        let broken = LanguageModelError(
            problem: "\(source) is truncated or not an xling MLM checkpoint", fix: "give a file written by %train mlm checkpoint=")
        func take(_ n: Int) throws(LanguageModelError) -> ArraySlice<UInt8> {
            guard n >= 0, offset + n <= bytes.count else { throw broken }
            defer { offset += n }
            return bytes[offset..<offset + n]
        }
        func get32() throws(LanguageModelError) -> UInt32 { try take(4).reversed().reduce(0) { $0 << 8 | UInt32($1) } }
        func get64() throws(LanguageModelError) -> UInt64 { try take(8).reversed().reduce(0) { $0 << 8 | UInt64($1) } }
        func text() throws(LanguageModelError) -> String { String(decoding: try take(Int(try get32())), as: UTF8.self) }
        guard bytes.count >= 8, Array(bytes[0..<8]) == magic else {
            throw LanguageModelError(
                problem: "\(source) is not an xling MLM checkpoint", fix: "give a file written by %train mlm checkpoint=")
        }
        offset = 8
        let version = try get32()
        guard version == Self.version else {
            throw LanguageModelError(
                problem: "\(source) is an MLM checkpoint of format version \(version); this xling reads version \(Self.version)",
                fix: "resume it with the xling that wrote it, or train again")
        }
        let n = Int(try get32()), e = Int(try get32()), h = Int(try get32()), layers = Int(try get32())
        let dropout = Float(bitPattern: try get32()), bound = Float(bitPattern: try get32())
        guard (1...16).contains(n) else { throw broken }
        var languages: [String] = [], words: [[String]] = []
        for _ in 0..<n {
            languages.append(try text())
            let count = Int(try get32())
            guard count <= bytes.count else { throw broken }
            var list: [String] = []
            list.reserveCapacity(count)
            for _ in 0..<count { list.append(try text()) }
            words.append(list)
        }
        let epochsDone = Int(try get32()), seed = try get64(), batch = Int(try get32()), selection = Int(try get32())
        let last = Double(bitPattern: try get64())
        let bestEpoch = Int(Int32(bitPattern: try get32())), bestScore = Double(bitPattern: try get64())
        let hasBestParameters = try take(1).first == 1
        let configuration = MultilingualLM.Configuration(
            vocabularySizes: words.map(\.count), embedding: e, hidden: h, layers: layers, dropout: dropout, initBound: bound)
        var model = try MultilingualLM(configuration, seed: 0)
        do {
            try model.store.decode(bytes, at: &offset, source: source)
            var best: MLMTrainer.Best?
            if bestEpoch >= 0 {
                var snapshot: ParameterSnapshot?
                if hasBestParameters {
                    var store = model.store
                    try store.decode(bytes, at: &offset, source: source)
                    snapshot = store.snapshot()
                }
                best = MLMTrainer.Best(epoch: bestEpoch, score: bestScore, snapshot: snapshot)
            }
            return MLMCheckpoint(
                model: model, languages: languages, words: words, epochsDone: epochsDone, seed: seed, batchSize: batch,
                selectionWords: selection, lastCriterion: last.isNaN ? nil : last, best: best)
        } catch {
            throw LanguageModelError(
                problem: "\(source): \(error.problem)", fix: error.fix ?? "give a file written by %train mlm checkpoint=")
        }
    }

    /// What `MLMTrainer.train` needs to continue after this checkpoint's last epoch.
    public var resume: MLMTrainer.Resume {
        MLMTrainer.Resume(epochsDone: epochsDone, lastCriterion: lastCriterion, best: best)
    }
}
