/// Receives the pairs of one shard of rows, in the source's fixed enumeration order.
protocol CooccurrencePairSink {
    /// Adds `weights[code]` to X[row, column]; `row` is inside the shard being counted,
    /// `column` in `0..<columnCount`, `code` in `1..<weights.count`.
    func add(row: Int, column: Int, code: Int)
}

/// A way of counting co-occurrences (a window over a monolingual corpus, the sentence pairs
/// of a parallel corpus, aligned windows): it enumerates weighted (row, column) pairs, and
/// can say beforehand how many pairs each row will receive.
///
/// Contract: `enumerate` visits exactly `recordsPerRow()[r]` pairs with row `r` for every `r`
/// in `rows`, in an order that does not depend on `rows` (so every shard sums its entries in
/// the same order and the result does not depend on sharding or threads).
protocol CooccurrencePairSource: Sendable {
    /// Rows of X.
    var rowCount: Int { get }
    /// Columns of X.
    var columnCount: Int { get }
    /// `weights[code]` is the value a pair with that code adds; `weights[0]` is unused and
    /// every other weight is > 0. At most 256 codes.
    var weights: [Double] { get }
    /// The number of pairs each row receives (`rowCount` entries).
    func recordsPerRow() -> [Int]
    /// Feeds every pair whose row is in `rows` to `sink`; polls `stop` every
    /// `CooccurrenceShardRunner.pollInterval` sentences and returns false as soon as it says
    /// `.stop`.
    func enumerate<Sink: CooccurrencePairSink>(rows: Range<Int>, into sink: Sink, stop: ProgressPoll) -> Bool
}
