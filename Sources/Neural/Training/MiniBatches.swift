import XlingCore

/// Mini-batches of example indices for one epoch.
public enum MiniBatches {
    /// `0..<count` shuffled with `generator` (`SplitMix64.shuffle`, the project's Fisher–Yates)
    /// and cut into consecutive batches of `size` (the last one may be smaller). Empty for
    /// `count == 0`; `size` must be ≥ 1.
    public static func shuffled(count: Int, size: Int, generator: inout SplitMix64) -> [[Int]] {
        precondition(size >= 1, "a batch holds at least one example")
        var order = Array(0..<max(0, count))
        generator.shuffle(&order)
        return stride(from: 0, to: order.count, by: size).map { Array(order[$0..<min($0 + size, order.count)]) }
    }

    /// `0..<count` in order, in batches of `size` (for prediction).
    public static func sequential(count: Int, size: Int) -> [Range<Int>] {
        precondition(size >= 1, "a batch holds at least one example")
        return stride(from: 0, to: max(0, count), by: size).map { $0..<min($0 + size, count) }
    }
}
