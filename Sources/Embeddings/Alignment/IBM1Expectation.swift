import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// The E- and M-steps of IBM Model 1 EM over a fixed corpus, with per-worker count buffers
/// that live across iterations.
///
/// Worker `w` of `workers` owns sentence pairs `[w·S/W, (w+1)·S/W)` and its own `pairCount`
/// Double counts (memory: workers × pairCount × 8 bytes); the M-step adds the buffers in
/// worker order, so a fixed worker count gives bit-identical tables.
final class IBM1Expectation: @unchecked Sendable {
    let e: Corpus, f: Corpus
    let nullWord: Bool
    let prior: AlignmentPrior
    let workers: Int
    let pairCount: Int
    private let counts: [UnsafeMutableBufferPointer<Double>]
    private let logLikelihoods: UnsafeMutableBufferPointer<Double>
    private let wordCounts: UnsafeMutableBufferPointer<Int>
    private let stopped: UnsafeMutableBufferPointer<Bool>

    /// Buffers for `workers` workers (at most one per sentence pair, at least one).
    init(e: Corpus, f: Corpus, nullWord: Bool, prior: AlignmentPrior, workers: Int, pairCount: Int) {
        self.e = e
        self.f = f
        self.nullWord = nullWord
        self.prior = prior
        self.workers = Swift.max(1, Swift.min(workers, e.sentenceCount))
        self.pairCount = pairCount
        counts = (0..<self.workers).map { _ in
            let buffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: pairCount)
            buffer.initialize(repeating: 0)
            return buffer
        }
        logLikelihoods = .allocate(capacity: self.workers)
        logLikelihoods.initialize(repeating: 0)
        wordCounts = .allocate(capacity: self.workers)
        wordCounts.initialize(repeating: 0)
        stopped = .allocate(capacity: self.workers)
        stopped.initialize(repeating: false)
    }

    deinit {
        for buffer in counts { buffer.deallocate() }
        logLikelihoods.deallocate()
        wordCounts.deallocate()
        stopped.deallocate()
    }

    /// One E-step with `table`: fills the counts; returns the log-likelihood and the number of
    /// generated words, or nil when `poll` said stop (the counts are then garbage). `poll` is
    /// asked every 256 sentence pairs by every worker.
    func run(table: TranslationTable, poll: ProgressPoll) -> (logLikelihood: Double, words: Int)? {
        if workers == 1 {
            work(0, table: table, poll: poll)
        } else {
            DispatchQueue.concurrentPerform(iterations: workers) { work($0, table: table, poll: poll) }
        }
        if stopped.contains(true) { return nil }
        var logLikelihood = 0.0, words = 0
        for w in 0..<workers {
            logLikelihood += logLikelihoods[w]
            words += wordCounts[w]
        }
        return (logLikelihood, words)
    }

    /// The M-step: t(f|e) = c(e,f) / Σ_f' c(e,f') per row; rows without counts keep their values.
    func maximize(_ table: inout TranslationTable) {
        let total = counts[0]
        for w in 1..<Swift.max(1, workers) {
            let other = counts[w]
            for k in 0..<pairCount { total[k] += other[k] }
        }
        let starts = table.rowStarts
        table.probabilities.withUnsafeMutableBufferPointer { t in
            for row in 0..<(starts.count - 1) {
                let range = starts[row]..<starts[row + 1]
                var sum = 0.0
                for k in range { sum += total[k] }
                guard sum > 0 else { continue }
                let scale = 1 / sum
                for k in range { t[k] = Float(total[k] * scale) }
            }
        }
    }

    private func work(_ w: Int, table: TranslationTable, poll: ProgressPoll) {
        let c = counts[w]
        c.update(repeating: 0)
        stopped[w] = false
        let sentenceCount = e.sentenceCount
        let first = w * sentenceCount / workers, end = (w + 1) * sentenceCount / workers
        var logLikelihood = 0.0, words = 0
        var index: [Int] = [], p: [Double] = [], weights: [Double] = []
        table.probabilities.withUnsafeBufferPointer { t in
            for s in first..<end {
                if (s - first) & 255 == 255, poll.poll() == .stop {
                    stopped[w] = true
                    return
                }
                let es = e.sentence(s), fs = f.sentence(s)
                let generators = es.count + (nullWord ? 1 : 0)
                guard !fs.isEmpty, generators > 0 else { continue }
                index.removeAll(keepingCapacity: true)
                for word in fs {
                    if nullWord { index.append(table.index(row: table.nullRow, target: word) ?? -1) }
                    for source in es { index.append(table.index(row: Int(source), target: word) ?? -1) }
                }
                for j in 0..<fs.count {
                    prior.fill(&weights, j: j, generatedLength: fs.count, sourceLength: es.count, nullWord: nullWord)
                    p.removeAll(keepingCapacity: true)
                    var sum = 0.0
                    for g in 0..<generators {
                        let k = index[j * generators + g]
                        let value = k >= 0 ? Double(t[k]) * weights[g] : 0
                        p.append(value)
                        sum += value
                    }
                    // A sum that underflowed to 0 shares the word by the prior (never seen in practice).
                    logLikelihood += sum > 0 ? log(sum) : log(Double(Float.leastNormalMagnitude))
                    words += 1
                    for g in 0..<generators {
                        let k = index[j * generators + g]
                        if k >= 0 { c[k] += sum > 0 ? p[g] / sum : weights[g] }
                    }
                }
            }
        }
        logLikelihoods[w] = logLikelihood
        wordCounts[w] = words
    }
}
