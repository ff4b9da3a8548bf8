/// A multi-class averaged perceptron (Collins 2002; Freund & Schapire 1999), the classifier
/// of the cross-lingual document classification protocol (Klementiev et al. 2012: 10 epochs).
///
/// Model: one weight row `w_k` (length `dimension`) and one bias `b_k` per class; the score of
/// class k for x is `w_k·x + b_k` (summed in `Double`, feature order), the prediction the
/// highest score, the lowest class id among ties. Training starts from zeros and visits the
/// examples `epochs` times, each epoch in a new order (`SplitMix64.shuffle`, one `SplitMix64(seed:)` for
/// the whole run). On a mistake (predicted p ≠ gold y): `w_y += x, b_y += 1, w_p −= x, b_p −= 1`.
/// The kept model is the *average* of the T = epochs × n models after each example, computed
/// with the lazy-averaging identity `w̄ = ((T + 1)·w_T − Σₜ t·Δₜ) / T` (Δₜ the update at
/// 1-based step t; Daumé 2006 §2.1.1), so training costs O(T·K·d) with no per-step averaging.
/// Deterministic: the same examples, epochs and seed give the same model bit for bit.
public struct AveragedPerceptron: Sendable {
    /// K × d averaged weights, row k for class k.
    public private(set) var weights: [[Double]]
    /// K averaged biases.
    public private(set) var bias: [Double]
    /// Training mistakes (updates) in each epoch that ran.
    public private(set) var mistakesPerEpoch: [Int] = []

    /// The number of classes K.
    public var classes: Int { bias.count }
    /// The feature dimension d.
    public var dimension: Int { weights.first?.count ?? 0 }

    /// A model with all weights and biases zero (predicts class 0 for everything).
    public init(classes: Int, dimension: Int) {
        weights = Array(repeating: Array(repeating: 0, count: dimension), count: classes)
        bias = Array(repeating: 0, count: classes)
    }

    /// Trains on `features` (n rows of length d) with gold `labels` in `0..<classes`.
    ///
    /// `progress` is polled before the first epoch (`isPoll`, step 0) and hears of every epoch
    /// (phase `training`, unit `epochs`, loss = the epoch's share of mistakes, extra `mistakes`);
    /// on `.stop` training ends and the model averages the steps done so far (an untrained model
    /// if none).
    /// Throws when the rows disagree in length, labels are out of range or counts differ.
    public static func train(
        features: [[Double]], labels: [Int], classes: Int, epochs: Int = 10, seed: UInt64,
        progress: ProgressHandler = ProgressAction.ignore
    ) throws(ClassificationError) -> AveragedPerceptron {
        let n = features.count
        let d = features.first?.count ?? 0
        guard n == labels.count else { throw ClassificationError("\(n) feature rows but \(labels.count) labels") }
        guard classes >= 1 else { throw ClassificationError("a classifier needs at least one class") }
        if let bad = features.firstIndex(where: { $0.count != d }) {
            throw ClassificationError("feature row \(bad) has \(features[bad].count) values, row 0 has \(d)")
        }
        if let bad = labels.firstIndex(where: { !(0..<classes).contains($0) }) {
            throw ClassificationError("label \(labels[bad]) of example \(bad) is not in 0..<\(classes)")
        }
        var current = AveragedPerceptron(classes: classes, dimension: d)
        // Σₜ t·Δₜ for the weights and the biases.
        var weighted = current.weights
        var weightedBias = current.bias
        var generator = SplitMix64(seed: seed)
        var order = Array(0..<n)
        var step = 0
        var mistakes: [Int] = []
        let planned = max(0, epochs), started = MonotonicClock.seconds()
        let start = Progress(phase: "training", step: 0, total: planned, unit: "epochs", isPoll: true)
        let epochsToRun = planned > 0 && progress(start) == .continue ? planned : 0
        for epoch in 0..<epochsToRun {
            generator.shuffle(&order)
            var epochMistakes = 0
            for i in order {
                step += 1
                let x = features[i], gold = labels[i]
                let predicted = current.predict(x)
                guard predicted != gold else { continue }
                epochMistakes += 1
                let t = Double(step)
                for j in 0..<d {
                    current.weights[gold][j] += x[j]
                    current.weights[predicted][j] -= x[j]
                    weighted[gold][j] += t * x[j]
                    weighted[predicted][j] -= t * x[j]
                }
                current.bias[gold] += 1
                current.bias[predicted] -= 1
                weightedBias[gold] += t
                weightedBias[predicted] -= t
            }
            mistakes.append(epochMistakes)
            let report = Progress(
                phase: "training", step: epoch + 1, total: planned, unit: "epochs",
                loss: Double(epochMistakes) / Double(max(1, n)), elapsedSeconds: MonotonicClock.since(started),
                extras: [.init("mistakes", Double(epochMistakes))])
            if progress(report) == .stop { break }
        }
        current.mistakesPerEpoch = mistakes
        guard step > 0 else { return current }
        let total = Double(step)
        for k in 0..<classes {
            for j in 0..<d { current.weights[k][j] = ((total + 1) * current.weights[k][j] - weighted[k][j]) / total }
            current.bias[k] = ((total + 1) * current.bias[k] - weightedBias[k]) / total
        }
        return current
    }

    /// The K class scores `w_k·x + b_k` of `x` (length d).
    public func scores(_ x: [Double]) -> [Double] {
        (0..<classes).map { k in
            var s = 0.0
            let row = weights[k]
            for j in 0..<min(row.count, x.count) { s += row[j] * x[j] }
            return s + bias[k]
        }
    }

    /// The class with the highest score (the lowest id among ties).
    public func predict(_ x: [Double]) -> Int {
        let s = scores(x)
        var best = 0
        for k in s.indices where s[k] > s[best] { best = k }
        return best
    }

    /// The predicted class of each row of `features`.
    public func predict(_ features: [[Double]]) -> [Int] { features.map { predict($0) } }
}
