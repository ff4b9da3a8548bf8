/// A sparse lexical translation table t(f | e) over corpus ids, as IBM Model 1 estimates it:
/// for each source word id `e` (and the NULL word, row `nullRow`), the target ids `f` that
/// co-occur with `e` in at least one sentence pair, sorted, with their probabilities.
///
/// Layout (CSR): row `r` is `targets[rowStarts[r]..<rowStarts[r + 1]]` and the matching
/// `probabilities`; `rowStarts.count == sourceCount + 2` (source rows, then NULL). Memory is
/// proportional to the number of co-occurring pairs (12 bytes per pair), never
/// `sourceCount × targetCount`. Pairs that never co-occur have probability 0.
///
/// Invariant: after at least one EM iteration, each row that received counts sums to 1
/// (± Float rounding, ~1e-5); before that, every entry is 1 / `targetCount`.
public struct TranslationTable: Sendable {
    /// The number of source word types (ids `0..<sourceCount`); row `sourceCount` is NULL.
    public let sourceCount: Int
    /// The number of target word types (ids `0..<targetCount`).
    public let targetCount: Int
    /// Row offsets into `targets` / `probabilities`: `sourceCount + 2` entries.
    public let rowStarts: [Int]
    /// The target ids of all rows, concatenated; sorted inside each row.
    public let targets: [Int32]
    /// t(f | e) for each entry of `targets`.
    public internal(set) var probabilities: [Float]

    /// The row of the NULL source word.
    public var nullRow: Int { sourceCount }
    /// The number of stored (e, f) pairs, NULL row included.
    public var pairCount: Int { targets.count }

    /// A table from parts that satisfy the layout invariants.
    init(sourceCount: Int, targetCount: Int, rowStarts: [Int], targets: [Int32], probabilities: [Float]) {
        self.sourceCount = sourceCount
        self.targetCount = targetCount
        self.rowStarts = rowStarts
        self.targets = targets
        self.probabilities = probabilities
    }

    /// The entry index of pair (`row`, `target`), or nil when they never co-occur.
    /// O(log row length) (binary search).
    @inline(__always)
    public func index(row: Int, target: Int32) -> Int? {
        var lo = rowStarts[row], hi = rowStarts[row + 1]
        while lo < hi {
            let mid = (lo + hi) >> 1
            let value = targets[mid]
            if value == target { return mid }
            if value < target { lo = mid + 1 } else { hi = mid }
        }
        return nil
    }

    /// t(`target` | `source`); `source` nil means the NULL word. 0 for pairs never seen together.
    public func probability(of target: Int32, given source: Int32?) -> Float {
        let row = source.map(Int.init) ?? nullRow
        guard row >= 0, row <= nullRow, let i = index(row: row, target: target) else { return 0 }
        return probabilities[i]
    }

    /// The `k` most probable targets of `source` (nil: NULL), best first; ties by smaller id.
    public func best(for source: Int32?, k: Int) -> [(target: Int32, probability: Float)] {
        let row = source.map(Int.init) ?? nullRow
        guard row >= 0, row <= nullRow, k > 0 else { return [] }
        let entries = (rowStarts[row]..<rowStarts[row + 1]).map { (target: targets[$0], probability: probabilities[$0]) }
        let sorted = entries.sorted { $0.probability != $1.probability ? $0.probability > $1.probability : $0.target < $1.target }
        return Array(sorted.prefix(k))
    }

    /// The table of every pair that co-occurs in some sentence pair (`sources[s]`, `targets[s]`),
    /// each row uniform over the whole target vocabulary (t = 1 / `targetCount`), IBM Model 1's
    /// usual start. With `nullWord`, the NULL row holds every target id.
    ///
    /// Time O(P log P) for P = Σ_s |distinct e in s| · |distinct f in s| candidate pairs; memory
    /// 8 bytes per candidate while building (duplicates are folded every few million pairs).
    static func cooccurring(sources: Corpus, targets: Corpus, nullWord: Bool) -> TranslationTable {
        let sourceCount = sources.vocabulary.count, targetCount = targets.vocabulary.count
        var keys: [UInt64] = []
        var folded = 0
        var es: [Int32] = [], fs: [Int32] = []
        for s in 0..<sources.sentenceCount {
            es = Array(Set(sources.sentence(s)))
            fs = Array(Set(targets.sentence(s)))
            for e in es {
                let high = UInt64(UInt32(e)) << 32
                for f in fs { keys.append(high | UInt64(UInt32(f))) }
            }
            if keys.count > 2 * folded + (1 << 22) {
                keys = sortedUnique(keys)
                folded = keys.count
            }
        }
        keys = sortedUnique(keys)
        var starts = [Int](repeating: 0, count: sourceCount + 2)
        var ids: [Int32] = []
        ids.reserveCapacity(keys.count + (nullWord ? targetCount : 0))
        for key in keys {
            starts[Int(key >> 32) + 1] += 1
            ids.append(Int32(truncatingIfNeeded: key & 0xffff_ffff))
        }
        if nullWord {
            starts[sourceCount + 1] = targetCount
            ids.append(contentsOf: (0..<Int32(targetCount)))
        }
        for r in 0...sourceCount { starts[r + 1] += starts[r] }
        let uniform = Float(1) / Float(Swift.max(1, targetCount))
        return TranslationTable(
            sourceCount: sourceCount, targetCount: targetCount, rowStarts: starts, targets: ids,
            probabilities: [Float](repeating: uniform, count: ids.count))
    }

    private static func sortedUnique(_ keys: [UInt64]) -> [UInt64] {
        var sorted = keys.sorted()
        var write = 0
        for read in sorted.indices where read == 0 || sorted[read] != sorted[read - 1] {
            sorted[write] = sorted[read]
            write += 1
        }
        sorted.removeLast(sorted.count - write)
        return sorted
    }
}
