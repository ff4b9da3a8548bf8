/// The pairs of CLC-WA (Shi et al. 2015 eq. 4): every mapped source token of a sentence pair
/// with every mapped target token of the same pair, each adding 1, so that summed
/// X[j, k] = Σ_pairs #(j, S¹)·#(k, S²). Tokens whose map entry is -1 are skipped.
struct SentencePairProducts: CooccurrencePairSource {
    let source: [Int32], sourceStarts: [Int]
    let target: [Int32], targetStarts: [Int]
    let sourceMap: [Int32], targetMap: [Int32]
    let rowCount: Int, columnCount: Int
    var weights: [Double] { [0, 1] }

    init(_ parallel: ParallelCorpus, sourceMap: [Int32], targetMap: [Int32], rows: Int, columns: Int) {
        source = parallel.source.tokens
        sourceStarts = parallel.source.sentenceStarts
        target = parallel.target.tokens
        targetStarts = parallel.target.sentenceStarts
        self.sourceMap = sourceMap
        self.targetMap = targetMap
        rowCount = rows
        columnCount = columns
    }

    func recordsPerRow() -> [Int] {
        var counts = [Int](repeating: 0, count: rowCount)
        for s in 0..<(sourceStarts.count - 1) {
            var mapped = 0
            for i in targetStarts[s]..<targetStarts[s + 1] where targetMap[Int(target[i])] >= 0 { mapped += 1 }
            for i in sourceStarts[s]..<sourceStarts[s + 1] {
                let j = Int(sourceMap[Int(source[i])])
                if j >= 0 { counts[j] += mapped }
            }
        }
        return counts
    }

    func enumerate<Sink: CooccurrencePairSink>(rows: Range<Int>, into sink: Sink, stop: ProgressPoll) -> Bool {
        var columns: [Int] = []
        for s in 0..<(sourceStarts.count - 1) {
            if s % CooccurrenceShardRunner.pollInterval == 0, stop.poll() == .stop { return false }
            columns.removeAll(keepingCapacity: true)
            for i in sourceStarts[s]..<sourceStarts[s + 1] {
                let j = Int(sourceMap[Int(source[i])])
                guard rows.contains(j) else { continue }
                if columns.isEmpty {
                    for t in targetStarts[s]..<targetStarts[s + 1] {
                        let k = Int(targetMap[Int(target[t])])
                        if k >= 0 { columns.append(k) }
                    }
                    if columns.isEmpty { break }
                }
                for k in columns { sink.add(row: j, column: k, code: 1) }
            }
        }
        return true
    }
}
