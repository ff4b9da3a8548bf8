import Neural
import XlingCore

/// How far apart a classifier's sentence encoder keeps sentences: the check against Sent-Ali's
/// collapse. The alignment loss 1 − mean cos(S_i, T_i) is also minimised by an encoder that maps
/// every sentence to one vector; such an encoder gives translations and non-translations the same
/// cosine. `matched` is the mean cosine of the pairs, `other` the mean cosine of each source with
/// the next pair's target (a non-translation); a working encoder has `matched` well above `other`,
/// a collapsed one has both near 1.
public struct SentenceEncoderSpread: Sendable, Equatable {
    /// Mean cos(S_i, T_i) over the pairs read.
    public var matched: Double
    /// Mean cos(S_i, T_{i+1}) (cyclically) over the same pairs.
    public var other: Double
    /// Mean cos(S_i, S_{i+1}) among the source sentences: near 1 when the encoder has collapsed.
    public var sourceSpread: Double
    /// The number of pairs read.
    public var pairs: Int
}

extension TextClassifier {
    /// The spread of the sentence encoder (bigru-att: the encoder; han: the word level) on the
    /// first `limit` usable pairs of `corpus` (both sides with a known word); nil for a model
    /// without a sentence encoder or fewer than 2 usable pairs.
    public func sentenceEncoderSpread(_ corpus: ParallelCorpus, limit: Int = 500) -> SentenceEncoderSpread? {
        guard case .network(let network) = head else { return nil }
        let pairs = Array(Self.alignmentPairs(corpus, shell: self).prefix(limit))
        guard pairs.count >= 2 else { return nil }
        guard let source = Self.encode(network, pairs.map(\.source)), let target = Self.encode(network, pairs.map(\.target)) else {
            return nil
        }
        let n = pairs.count
        func cos(_ a: Matrix, _ i: Int, _ b: Matrix, _ j: Int) -> Double {
            var dot = 0.0, aa = 0.0, bb = 0.0
            for k in 0..<a.cols {
                let x = Double(a[i, k]), y = Double(b[j, k])
                dot += x * y
                aa += x * x
                bb += y * y
            }
            return dot / max(1e-12, (aa * bb).squareRoot())
        }
        let matched = (0..<n).reduce(0.0) { $0 + cos(source, $1, target, $1) } / Double(n)
        let other = (0..<n).reduce(0.0) { $0 + cos(source, $1, target, ($1 + 1) % n) } / Double(n)
        let spread = (0..<n).reduce(0.0) { $0 + cos(source, $1, source, ($1 + 1) % n) } / Double(n)
        return SentenceEncoderSpread(matched: matched, other: other, sourceSpread: spread, pairs: n)
    }

    /// The sentence encodings of `sentences` (n × features) in batches of 64, or nil without an encoder.
    private static func encode(_ network: some ClassifierNetwork, _ sentences: [[Int]]) -> Matrix? {
        var rows: [Float] = [], cols = 0
        for range in MiniBatches.sequential(count: sentences.count, size: 64) {
            var tape = Tape(network.store, training: false)
            guard let v = network.sentenceVectors(Array(sentences[range]), on: &tape) else { return nil }
            cols = tape[v].cols
            rows += tape[v].storage
        }
        return try? Matrix(rows: sentences.count, cols: cols, values: rows)
    }
}
