/// A trained (or stopped) GloVe model: word vectors W, context vectors C and their biases.
///
/// Shapes: `words` and `contexts` are V × d (row i = vocabulary id i); `wordBiases` and
/// `contextBiases` have V entries.
public struct GloVeModel: Sendable {
    /// Which vectors to use downstream.
    public enum Output: String, Sendable, CaseIterable {
        /// W alone (glove.c `-model 1`).
        case word
        /// W + C (glove.c `-model 2`, its default; Pennington et al. §4.2).
        case sum
    }

    /// W, V × d.
    public let words: Matrix
    /// C, V × d.
    public let contexts: Matrix
    /// The word biases b_i.
    public let wordBiases: [Float]
    /// The context biases b̃_j.
    public let contextBiases: [Float]
    /// The options the model was trained with.
    public let options: GloVeOptions
    /// Per-iteration losses and timings; `history.stopped` when the callback stopped the run.
    public let history: TrainingHistory

    /// True when training stopped early (through the progress callback).
    public var stopped: Bool { history.stopped }

    /// The vocabulary size V.
    public var vocabularySize: Int { words.rows }

    /// The vectors to use: W, or W + C.
    public func vectors(_ output: Output = .sum) -> Matrix {
        switch output {
        case .word:
            return words
        case .sum:
            var sum = words
            sum.storage.withUnsafeMutableBufferPointer { s in
                contexts.storage.withUnsafeBufferPointer { c in
                    for i in 0..<s.count { s[i] += c[i] }
                }
            }
            return sum
        }
    }
}
