extension SplitMix64 {
    /// Shuffles `elements` in place, reproducibly: Fisher–Yates from the back,
    /// `for i in n−1 … 1: j = next() mod (i + 1); swap(i, j)` with `next()` this generator's raw
    /// 64-bit output. The project's one shuffle (perceptron epochs, mini-batches, the GloVe and
    /// co-factorization record orders); a reference implementation can repeat it, and the modulo
    /// bias (< 2⁻⁴⁰ for these sizes) is irrelevant here. Draws exactly n − 1 numbers (none for
    /// n ≤ 1).
    public mutating func shuffle<Element>(_ elements: inout [Element]) {
        guard elements.count > 1 else { return }
        for i in stride(from: elements.count - 1, through: 1, by: -1) {
            let j = Int(next() % UInt64(i + 1))
            elements.swapAt(i, j)
        }
    }
}
