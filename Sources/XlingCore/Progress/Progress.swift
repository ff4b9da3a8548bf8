/// One report of a long engine call — the project's single progress type, as openTSNE has one
/// callback type. Every long call (GloVe, co-factorization, co-occurrence counting, IBM Model 1,
/// Procrustes refinement, the neural trainer and `TextClassifier`, the averaged perceptron and
/// CLDC, t-SNE, the GEMM benchmark) takes a `ProgressHandler` and calls it with a `Progress`:
///
/// - after every completed step (`isPoll == false`), on the calling thread, with `step` the
///   number of steps completed (1-based; some calls also report step 0 when a preparatory phase
///   ends, e.g. t-SNE's affinities);
/// - for calls whose steps are long, also *within* a step (`isPoll == true`), only so the
///   caller can stop: `step` is the number of completed steps. Such polls may come from a worker
///   thread but never concurrently (see `ProgressPoll`), so a handler must do nothing
///   thread-bound (no display updates) when `isPoll` is true — just answer.
///
/// The handler answers `ProgressAction.continue` or `.stop`: one polarity everywhere. On `.stop`
/// the call ends as soon as it can and, where its contract says so, returns its partial result
/// marked stopped (each call's documentation says what is kept).
///
/// Invariant: `0 ≤ step ≤ total` for step reports; `elapsedSeconds` ≥ 0 and from
/// `MonotonicClock`.
public struct Progress: Sendable, Equatable {
    /// A named number beyond the loss (`records/s`, `dev accuracy`, `pairs`, …).
    public struct Extra: Sendable, Equatable {
        /// The quantity's name, e.g. `records/s`.
        public var name: String
        /// Its value.
        public var value: Double

        /// `name = value`.
        public init(_ name: String, _ value: Double) {
            self.name = name
            self.value = value
        }
    }

    /// What the call is doing, e.g. `training`, `forward EM`, `early exaggeration`.
    public var phase: String
    /// Steps completed so far.
    public var step: Int
    /// Steps planned (≥ 1 for a run that has any), e.g. iterations or epochs asked for.
    public var total: Int
    /// The name of a step, plural: `iterations`, `epochs`, `EM iterations`, `steps`, `passes`.
    public var unit: String
    /// The step's loss or objective (GloVe cost, KL, perplexity, mean training loss), when it
    /// has one.
    public var loss: Double?
    /// Wall time since the call started, in seconds (`MonotonicClock`).
    public var elapsedSeconds: Double
    /// Further measurements of the step, in the call's order.
    public var extras: [Extra]
    /// True for a stop check within a step (possibly from a worker thread); see the type.
    public var isPoll: Bool

    /// A report.
    public init(
        phase: String, step: Int, total: Int, unit: String, loss: Double? = nil,
        elapsedSeconds: Double = 0, extras: [Extra] = [], isPoll: Bool = false
    ) {
        self.phase = phase
        self.step = step
        self.total = total
        self.unit = unit
        self.loss = loss
        self.elapsedSeconds = elapsedSeconds
        self.extras = extras
        self.isPoll = isPoll
    }

    /// The value of the extra called `name`, or nil when there is none.
    public func extra(_ name: String) -> Double? { extras.first { $0.name == name }?.value }

    /// This report as a within-step poll (same phase and step).
    public var asPoll: Progress {
        var poll = self
        poll.isPoll = true
        return poll
    }
}

/// The handler of `Progress` reports: answers `.continue` or `.stop`.
public typealias ProgressHandler = (Progress) -> ProgressAction
