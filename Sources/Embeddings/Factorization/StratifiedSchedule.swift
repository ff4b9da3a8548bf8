/// A conflict-free parallel schedule for one pass over word × context records (the
/// stratification of Gemulla et al. 2011, "Large-scale matrix factorization with distributed
/// stochastic gradient descent"): words and contexts are split into T groups each, the records
/// into the T × T blocks (word group, context group), and a pass runs T sub-passes; in sub-pass
/// s, thread t processes block (t, (t + s) mod T). Concurrent blocks share no word row and no
/// context row, so threads never write the same cache line (no Hogwild collisions) and the
/// result depends only on the seed and T.
///
/// Within a block the records keep the one shuffled order. Groups are balanced by record
/// count: ids by decreasing count, each to the group with the fewest records so far.
/// With T = 1 the schedule is the shuffled order itself.
struct StratifiedSchedule: Sendable {
    /// T.
    let threads: Int
    /// Record indices (into the shuffled order), block-major: block (t, u) is
    /// `order[blocks[t * threads + u]]`.
    let order: [Int]
    /// The range of `order` of each block.
    let blocks: [Range<Int>]

    /// The schedule of records whose word is `words[i]` and context `contexts[i]` (ids below
    /// `wordCount` / `contextCount`), for `threads` threads.
    init(words: [Int32], contexts: [Int32], wordCount: Int, contextCount: Int, threads: Int) {
        let t = Swift.max(1, threads)
        self.threads = t
        let wordGroup = Self.balancedGroups(words, count: wordCount, groups: t)
        let contextGroup = Self.balancedGroups(contexts, count: contextCount, groups: t)
        var block = [Int](repeating: 0, count: words.count)
        var sizes = [Int](repeating: 0, count: t * t)
        for i in 0..<words.count {
            block[i] = wordGroup[Int(words[i])] * t + contextGroup[Int(contexts[i])]
            sizes[block[i]] += 1
        }
        var starts = [Int](repeating: 0, count: t * t + 1)
        for b in 0..<(t * t) { starts[b + 1] = starts[b] + sizes[b] }
        blocks = (0..<(t * t)).map { starts[$0]..<starts[$0 + 1] }
        var next = Array(starts.dropLast())
        var order = [Int](repeating: 0, count: words.count)
        for i in 0..<words.count {
            order[next[block[i]]] = i
            next[block[i]] += 1
        }
        self.order = order
    }

    /// The blocks of sub-pass `s`: thread t's range of `order`.
    func ranges(subPass s: Int) -> [Range<Int>] {
        (0..<threads).map { blocks[$0 * threads + ($0 + s) % threads] }
    }

    /// The largest block of each sub-pass over the mean: 1 = perfectly balanced.
    var imbalance: Double {
        var worst = 1.0
        for s in 0..<threads {
            let sizes = ranges(subPass: s).map(\.count)
            let mean = Double(sizes.reduce(0, +)) / Double(threads)
            if mean > 0 { worst = Swift.max(worst, Double(sizes.max() ?? 0) / mean) }
        }
        return worst
    }

    /// A group in `0..<groups` for every id in `0..<count`, balancing the number of `ids`
    /// entries per group (greedy by decreasing count, ties by id).
    static func balancedGroups(_ ids: [Int32], count: Int, groups: Int) -> [Int] {
        var perId = [Int](repeating: 0, count: count)
        for id in ids { perId[Int(id)] += 1 }
        let byCount = (0..<count).sorted { perId[$0] != perId[$1] ? perId[$0] > perId[$1] : $0 < $1 }
        var load = [Int](repeating: 0, count: groups)
        var group = [Int](repeating: 0, count: count)
        for id in byCount {
            var best = 0
            for g in 1..<Swift.max(1, groups) where load[g] < load[best] { best = g }
            group[id] = best
            load[best] += perId[id]
        }
        return group
    }
}
