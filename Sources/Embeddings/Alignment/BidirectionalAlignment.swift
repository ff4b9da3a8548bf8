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
    ///   - shouldStop: polled during the E-steps; stops training and keeps the partial models.
    ///   - progress: called after each iteration of each direction; false stops training.
    /// When training stops during the forward direction, the backward model is left untrained
    /// (uniform: its Viterbi alignment is empty) and `isComplete` is false.
    public static func train(_ parallel: ParallelCorpus, options: IBMModel1.Options = IBMModel1.Options(),
                             shouldStop: @escaping @Sendable () -> Bool = { false },
                             progress: (IBMModel1.Direction, IBMModel1.Iteration) -> Bool = { _, _ in true }) -> BidirectionalAlignment {
        var stopped = false
        let forward = IBMModel1.train(parallel, direction: .forward, options: options, shouldStop: shouldStop) { iteration in
            stopped = !progress(.forward, iteration)
            return !stopped
        }
        stopped = stopped || !forward.isComplete
        let backward = IBMModel1.train(parallel, direction: .backward,
                                       options: stopped ? IBMModel1.Options(iterations: 0, threads: options.threads, nullWord: options.nullWord, prior: options.prior) : options,
                                       shouldStop: shouldStop) { progress(.backward, $0) }
        return BidirectionalAlignment(forward: forward, backward: backward, parallel: parallel)
    }

    /// The two directions combined by `heuristic`.
    public func symmetrized(_ heuristic: Symmetrization) -> WordAlignment {
        heuristic.apply(forward: forwardAlignment, backward: backwardAlignment)
    }
}
