import XlingCore

/// The batches of the authors' schedule for `MultilingualLM` (Wada & Iwata's 2019 code): every
/// language oversampled to the largest corpus (whole copies plus a seeded random remainder drawn
/// without repetition), sorted by length descending and cut into buckets of `batchSize`, so
/// bucket k of every language holds sentences of similar rank (padding ≈ 1.05× instead of ≈ 3×
/// for random batches). An epoch visits the bucket indices in a seeded permutation; at each index
/// every language in turn takes a forward and a backward update.
///
/// Invariants: every language has `bucketCount` buckets; bucket k of a language is sorted by
/// length descending; all buckets have `batchSize` sentences except possibly the last.
public struct LMBuckets: Sendable {
    /// `buckets[ℓ][k]`: the sentences of bucket k of language ℓ.
    public let buckets: [[[[Int]]]]
    /// Buckets per language.
    public var bucketCount: Int { buckets.first?.count ?? 0 }
    /// Sentences per language after oversampling (the largest corpus's count).
    public let sentencesPerLanguage: Int

    /// The buckets of `languages` (each a non-empty list of non-empty sentences); `seed` fixes
    /// the oversampling remainder.
    public init(_ languages: [[[Int]]], batchSize: Int, seed: UInt64) throws(LanguageModelError) {
        guard batchSize >= 1 else { throw LanguageModelError(problem: "batch must be at least 1, got \(batchSize)", fix: "e.g. batch=64") }
        guard let largest = languages.map(\.count).max(), languages.allSatisfy({ !$0.isEmpty }) else {
            throw LanguageModelError(problem: "a language has no sentence", fix: "give every corpus some text")
        }
        var generator = SplitMix64(seed: seed ^ 0x6c6d_6275_636b_6574)
        buckets = languages.map { sentences in
            var pool = [Int]()
            pool.reserveCapacity(largest)
            for _ in 0..<largest / sentences.count { pool += sentences.indices }
            let remainder = largest % sentences.count
            if remainder > 0 {
                var order = Array(sentences.indices)
                for i in 0..<remainder {
                    let j = i + Int(generator.next() % UInt64(order.count - i))
                    order.swapAt(i, j)
                }
                pool += order[0..<remainder]
            }
            // Stable: equal lengths keep corpus order, so the buckets are a function of the seed.
            let sorted = pool.enumerated().sorted { a, b in
                let la = sentences[a.element].count, lb = sentences[b.element].count
                return la != lb ? la > lb : a.offset < b.offset
            }
            return stride(from: 0, to: largest, by: batchSize).map { start in
                sorted[start..<min(largest, start + batchSize)].map { sentences[$0.element] }
            }
        }
        sentencesPerLanguage = largest
    }

    /// The bucket order of epoch `epoch` (0-based): a seeded Fisher–Yates permutation.
    public func order(epoch: Int, seed: UInt64) -> [Int] {
        var generator = SplitMix64(seed: seed &+ 0x9e37_79b9_7f4a_7c15 &* UInt64(epoch + 1))
        var order = Array(0..<bucketCount)
        for i in stride(from: order.count - 1, to: 0, by: -1) {
            order.swapAt(i, Int(generator.next() % UInt64(i + 1)))
        }
        return order
    }

    /// One update of the schedule.
    public struct Step: Sendable, Equatable {
        public let bucket: Int, language: Int
        public let direction: MultilingualLM.Direction
    }

    /// The updates of epoch `epoch` in order: for each bucket index of `order(epoch:seed:)`, for
    /// each language, forward then backward.
    public func steps(epoch: Int, seed: UInt64) -> [Step] {
        order(epoch: epoch, seed: seed).flatMap { k in
            buckets.indices.flatMap { l in MultilingualLM.Direction.allCases.map { Step(bucket: k, language: l, direction: $0) } }
        }
    }

    /// Σ(len + 1) over every sentence of every language: the direction-tokens of one epoch per
    /// direction.
    public var tokensPerDirection: Int { buckets.reduce(0) { $0 + $1.reduce(0) { $0 + $1.reduce(0) { $0 + $1.count + 1 } } } }
}
