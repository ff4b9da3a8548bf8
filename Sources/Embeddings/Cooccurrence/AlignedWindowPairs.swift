/// The pairs of CLC+WA (Shi et al. 2015 eq. 5): for each link (a, b) of a sentence pair whose
/// source word j = S¹[a] is mapped, every mapped target word in S²[b−d … b+d] (positions
/// clipped to the sentence, b itself included) adds 1 to X[j, k]. Positions are token
/// positions of the tokenized sentences, unmapped target words included: an unmapped word
/// inside the window is skipped, it does not widen the window. Links must already be checked
/// against the sentence lengths.
struct AlignedWindowPairs: CooccurrencePairSource {
    let source: [Int32], sourceStarts: [Int]
    let target: [Int32], targetStarts: [Int]
    let links: [[AlignmentLink]]
    let sourceMap: [Int32], targetMap: [Int32]
    let rowCount: Int, columnCount: Int
    let window: Int
    var weights: [Double] { [0, 1] }

    init(
        _ parallel: ParallelCorpus, alignment: WordAlignment, sourceMap: [Int32], targetMap: [Int32],
        rows: Int, columns: Int, window: Int
    ) {
        source = parallel.source.tokens
        sourceStarts = parallel.source.sentenceStarts
        target = parallel.target.tokens
        targetStarts = parallel.target.sentenceStarts
        links = alignment.sentences
        self.sourceMap = sourceMap
        self.targetMap = targetMap
        rowCount = rows
        columnCount = columns
        self.window = window
    }

    /// Visits (row j, column k) for every pair of sentence pair `s` with j accepted by `keep`.
    @inline(__always)
    private func forEachPair(in s: Int, keep: (Int) -> Bool, _ body: (Int, Int) -> Void) {
        let targetStart = targetStarts[s], targetLength = targetStarts[s + 1] - targetStart
        for link in links[s] {
            let j = Int(sourceMap[Int(source[sourceStarts[s] + Int(link.source)])])
            guard j >= 0, keep(j) else { continue }
            let b = Int(link.target)
            for position in max(0, b - window)...min(targetLength - 1, b + window) {
                let k = Int(targetMap[Int(target[targetStart + position])])
                if k >= 0 { body(j, k) }
            }
        }
    }

    func recordsPerRow() -> [Int] {
        var counts = [Int](repeating: 0, count: rowCount)
        for s in links.indices {
            forEachPair(in: s, keep: { _ in true }) { j, _ in counts[j] += 1 }
        }
        return counts
    }

    func enumerate<Sink: CooccurrencePairSink>(rows: Range<Int>, into sink: Sink, stop: ProgressPoll) -> Bool {
        for s in links.indices {
            if s % CooccurrenceShardRunner.pollInterval == 0, stop.poll() == .stop { return false }
            forEachPair(in: s, keep: { rows.contains($0) }) { j, k in sink.add(row: j, column: k, code: 1) }
        }
        return true
    }
}
