/// The pairs of a symmetric (or right-only) window over each sentence of a monolingual
/// corpus, GloVe `cooccur` style.
///
/// Words with id ≥ `vocabularySize` are dropped before windowing, as `cooccur.c` drops words
/// missing from its vocabulary: distances count in-vocabulary words only, so a rare word
/// between two frequent ones does not push them apart. Windows never cross sentences. A pair
/// (w₁ earlier, w₂ later, d in-vocabulary words apart, d ≤ window) adds `weights[d]` (1/d
/// or 1) to X[w₁, w₂] and, when symmetric, to X[w₂, w₁] — so a word next to itself adds
/// twice to its diagonal cell, like `cooccur.c`.
struct MonolingualWindowPairs: CooccurrencePairSource {
    let tokens: [Int32]
    let sentenceStarts: [Int]
    let vocabularySize: Int
    let window: Int
    let symmetric: Bool
    let weights: [Double]

    init(corpus: Corpus, vocabularySize: Int, options: CooccurrenceOptions) {
        tokens = corpus.tokens
        sentenceStarts = corpus.sentenceStarts
        self.vocabularySize = vocabularySize
        window = options.window
        symmetric = options.symmetric
        weights = [0] + (1...max(1, options.window)).map { options.distanceWeighting ? 1 / Double($0) : 1 }
    }

    var rowCount: Int { vocabularySize }
    var columnCount: Int { vocabularySize }

    func recordsPerRow() -> [Int] {
        var counts = [Int](repeating: 0, count: vocabularySize)
        let v = Int32(truncatingIfNeeded: vocabularySize)
        for s in 0..<(sentenceStarts.count - 1) {
            let range = sentenceStarts[s]..<sentenceStarts[s + 1]
            var length = 0
            for i in range where tokens[i] < v { length += 1 }
            var p = 0
            for i in range where tokens[i] < v {
                let right = min(length - 1 - p, window)
                counts[Int(tokens[i])] += symmetric ? min(p, window) + right : right
                p += 1
            }
        }
        return counts
    }

    func enumerate<Sink: CooccurrencePairSink>(rows: Range<Int>, into sink: Sink, stop: ProgressPoll) -> Bool {
        let v = Int32(truncatingIfNeeded: vocabularySize)
        let lo = Int32(truncatingIfNeeded: rows.lowerBound), hi = Int32(truncatingIfNeeded: rows.upperBound)
        // history[k % window] = the k-th in-vocabulary word of the current sentence.
        var history = [Int32](repeating: 0, count: window)
        return tokens.withUnsafeBufferPointer { tokens in
            history.withUnsafeMutableBufferPointer { history in
                for s in 0..<(sentenceStarts.count - 1) {
                    if s % CooccurrenceShardRunner.pollInterval == 0, stop.poll() == .stop { return false }
                    var j = 0, slot = 0 // slot = j % window
                    for i in sentenceStarts[s]..<sentenceStarts[s + 1] {
                        let w2 = tokens[i]
                        guard w2 < v else { continue }
                        let w2Inside = w2 >= lo && w2 < hi
                        var k = slot, d = 1
                        let reach = min(j, window)
                        while d <= reach {
                            k = k == 0 ? window - 1 : k - 1
                            let w1 = history[k]
                            if w1 >= lo && w1 < hi { sink.add(row: Int(w1), column: Int(w2), code: d) }
                            if symmetric && w2Inside { sink.add(row: Int(w2), column: Int(w1), code: d) }
                            d += 1
                        }
                        history[slot] = w2
                        slot = slot + 1 == window ? 0 : slot + 1
                        j += 1
                    }
                }
                return true
            }
        }
    }
}
