import Embeddings
import Jupyter

extension MLMTrainer.Options.Keep: OptionChoice {}

/// `%train mlm corpora=C1,C2[,…] …`: the multilingual neural language model of Wada & Iwata
/// (2018) on monolingual corpora (`MultilingualLM`, `MLMTrainer`); stores each language's input
/// embeddings E^ℓ with the first language's as one joint space (identity map), so `%eval bli`,
/// `%neighbors`, `%tsne` and `%save` take it as they take `%train cofactor`'s.
struct TrainMLMMagic: TrainMethod {
    static let corpora = Key<[String]>(
        required: "corpora", .list, help: "two to four monolingual corpora (%load corpus), one per language; the first is the source side")
    static let dim = Opt.int("dim", min: 1, max: 4096, default: 300, help: "word embedding size e (paper: 300)")
    static let hidden = Opt.int("hidden", min: 1, max: 4096, default: 300, help: "LSTM state size h of each direction (paper: 300)")
    static let layers = Opt.int(
        "layers", min: 1, max: 4, default: 2, help: "LSTM layers per direction (the paper is silent; the authors' 2019 code: 2)")
    static let dropout = Opt.double(
        "dropout", min: 0, max: 0.95, default: 0.3, help: "dropout on each LSTM layer's output (between layers and before the output layer)"
    )
    static let minCount = Opt.int(
        "min_count", min: 1, default: 3, help: "keep words seen at least this often per language; the rest map to that language's UNK")
    static let vocab = Opt.int(
        "vocab", min: 1, help: "keep at most this many words per language (most frequent): the faithful speed knob (full softmax)")
    static let maxLength = Opt.int(
        "max_length", min: 1, max: 10_000, default: 100, help: "drop sentences longer than this many tokens (the paper states no cap)")
    static let epochs = Opt.int("epochs", min: 1, max: 1000, default: 10, help: "passes over the corpora (paper: 10)")
    static let batch = Opt.int("batch", min: 1, max: 4096, default: 64, help: "sentences per update (paper: 64)")
    static let lr = Opt.double("lr", min: 0, default: 1, help: "SGD learning rate, constant (paper: 1.0)")
    static let clip = Opt.double("clip", min: 0, default: 5, help: "global gradient-norm clipping per update (paper: 5.0)")
    static let selectionWords = Opt.int(
        "selection_words", min: 1, max: 100_000, default: 3000,
        help: "most frequent source words the model-selection criterion translates (paper: 3,000)")
    static let keep = Opt.choice(
        "keep", default: MLMTrainer.Options.Keep.last,
        help: "the epoch a finished run keeps: last (the authors' code; chosen on development data) or criterion (the paper's best epoch)")
    static let eval = Opt.list(
        "eval",
        help: """
            dictionaries (first language → second[, → third, → fourth]) whose BLI P@1 (CSLS) is shown after every epoch in both \
            directions (each dictionary also read reversed); they do not choose the epoch
            """)

    static let spec = MagicSpec(
        name: "train mlm",
        abstract: "multilingual neural language model (Wada & Iwata 2018): one joint space from monolingual text alone",
        keys: [
            corpora, dim, hidden, layers, dropout, minCount, vocab, maxLength, epochs, batch, lr, clip, selectionWords, keep, eval,
            checkpoint, resume,
            CommonOptions.threads, CommonOptions.seed, CommonOptions.name("mlm_L1_L2"),
        ],
        discussion: """
            Forward and backward LSTM language models whose LSTMs, <BOS> input and <EOS> output row are shared by \
            every language, while each language has its own input embeddings E and output matrix W (untied, no bias); \
            no dictionary, parallel text or pre-trained vectors. Each language is sorted by length into buckets of \
            batch= sentences (smaller corpora oversampled to the largest); the bucket order is shuffled every epoch, \
            and at each bucket every language takes a forward and a backward SGD update with clipping. After every \
            epoch the paper's criterion — the mean CSLS (r_T omitted) of the selection_words most frequent first-language \
            words to their induced translations, averaged over the other languages — is computed and shown, and keep= says which \
            epoch a finished run keeps: the last (default, as the authors' code) or the criterion's best (the paper). After training, \
            the failure detector sets the criterion (rows centred) of each pair next to what three random rotations of \
            the other language's rows score: the summary says succeeded, doubtful or failed, and a run that did not \
            succeed says so on stderr. checkpoint=F writes the training state after every epoch (atomically) and resume=F continues it with \
            the same batches and dropout masks an uninterrupted run would take. The stored object is the input \
            embeddings: with two corpora one joint space (as= names it), with more one joint space per other language, \
            `NAME_xx`, each with the first language. An interrupt keeps the model of the last finished update.

            Where the defaults come from: dim, hidden, epochs, batch, dropout (0.3 on the hidden state), lr (SGD 1.0), \
            clip (5.0), the U(−0.1, 0.1) initialisation, the loss (token NLL summed over both directions) and \
            selection_words follow the 2018 paper. Where it is silent, the authors' 2019 code decides: layers=2, dropout \
            also between layers, separate updates per language and direction, the loss divided by the sentences in the \
            batch, length-sorted buckets, oversampling, global-norm clipping, no bias in the output layer. min_count=3 is \
            the paper's threshold for its smallest sample (50k News Crawl sentences; its 10 is for 1M-sentence \
            Europarl), for our ~20k-sentence Europarl files. max_length=100 is ours (Europarl lines reach 862 tokens; \
            100 drops under 1 % of the sentences). Measured on our data (Tests/bench/README.md, mlm_tables.py): with \
            dim=128 hidden=128 and every other key at its default, eight epochs on the whole ~20k-sentence Europarl \
            files give X→en P@1 under the paper's protocol of de 3.3, es 5.0, fi 2.9 % with the last epoch (3.1, 3.6, \
            2.5 % with the criterion's), \
            where unsupervised VecMap and MUSE on GloVe vectors of the same text fail; the quadrilingual en/fr/es/de \
            model gives fr 5.1, es 5.4, de 4.3 % with its last epoch (3.9, 3.2, 3.4 % with the criterion's); ten en–de \
            epochs at vocab=5000 threads=2 take 13.5 minutes on two idle cores (13 with layers=1). The full-size defaults are \
            the paper's model: one bilingual en–de epoch takes 5.6 minutes on two idle cores (threads=2), ten about an \
            hour; use dim=/hidden=/layers=1/vocab= for a quick run. keep=last is chosen on development data (the \
            held-out third of each dictionary, never the test pairs): the criterion peaked before the translations did. \
            Quadrilingual en/fr/es/de at 128/128: best criterion at epoch 4, yet dev P@1 rose after it (fr 1.4 → 2.4, \
            es 1.2 → 2.6, de 1.1 → 2.3 % at epoch 8); bilingual, criterion's epoch → epoch 8 (dev P@1, paper's \
            protocol): en–de 1.5 → 2.3, en–es 3.8 → 5.0, en–fi 3.2 → 2.8 % (two words of 471).
            """,
        examples: [
            "%train mlm corpora=en,de as=mlm_ende",
            "%train mlm corpora=en,de dim=64 hidden=64 layers=1 vocab=3000 epochs=3 eval=test_ende as=quick",
            "%train mlm corpora=en,de dim=128 hidden=128 layers=1 vocab=5000 epochs=2 checkpoint=ende.xlmlm as=m",
            "%train mlm corpora=en,de vocab=5000 epochs=10 resume=ende.xlmlm as=m",
        ])

    let arguments: MagicArguments

    init(_ arguments: MagicArguments) throws { self.arguments = arguments }

    /// Checks the corpora, trains, and stores the joint space(s).
    func run(in session: Session, context: ExecutionContext) throws -> MimeBundle? {
        let names = arguments[Self.corpora]
        guard names.count >= 2 else {
            throw Self.failure(
                "one corpus only (`\(names.joined())`): the model aligns the languages of several corpora; give two to four, e.g. corpora=en,de"
            )
        }
        guard names.count <= 4 else { throw Self.failure("\(names.count) corpora: give two to four (the paper's largest model has four)") }
        let objects = try names.map { try session.corpus($0, for: "train").corpus }
        var seen: [String: String] = [:]
        for (name, corpus) in zip(names, objects) {
            if let other = seen[corpus.language] {
                if other == name {
                    throw Self.failure("`\(name)` is given twice: name each corpus once, one per language (e.g. corpora=en,de)")
                }
                throw Self.failure(
                    "`\(other)` and `\(name)` are both \(corpus.language): give one corpus per language (concatenate the text of one language)"
                )
            }
            seen[corpus.language] = name
            guard corpus.tokenCount > 0 else { throw Self.failure("`\(name)` is empty (0 tokens): load a corpus with text in it") }
        }
        let resumed = try readCheckpoint()
        var options = try trainerOptions(session)
        if let (checkpoint, _) = resumed {
            options.seed = checkpoint.seed
            options.batchSize = checkpoint.batchSize
        }
        let prepared = try objects.map {
            try LMCorpus($0, minCount: arguments[Self.minCount], maxWords: arguments[Self.vocab], maxLength: arguments[Self.maxLength])
        }
        let languages = prepared.map(\.language)
        let evalNames = arguments[Self.eval] ?? []
        guard evalNames.count < names.count else {
            throw Self.failure(
                "eval= names \(evalNames.count) dictionaries for \(names.count - 1) language pair\(names.count == 2 ? "" : "s"): "
                    + "give one per language after the first, in corpora= order (first language → that language)")
        }
        let evaluation = try evalNames.map { try session.dictionary($0, for: "train").wordPairs }
        var model: MultilingualLM
        if let (checkpoint, path) = resumed {
            try Self.check(prepared, against: checkpoint, path: path)
            guard checkpoint.epochsDone < options.epochs else {
                throw Self.failure(
                    "the checkpoint \(path) has finished \(checkpoint.epochsDone) epochs already and epochs=\(options.epochs): "
                        + "give epochs= more than \(checkpoint.epochsDone) (it counts the checkpoint's epochs too)")
            }
            model = checkpoint.model
        } else {
            let configuration = MultilingualLM.Configuration(
                vocabularySizes: prepared.map(\.words.count), embedding: arguments[Self.dim], hidden: arguments[Self.hidden],
                layers: arguments[Self.layers], dropout: Float(arguments[Self.dropout]))
            model = try MultilingualLM(configuration, seed: options.seed)
        }

        let threads = arguments.threads(session), previousThreads = BLAS.threads
        model.threads = min(threads, 2)
        BLAS.setThreads(threads)
        defer { BLAS.setThreads(previousThreads) }
        let perEpoch = try LMBuckets(prepared.map(\.sentences), batchSize: options.batchSize, seed: options.seed).bucketCount
        let live = MLMLiveProgress(
            context: context, languages: languages, epochs: options.epochs, updatesPerEpoch: perEpoch * languages.count * 2,
            firstEpoch: resumed?.checkpoint.epochsDone ?? 0)
        var precision: [[MLMEpochPrecision]] = []
        let result: MLMTrainer.Result
        do {
            result = try MLMTrainer.train(
                &model, corpora: prepared, options: options, resume: resumed?.checkpoint.resume,
                shouldStop: { context.cancellation.isCancelled }, progress: { live.update($0) },
                epochEnd: { report, model, best in
                    let p1 = MLMEpochPrecision.all(model, prepared, dictionaries: evaluation)
                    precision.append(p1)
                    live.finishEpoch(report, precision: p1)
                    let state = MLMCheckpoint(
                        model: model, corpora: prepared, epochsDone: report.epoch + 1, options: options, lastCriterion: report.criterion,
                        best: best)
                    do { try write(state) } catch { context.stream("\(error)\n", name: "stderr") }
                })
        } catch {
            live.display.finish(.failed)
            throw error
        }
        live.display.finish(result.stoppedAt == nil ? .done : .interrupted)

        let name = arguments.resultName("mlm_" + languages.joined(separator: "_"))
        let judgements = try MLMSelection.judge(model, sourceWords: options.selectionWords, seed: options.seed)
        let stored = try store(model, prepared, name: name, session: session, context: context, judgements: judgements)
        for (l, judgement) in zip(languages.dropFirst(), judgements) where judgement.verdict != .succeeded {
            context.stream("%train mlm, \(languages[0])↔\(l): \(judgement.sentence)\n", name: "stderr")
        }
        if !result.epochs.isEmpty { context.display(Self.chart(result, languages: languages, name: name).mimeBundle) }
        let table = summary(
            result, corpora: prepared, names: names, stored: stored, precision: precision, evaluation: evalNames, judgements: judgements,
            options: options, threads: threads, model: model.configuration, resumedFrom: resumed.map { ($0.path, $0.checkpoint.epochsDone) }
        )
        guard let stop = result.stoppedAt else { return table }
        context.display(table)
        context.stream(
            "Interrupted: \(stored.map { "`\($0)`" }.joined(separator: ", ")) keep the model after update \(stop.step) of epoch "
                + "\(stop.epoch + 1) (\(result.epochs.count) of \(options.epochs) epochs finished). Run %train mlm again for the full one.\n",
            name: "stderr")
        throw Interrupted()
    }

    /// The trainer's options from the arguments.
    func trainerOptions(_ session: Session) throws -> MLMTrainer.Options {
        var options = MLMTrainer.Options()
        options.epochs = arguments[Self.epochs]
        options.batchSize = arguments[Self.batch]
        options.learningRate = Float(arguments[Self.lr])
        options.clip = arguments[Self.clip]
        guard options.learningRate > 0, options.clip > 0 else { throw Self.failure("lr= and clip= must be positive (paper: lr=1 clip=5)") }
        options.seed = arguments.seed(session)
        options.selectionWords = arguments[Self.selectionWords]
        options.keep = arguments[Self.keep]
        return options
    }

    /// Stores the joint space(s): `name` for two languages, `name_xx` per other language for more;
    /// each records the failure detector's verdict for its pair (`judgements[l - 1]`).
    func store(
        _ model: MultilingualLM, _ corpora: [LMCorpus], name: String, session: Session, context: ExecutionContext,
        judgements: [FailureDetector.Judgement]
    ) throws -> [String] {
        let spaces = try corpora.indices.map { try model.space(language: $0, corpus: corpora[$0]) }
        let names = arguments[Self.corpora]
        var stored: [String] = []
        for l in 1..<spaces.count {
            let object = MappingObject(
                mapping: BilingualMapping(source: .identity(model.configuration.embedding, method: "joint")),
                method: "mlm", sourceName: names[0], targetName: names[l], source: spaces[0], target: spaces[l], pairsUsed: 0)
            let key = spaces.count == 2 ? name : "\(name)_\(corpora[l].language)"
            session.store(
                object, as: key, madeBy: "%train mlm corpora=\(names.joined(separator: ",")) (\(judgements[l - 1].verdict.rawValue))",
                cell: context.executionCount)
            stored.append(key)
        }
        return stored
    }
}
