import Neural
import XlingCore

/// The training loop of `MultilingualLM` (Wada & Iwata 2018 with the authors' schedule): per
/// epoch, the seeded bucket order of `LMBuckets`; at each bucket index every language takes a
/// forward then a backward SGD update (global-norm clipping each). After every epoch the
/// selection criterion (`MLMSelection.meanCSLS`, language 0 as the source, averaged over the
/// other languages) is computed, and the parameters of the epoch `Options.keep` names are kept
/// (the last, as the authors' code and our default, or the criterion's best, as the paper); a stop request is
/// honoured before each update and keeps the parameters of the last finished update.
public enum MLMTrainer {
    /// Schedule and optimisation settings (the paper's defaults).
    public struct Options: Sendable, Equatable {
        /// Which epoch's parameters a finished run keeps.
        public enum Keep: String, Sendable, Equatable, CaseIterable {
            /// The epoch with the best selection criterion (the paper; the last one with one language).
            case criterion
            /// The last epoch (the authors' 2019 code); the criterion is still computed and reported.
            case last
        }
        public var epochs = 10
        public var batchSize = 64
        public var learningRate: Float = 1
        public var clip = 5.0
        public var seed: UInt64 = 1
        /// Source words the criterion translates (the paper's 3,000).
        public var selectionWords = 3000
        /// Which epoch's parameters are kept: the last by default. The paper keeps the criterion's
        /// best; on the held-out third of our dictionaries (Tests/bench/README.md, session 27) the
        /// last epoch translated as well or better in most runs while the criterion peaked early.
        public var keep = Keep.last
        public init() {}
    }

    /// The running figures, reported after every update.
    public struct Progress: Sendable {
        public var epoch: Int, step: Int, stepsPerEpoch: Int
        /// Σ NLL / predicted tokens so far this epoch, by language and direction (NaN before any).
        public var lossPerToken: [[Double]]
        /// Direction-tokens per second this epoch.
        public var tokensPerSecond: Double
    }

    /// One finished epoch.
    public struct EpochReport: Sendable {
        public var epoch: Int
        public var lossPerToken: [[Double]]
        public var tokens: Int
        public var seconds: Double
        /// The selection criterion at the epoch's end (nil with one language).
        public var criterion: Double?
    }

    /// The best epoch so far: its index (0-based), its criterion (or −epoch with one language),
    /// and its parameters (nil when they are the model's current ones, i.e. the last epoch's).
    public struct Best: Sendable {
        public var epoch: Int, score: Double
        public var snapshot: ParameterSnapshot?
        public init(epoch: Int, score: Double, snapshot: ParameterSnapshot?) {
            self.epoch = epoch
            self.score = score
            self.snapshot = snapshot
        }
    }

    /// Where a resumed run starts (`MLMCheckpoint.resume`): epochs `epochsDone..<options.epochs`
    /// run, and the checkpoint's best epoch competes in the selection.
    public struct Resume: Sendable {
        public var epochsDone: Int
        public var lastCriterion: Double?
        public var best: Best?
        public init(epochsDone: Int, lastCriterion: Double?, best: Best?) {
            self.epochsDone = epochsDone
            self.lastCriterion = lastCriterion
            self.best = best
        }
    }

    /// The outcome.
    public struct Result: Sendable {
        public var epochs: [EpochReport]
        /// The epoch (0-based) whose parameters the model holds; nil after a stop (then the last update's).
        public var keptEpoch: Int?
        /// Set when a stop request ended training: (epoch, updates finished in it).
        public var stoppedAt: (epoch: Int, step: Int)?
    }

    /// Trains `model` on `corpora` (one per language, in the model's order); `epochEnd` sees each
    /// finished epoch's report, the model as it stands then (before the best epoch is restored) and
    /// the best epoch so far (what `MLMCheckpoint` saves). With `resume`, epochs
    /// `resume.epochsDone..<options.epochs` run on the model as given (the checkpoint's): the bucket
    /// order and dropout masks of epoch k depend only on the seed and k, so a resumed run takes the
    /// same updates as an uninterrupted one. Throws when a batch loss is not finite (the run
    /// diverged; nothing is kept) or when `resume` has done all `options.epochs` already.
    public static func train(
        _ model: inout MultilingualLM, corpora: [LMCorpus], options: Options, resume: Resume? = nil,
        shouldStop: () -> Bool = { false }, progress: (Progress) -> Void = { _ in },
        epochEnd: (EpochReport, MultilingualLM, Best?) -> Void = { _, _, _ in }
    ) throws(LanguageModelError) -> Result {
        guard corpora.map(\.words.count) == model.configuration.vocabularySizes else {
            throw LanguageModelError(
                problem: "the corpora's vocabularies do not fit the model's", fix: "build the model from these corpora")
        }
        let codes = corpora.map(\.language)
        guard Set(codes).count == codes.count else {
            throw LanguageModelError(
                problem: "two corpora have the same language (\(codes.joined(separator: ", ")))", fix: "give one corpus per language")
        }
        guard corpora.count >= 2 else {
            throw LanguageModelError(problem: "one corpus only: the model aligns several languages", fix: "give two to four corpora")
        }
        guard options.epochs >= 1 else { throw LanguageModelError(problem: "epochs must be at least 1", fix: "e.g. epochs=10") }
        guard options.learningRate > 0, options.clip > 0 else {
            throw LanguageModelError(problem: "lr and clip must be positive", fix: "the paper's lr=1 clip=5")
        }
        let first = resume?.epochsDone ?? 0
        guard first < options.epochs else {
            throw LanguageModelError(
                problem: "the checkpoint has finished \(first) epochs already, and epochs=\(options.epochs)",
                fix: "give epochs= more than \(first) to train on (epochs= counts the checkpoint's epochs too)")
        }
        let buckets = try LMBuckets(corpora.map(\.sentences), batchSize: options.batchSize, seed: options.seed)
        let languages = corpora.count
        var reports: [EpochReport] = []
        // The epoch to keep; its snapshot is nil while it is the newest epoch's (the model's own
        // parameters): keep=last, and runs without a criterion, never copy the parameters.
        var best: (epoch: Int, score: Double, snapshot: ParameterSnapshot?)?
        if let b = resume?.best { best = (b.epoch, b.score, b.snapshot ?? (options.keep == .last ? nil : model.store.snapshot())) }
        for epoch in first..<options.epochs {
            let steps = buckets.steps(epoch: epoch, seed: options.seed)
            // Each epoch's dropout stream is a function of (seed, epoch), so a resumed run draws the same masks.
            var dropout = SplitMix64(seed: (options.seed ^ 0x6472_6f70) &+ 0x9e37_79b9_7f4a_7c15 &* UInt64(epoch))
            var nll = [[Double]](repeating: [0, 0], count: languages)
            var counts = [[Int]](repeating: [0, 0], count: languages)
            let start = MonotonicClock.seconds()
            // Data-parallel updates run OpenBLAS single-threaded: set once for the epoch's updates
            // (the criterion and `epochEnd` keep the caller's threads).
            let blasThreads = model.threads >= 2 && model.dataParallel ? BLAS.threads : 1
            if blasThreads != 1 { BLAS.setThreads(1) }
            defer { if blasThreads != 1 { BLAS.setThreads(blasThreads) } }
            for (i, s) in steps.enumerated() {
                if shouldStop() { return Result(epochs: reports, keptEpoch: nil, stoppedAt: (epoch, i)) }
                let sentences = buckets.buckets[s.language][s.bucket]
                let r = model.step(
                    language: s.language, direction: s.direction, sentences: sentences, learningRate: options.learningRate,
                    clip: options.clip, generator: &dropout)
                guard r.loss.isFinite, r.gradientNorm.isFinite else {
                    let code = corpora[s.language].language
                    throw LanguageModelError(
                        problem:
                            "the loss became \(r.loss.isNaN ? "NaN" : "\(r.loss)") at epoch \(epoch + 1), update \(i + 1) (\(code), \(s.direction))",
                        fix: "lower lr= (the paper's 1.0) or clip= (5.0), or use fewer layers")
                }
                nll[s.language][s.direction.rawValue] += r.loss * Double(sentences.count)
                counts[s.language][s.direction.rawValue] += r.tokens
                let elapsed = max(MonotonicClock.since(start), 1e-9)
                progress(
                    Progress(
                        epoch: epoch, step: i + 1, stepsPerEpoch: steps.count, lossPerToken: perToken(nll, counts),
                        tokensPerSecond: Double(counts.joined().reduce(0, +)) / elapsed))
            }
            if blasThreads != 1 { BLAS.setThreads(blasThreads) }
            var criterion: Double?
            if languages > 1 {
                let source = withoutUnknown(model.embeddings(language: 0))
                var sum = 0.0
                for l in 1..<languages {
                    sum +=
                        (try? MLMSelection.meanCSLS(
                            source: source, target: withoutUnknown(model.embeddings(language: l)), sourceWords: options.selectionWords))
                        ?? .nan
                }
                criterion = sum / Double(languages - 1)
            }
            let report = EpochReport(
                epoch: epoch, lossPerToken: perToken(nll, counts), tokens: counts.joined().reduce(0, +),
                seconds: MonotonicClock.since(start), criterion: criterion)
            reports.append(report)
            let score = criterion ?? -Double(epoch)
            let newest = criterion == nil || options.keep == .last
            if newest || best == nil || score > best!.score {
                best = (epoch, score, newest ? nil : model.store.snapshot())
            }
            epochEnd(report, model, best.map { Best(epoch: $0.epoch, score: $0.score, snapshot: $0.epoch == epoch ? nil : $0.snapshot) })
        }
        if let snapshot = best?.snapshot, best?.epoch != options.epochs - 1 { model.store.restore(snapshot) }
        return Result(epochs: reports, keptEpoch: best?.epoch, stoppedAt: nil)
    }

    private static func perToken(_ nll: [[Double]], _ counts: [[Int]]) -> [[Double]] {
        zip(nll, counts).map { n, c in zip(n, c).map { $1 > 0 ? $0 / Double($1) : .nan } }
    }

    /// E^ℓ without its UNK row 0.
    static func withoutUnknown(_ e: Matrix) -> Matrix {
        (try? Matrix(rows: e.rows - 1, cols: e.cols, values: Array(e.storage[e.cols...]))) ?? e
    }
}
