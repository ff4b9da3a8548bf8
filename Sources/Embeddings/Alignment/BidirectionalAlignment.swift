/// IBM Model 1 trained in both directions on one parallel corpus, with each direction's
/// Viterbi alignment: the input of symmetrisation, AER and the CLSim similarities.
///
/// Invariant: both alignments have `parallel.sentenceCount` sentences and links
/// (source position, target position); the forward one links each target word at most once,
/// the backward one each source word at most once.
public struct BidirectionalAlignment: Sendable {
    /// P(target | source), rows over source ids.
    public let forward: IBMModel1
    /// P(source | target), rows over target ids.
    public let backward: IBMModel1
    /// The forward model's Viterbi links.
    public let forwardAlignment: WordAlignment
    /// The backward model's Viterbi links (already as source → target positions).
    public let backwardAlignment: WordAlignment

    /// Whether both directions ran all their iterations.
    public var isComplete: Bool { forward.isComplete && backward.isComplete }

    /// Pairs two trained models with their Viterbi alignments of `parallel`.
    public init(forward: IBMModel1, backward: IBMModel1, parallel: ParallelCorpus) {
        self.forward = forward
        self.backward = backward
        forwardAlignment = forward.viterbi(parallel)
        backwardAlignment = backward.viterbi(parallel)
    }

    /// Trains the forward model, then the backward one, with the same options.
    ///
    /// - Parameters:
    ///   - progress: hears of every EM iteration of both directions as one run: phase `forward EM`
    ///     then `backward EM`, step and total counted over both (the backward direction's
    ///     iteration i is step `iterations + i` of `2·iterations`), and the E-step polls (see
    ///     `IBMModel1.train`). `.stop` ends training and keeps the partial models.
    /// When training stops during the forward direction, the backward model is left untrained
    /// (uniform: its Viterbi alignment is empty) and `isComplete` is false.
    public static func train(
        _ parallel: ParallelCorpus, options: IBMModel1.Options = IBMModel1.Options(),
        progress: ProgressHandler = ProgressAction.ignore
    ) -> BidirectionalAlignment {
        var stopped = false
        let total = 2 * options.iterations
        let forward = IBMModel1.train(parallel, direction: .forward, options: options) { report in
            var combined = report
            combined.total = total
            let action = progress(combined)
            if action == .stop { stopped = true }
            return action
        }
        stopped = stopped || !forward.isComplete
        var backwardOptions = options
        if stopped { backwardOptions.iterations = 0 }
        let backward = IBMModel1.train(parallel, direction: .backward, options: backwardOptions) { report in
            var combined = report
            combined.step += options.iterations
            combined.total = total
            return progress(combined)
        }
        return BidirectionalAlignment(forward: forward, backward: backward, parallel: parallel)
    }

    /// The two directions combined by `heuristic`.
    public func symmetrized(_ heuristic: Symmetrization) -> WordAlignment {
        heuristic.apply(forward: forwardAlignment, backward: backwardAlignment)
    }
}
