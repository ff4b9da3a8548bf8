/// How well predicted labels match gold labels: accuracy, per-class and macro precision,
/// recall and F1, and the confusion matrix.
///
/// Conventions (stated because libraries differ): precision of a class nobody predicted is 0,
/// recall of a class with no gold example is 0, F1 is 0 when precision + recall is 0 (sklearn's
/// `zero_division=0`); macro precision/recall/F1 are the unweighted means of the per-class
/// values over all K classes (so macro-F1 is the mean of per-class F1, not the F1 of macro P
/// and macro R, which is `paperF1`). All values are fractions in [0, 1].
public struct ClassificationReport: Sendable, Equatable {
    /// The class names, in label-id order.
    public let labelNames: [String]
    /// `confusion[gold][predicted]` = how many examples of class `gold` were predicted as `predicted` (K × K).
    public let confusion: [[Int]]

    /// Per-class figures.
    public struct ClassScores: Sendable, Equatable {
        /// Correct predictions of the class / predictions of the class (0 when none).
        public var precision: Double
        /// Correct predictions of the class / gold examples of the class (0 when none).
        public var recall: Double
        /// Harmonic mean of precision and recall (0 when both are 0).
        public var f1: Double
        /// Gold examples of the class.
        public var support: Int
        /// Predictions of the class.
        public var predicted: Int
    }

    /// Compares `predicted` with `gold` (same length, ids in `0..<labelNames.count`).
    public init(gold: [Int], predicted: [Int], labelNames: [String]) throws(ClassificationError) {
        guard gold.count == predicted.count else {
            throw ClassificationError(
                """
                \(gold.count) gold labels but \(predicted.count) predictions
                """)
        }
        let k = labelNames.count
        var confusion = Array(repeating: Array(repeating: 0, count: k), count: k)
        for (g, p) in zip(gold, predicted) {
            guard (0..<k).contains(g), (0..<k).contains(p) else {
                throw ClassificationError("label pair (\(g), \(p)) is not in 0..<\(k)")
            }
            confusion[g][p] += 1
        }
        self.labelNames = labelNames
        self.confusion = confusion
    }

    /// The number of examples compared.
    public var count: Int { confusion.reduce(0) { $0 + $1.reduce(0, +) } }

    /// Correct predictions / examples (0 for no examples).
    public var accuracy: Double {
        let correct = confusion.indices.reduce(0) { $0 + confusion[$1][$1] }
        return count == 0 ? 0 : Double(correct) / Double(count)
    }

    /// Precision, recall, F1, support and prediction count of each class, in label-id order.
    public var perClass: [ClassScores] {
        confusion.indices.map { c in
            let tp = confusion[c][c]
            let support = confusion[c].reduce(0, +)
            let predicted = confusion.reduce(0) { $0 + $1[c] }
            let precision = predicted == 0 ? 0 : Double(tp) / Double(predicted)
            let recall = support == 0 ? 0 : Double(tp) / Double(support)
            let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
            return ClassScores(precision: precision, recall: recall, f1: f1, support: support, predicted: predicted)
        }
    }

    /// Mean per-class precision.
    public var macroPrecision: Double { mean(perClass.map(\.precision)) }
    /// Mean per-class recall.
    public var macroRecall: Double { mean(perClass.map(\.recall)) }
    /// Mean per-class F1 (see the type's documentation).
    public var macroF1: Double { mean(perClass.map(\.f1)) }
    /// The harmonic mean of macro precision and macro recall, 2PR/(P + R) (0 when both are 0):
    /// the "F1" of M'hamdi et al. (2019)'s tables (their Eq. 4.16 in the thesis), which differs
    /// from `macroF1`, the mean of per-class F1.
    public var paperF1: Double {
        let p = macroPrecision, r = macroRecall
        return p + r == 0 ? 0 : 2 * p * r / (p + r)
    }

    private func mean(_ values: [Double]) -> Double {
        values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
    }
}
