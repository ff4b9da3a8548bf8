import Neural
import XlingCore

/// The multilingual neural language model of Wada & Iwata (2018): per language ℓ an input table
/// E^ℓ and an untied output matrix W^ℓ (no bias); shared by every language a forward and a backward
/// LSTM stack, one `<BOS>` input row and one `<EOS>` output row. The forward LM reads
/// `<BOS> w₁ … w_N` and predicts `w₁ … w_N <EOS>`; the backward LM does the same on the reversed
/// sentence, with the same E^ℓ, W^ℓ, `<BOS>` and `<EOS>` (the paper's single shared `<BOS>`; the
/// authors' 2019 code keeps one per direction).
///
/// Parameters (names in the store; shapes):
/// - `E.<ℓ>` V^ℓ × e, sparse rows; row 0 is the language's UNK, rows 1… its words;
/// - `W.<ℓ>` V^ℓ × h (PyTorch's `Linear(h, V, bias=False).weight`); output class 1 + r is word r,
///   class 0 is `<EOS>`;
/// - `bos` 1 × e, `eos` 1 × h;
/// - `fw.l<k>`, `bw.l<k>`: `LSTMCell`s (PyTorch layout transposed, gates i, f, g, o, the two bias
///   vectors b_ih and b_hh kept apart as in `nn.LSTM`, so clipping norms and updates match it).
///
/// Every parameter starts U(−bound, bound) (the paper's 0.1), in the order above. Dropout (rate
/// `dropout`) acts on each layer's output (between layers and on the top hidden state, one mask
/// for the `<EOS>` and word logits); the loss of a batch is the summed token NLL divided by the
/// sentences in the batch (the authors' normalisation, which matters at SGD lr 1.0).
public struct MultilingualLM: Sendable {
    /// The reading direction of a language model.
    public enum Direction: Int, Sendable, CaseIterable {
        case forward, backward
    }

    /// Model sizes and regularisation.
    public struct Configuration: Sendable, Equatable {
        /// V^ℓ per language (UNK included).
        public var vocabularySizes: [Int]
        /// e, the input embedding width.
        public var embedding: Int
        /// h, the LSTM state width.
        public var hidden: Int
        /// LSTM layers per direction (≥ 1).
        public var layers: Int
        /// Dropout rate on layer outputs, in [0, 1).
        public var dropout: Float
        /// The initialisation bound (U(−bound, bound)).
        public var initBound: Float

        public init(vocabularySizes: [Int], embedding: Int, hidden: Int, layers: Int = 1, dropout: Float = 0.3, initBound: Float = 0.1) {
            self.vocabularySizes = vocabularySizes
            self.embedding = embedding
            self.hidden = hidden
            self.layers = layers
            self.dropout = dropout
            self.initBound = initBound
        }
    }

    /// The sizes.
    public let configuration: Configuration
    /// All parameters.
    public var store = ParameterStore()
    /// E^ℓ, W^ℓ by language.
    public let inputs: [Parameter], outputs: [Parameter]
    /// The shared `<BOS>` input and `<EOS>` output rows.
    public let bos: Parameter, eos: Parameter
    /// The LSTM layers by direction (index `Direction.rawValue`), bottom first.
    public let cells: [[LSTMCell]]
    /// Threads of an update: with 2 and `dataParallel`, each batch's sentences are split over two
    /// workers (`step`); with 2 and not `dataParallel`, only the output softmax's rows are
    /// (`Tape.outputSoftmaxNLL`). A run setting, not a parameter (checkpoints do not keep it); the
    /// numbers are deterministic for a given value (1 is the serial update).
    public var threads = 1
    /// Whether `threads` ≥ 2 trains data-parallel (see `step`) rather than splitting the softmax rows.
    public var dataParallel = true
    /// The data-parallel workers' stores (made at the first data-parallel update, kept after).
    private var workers: WorkerStores?
    /// Rows of the output softmax's logit chunks (`Tape.outputSoftmaxNLL`'s `chunkRows`): a run
    /// setting that changes only speed and float rounding order of ∂W, never the method. By
    /// default 512 when h ≥ 256, else 256: a chunk re-packs W twice (V·h per GEMM call) and
    /// streams its c × (V+1) logits about six times; larger chunks pack W less often per row but
    /// leave the cache, which costs more at small h (fewer FLOP per logit). Measured (one thread,
    /// CPU seconds of `xling-bench mlm`): 512 rows 3 % faster than 256 at (300, 300, 10k), 1 % at
    /// (300, 300, 5k), 1–2 % slower at (128, 128, 5k).
    public var softmaxChunkRows: Int

    /// A model initialised from `seed` (U(−bound, bound) for every parameter).
    public init(_ configuration: Configuration, seed: UInt64) throws(LanguageModelError) {
        let c = configuration
        guard c.vocabularySizes.count >= 1, c.vocabularySizes.allSatisfy({ $0 >= 1 }) else {
            throw LanguageModelError(problem: "a language has an empty vocabulary", fix: "lower min_count or give each corpus some text")
        }
        guard c.embedding >= 1, c.hidden >= 1, c.layers >= 1 else {
            throw LanguageModelError(problem: "dim, hidden and layers must be at least 1", fix: "e.g. dim=128 hidden=128 layers=1")
        }
        guard c.dropout >= 0, c.dropout < 1 else {
            throw LanguageModelError(problem: "dropout \(c.dropout) is outside [0, 1)", fix: "e.g. dropout=0.3")
        }
        self.configuration = c
        softmaxChunkRows = c.hidden >= 256 ? 512 : 256
        var generator = SplitMix64(seed: seed)
        var store = ParameterStore()
        let a = c.initBound
        func uniform(_ r: Int, _ k: Int) -> Matrix {
            var m = Matrix(rows: r, cols: k)
            for i in m.storage.indices { m.storage[i] = (2 * generator.nextFloat() - 1) * a }
            return m
        }
        inputs = c.vocabularySizes.enumerated().map { l, v in
            store.add("E.\(l)", uniform(v, c.embedding), flags: ParameterFlags(sparseRows: true))
        }
        outputs = c.vocabularySizes.enumerated().map { l, v in store.add("W.\(l)", uniform(v, c.hidden)) }
        bos = store.add("bos", uniform(1, c.embedding))
        eos = store.add("eos", uniform(1, c.hidden))
        var cells: [[LSTMCell]] = []
        for d in ["fw", "bw"] {
            var stack: [LSTMCell] = []
            for k in 0..<c.layers {
                let cell = LSTMCell(
                    &store, name: "\(d).l\(k)", inputSize: k == 0 ? c.embedding : c.hidden, hiddenSize: c.hidden, generator: &generator)
                for p in [cell.wIH, cell.wHH, cell.bIH, cell.bHH] { store.replace(p, with: uniform(store[p].rows, store[p].cols)) }
                stack.append(cell)
            }
            cells.append(stack)
        }
        self.cells = cells
        self.store = store
    }

    /// The parameters one (language, direction) step touches: E^ℓ, W^ℓ, `<BOS>`, `<EOS>` and the
    /// direction's LSTM stack.
    public func parameters(language l: Int, direction: Direction) -> [Parameter] {
        [inputs[l], outputs[l], bos, eos] + cells[direction.rawValue].flatMap { [$0.wIH, $0.wHH, $0.bIH, $0.bHH] }
    }

    /// The loss of one batch of `sentences` (word ids 0..<V^ℓ, 0 = UNK; lengths ≥ 0, any order)
    /// of language `l` read in `direction`: Σ token NLL (words and `<EOS>`) / B. Returns the loss
    /// and the predicted tokens Σ(len + 1). Only each sentence's real steps are computed (packed
    /// rows, one fused `lstmSequence` per layer), so the batch's other lengths cannot change its loss.
    /// With `normalizer` the sum is divided by it instead of B (a shard's share of a batch of
    /// `normalizer` sentences).
    public func loss(
        language l: Int, direction: Direction, sentences: [[Int]], on tape: inout Tape, generator: inout SplitMix64,
        normalizer: Int? = nil
    ) -> (loss: Var, tokens: Int) {
        let b = sentences.count
        precondition(b > 0, "a batch needs a sentence")
        let v = configuration.vocabularySizes[l]
        let read = direction == .forward ? sentences : sentences.map { Array($0.reversed()) }
        // Sentence b reads len_b + 1 inputs (<BOS>, then its words) and predicts len_b + 1 targets
        // (its words, then <EOS>). Only these real steps are computed: packed time-major rows
        // (`PackedSteps`), so pads cost nothing in the LSTMs or the softmax.
        let steps = (read.map(\.count).max() ?? 0) + 1
        let packing = PackedSteps(lengths: read.map { $0.count + 1 }, steps: steps)
        var words: [Int] = [], targets: [Int] = []
        words.reserveCapacity(packing.count - b)
        targets.reserveCapacity(packing.count)
        for t in 0..<steps {
            for i in packing.active[t] {
                let s = read[i]
                if t > 0 {
                    precondition(s[t - 1] >= 0 && s[t - 1] < v, "word id \(s[t - 1]) outside language \(l)'s \(v) words")
                    words.append(s[t - 1])
                }
                targets.append(t < s.count ? s[t] + 1 : 0)
            }
        }
        // Every sentence is active at t = 0 (its <BOS>), so the packed rows of step 0 are the B <BOS> rows.
        var x = tape.gather(bos, ids: [Int](repeating: 0, count: b))
        if !words.isEmpty { x = tape.concatRows([x, tape.gather(inputs[l], ids: words)]) }
        for (k, cell) in cells[direction.rawValue].enumerated() {
            if k > 0 { x = tape.dropout(x, rate: configuration.dropout, generator: &generator) }
            x = tape.lstmSequence(
                input: cell.projectInputs(x, on: &tape), weight: tape.parameter(cell.wHH), bias: tape.parameter(cell.bHH), packing: packing,
                reversed: false)
        }
        let top = tape.dropout(x, rate: configuration.dropout, generator: &generator)
        let loss = tape.outputSoftmaxNLL(
            top, eos: tape.parameter(eos), words: tape.parameter(outputs[l]), targets: targets, scale: 1 / Float(normalizer ?? b),
            chunkRows: softmaxChunkRows, threads: threads)
        return (loss, read.reduce(0) { $0 + $1.count + 1 })
    }

    /// The result of one update.
    public struct StepResult: Sendable {
        /// The batch loss (Σ NLL / B) before the update.
        public var loss: Double
        /// Predicted tokens Σ(len + 1).
        public var tokens: Int
        /// The global gradient norm before clipping.
        public var gradientNorm: Double
    }

    /// One SGD update on one batch (the authors' schedule: one update per language and
    /// direction): zero the gradients, loss, backward, global-norm clip to `clip` over the step's
    /// parameters, θ −= lr·g (only the touched rows of E^ℓ change).
    ///
    /// Data-parallel (`threads` ≥ 2, `dataParallel`, B ≥ 2): the sentences are cut into `threads`
    /// consecutive shards balanced by predicted tokens (`WorkerStores`); worker t records its shard's
    /// share of the loss (Σ NLL / B of the whole batch) on its own tape into its own gradients, with
    /// dropout from `SplitMix64(seed:)` of the t-th draw of `generator`; the gradients are added in
    /// worker order, then clipped and applied as above. OpenBLAS runs single-threaded meanwhile
    /// (set once per run by `MLMTrainer`; switched around the update otherwise).
    @discardableResult
    public mutating func step(
        language l: Int, direction: Direction, sentences: [[Int]], learningRate: Float, clip: Double, generator: inout SplitMix64
    ) -> StepResult {
        let subset = parameters(language: l, direction: direction)
        store.zeroGrad(subset)
        let value: Double, tokens: Int
        if threads >= 2 && dataParallel && sentences.count >= 2 {
            (value, tokens) = dataParallelLoss(language: l, direction: direction, sentences: sentences, generator: &generator)
        } else {
            var tape = Tape(store)
            let (loss, count) = self.loss(language: l, direction: direction, sentences: sentences, on: &tape, generator: &generator)
            value = Double(tape[loss].storage[0])
            tokens = count
            tape.backward(from: loss, into: &store)
        }
        let norm = clippedDescent(subset, learningRate: learningRate, clip: clip)
        return StepResult(loss: value, tokens: tokens, gradientNorm: norm)
    }

    /// The batch loss and tokens of a data-parallel update, its gradients added into `store` (see `step`).
    private mutating func dataParallelLoss(
        language l: Int, direction: Direction, sentences: [[Int]], generator: inout SplitMix64
    ) -> (Double, Int) {
        if workers == nil || workers!.count != threads { workers = WorkerStores(store, count: threads) }
        // The workers' graph: this model without its store (a captured store would keep the values
        // shared, and the update would copy them) and with a serial softmax.
        var shardGraph = self
        shardGraph.store = ParameterStore()
        shardGraph.workers = nil
        shardGraph.threads = 1
        let b = sentences.count, graph = shardGraph
        let shardLoss: @Sendable (inout Tape, [Int], [Int], inout SplitMix64) throws(NeuralError) -> Var = { tape, shard, _, generator in
            graph.loss(
                language: l, direction: direction, sentences: shard.map { sentences[$0] }, on: &tape, generator: &generator, normalizer: b
            )
            .loss
        }
        let pool = workers!
        let value = BlockedGEMM.withSingleThreadedBLAS {
            // The shard loss cannot throw, so neither can the step.
            (try? pool.step(
                Array(0..<b), shardLoss, &store, &generator, cost: { sentences[$0].count + 1 },
                parameters: parameters(language: l, direction: direction)))
                ?? .nan
        }
        return (value, sentences.reduce(0) { $0 + $1.count + 1 })
    }

    /// Global-norm clipping and plain SGD in one pass per parameter (PyTorch's `clip_grad_norm_`
    /// then `SGD.step`): n = ‖g‖₂ over `subset` (summed in Double; only the touched rows of a
    /// sparse-row table, the others are zero), then θ −= η·c·g with c = clip/(n + 1e-6) when
    /// n > clip, else 1, and η = lr · the parameter's learning-rate scale; a sparse-row table moves
    /// only its touched rows. The same update as `ParameterStore.clipGlobalNorm` followed by
    /// `Optimizer(.sgd)` (c·g rounded once less), without their passes over the V×e untouched
    /// rows of E^ℓ. Returns n.
    mutating func clippedDescent(_ subset: [Parameter], learningRate: Float, clip: Double) -> Double {
        let trainable = subset.filter { store.isTrainable($0) }
        func blocks(_ p: Parameter) -> (offsets: [Int], width: Int) {
            let width = store[p].cols, size = store[p].storage.count
            return store.flags[p.index].sparseRows ? (store.touchedRows[p.index].map { $0 * width }, width) : ([0], size)
        }
        var sum = 0.0
        for p in trainable {
            let (offsets, width) = blocks(p)
            store.gradients[p.index].storage.withUnsafeBufferPointer { g in
                for offset in offsets { sum += SIMDDot.sumOfSquares(g.baseAddress! + offset, count: width) }
            }
        }
        let norm = sum.squareRoot()
        let factor: Float = norm > clip ? Float(clip / (norm + 1e-6)) : 1
        for p in trainable {
            let (offsets, width) = blocks(p)
            let eta = learningRate * store.flags[p.index].learningRateScale * factor
            let gradient = store.gradients[p.index]
            gradient.storage.withUnsafeBufferPointer { g in
                store.values[p.index].storage.withUnsafeMutableBufferPointer { theta in
                    for offset in offsets {
                        for k in offset..<offset + width { theta[k] -= eta * g[k] }
                    }
                }
            }
        }
        return norm
    }

    /// The input embeddings E^ℓ (V^ℓ × e; row 0 UNK): the word vectors the paper evaluates.
    public func embeddings(language l: Int) -> Matrix { store[inputs[l]] }
}
