import Embeddings
import Jupyter

/// `%train glove …` and `%train cofactor …`: embedding spaces trained from corpora. The spec
/// and argument checks live here; each method's run lives in `TrainMagic+Kind.swift`.
struct TrainMagic: Magic {
    static let spec = MagicSpec(
        name: "train", abstract: "train embeddings: GloVe on one corpus, or a cross-lingual matrix co-factorization (Shi et al. 2015) of two",
        positionals: [.init("method", .choice(["glove", "cofactor", "classifier"]), help: "glove (Pennington et al. 2014), cofactor (Shi et al. 2015) or classifier (a text classifier, Sakuma & Yoshinaga 2019)")],
        options: [.init("corpus", .object, help: "glove: the corpus (%load corpus)"),
                  .init("mono", .list, help: "cofactor: the two monolingual corpora C1,C2 (languages of the parallel corpus's source and target)"),
                  .init("parallel", .object, help: "cofactor: the sentence-aligned parallel corpus (%load parallel); needed by clc-wa, clc+wa and clsim with align="),
                  .init("objective", .choice(["clc-wa", "clc+wa", "clsim", "none"]),
                        help: "cofactor: the cross-lingual term: sentence co-occurrence (eq. 4), aligned-window contexts (eq. 5), translation-similarity distance (eq. 7), or none (two monolingual spaces)"),
                  .init("align", .object, help: "cofactor: word alignments from %wordalign (clc+wa; clsim takes its translation probabilities)"),
                  .init("dict", .object, help: "cofactor clsim: a dictionary instead of alignments (each pair similarity 1/number of translations)"),
                  .init("include_parallel", .bool, default: "true", help: "cofactor: add each side of the parallel corpus to that language's monolingual text"),
                  .init("w1", .double(min: 0, max: nil), default: "1", help: "cofactor: ω1, weight of language 1's monolingual loss"),
                  .init("w2", .double(min: 0, max: nil), default: "1", help: "cofactor: ω2, weight of language 2's monolingual loss"),
                  .init("wc", .double(min: 0, max: nil), default: "1", help: "cofactor: ωc, weight of the cross-lingual loss"),
                  .init("dim", .int(min: 1, max: 4096), help: "dimensions (glove 50, cofactor 40)"),
                  .init("window", .int(min: 1, max: 100), default: "10", help: "symmetric context window; a word d apart counts 1/d"),
                  .init("min_count", .int(min: 1, max: nil), help: "keep words seen at least this often (glove 5, cofactor 3)"),
                  .init("max_vocab", .int(min: 1, max: nil), help: "keep at most this many words per language (most frequent)"),
                  .init("iters", .int(min: 1, max: 10_000), help: "passes over the records (glove 25, cofactor 50)"),
                  .init("xmax", .double(min: 0, max: nil), help: "glove: x_max of the weighting f(x) = min(1, (x/x_max)^α) (default 100)"),
                  .init("xmax_mono", .double(min: 0, max: nil), default: "30", help: "cofactor: x_max of the monolingual weighting"),
                  .init("xmax_cross", .double(min: 0, max: nil), default: "100", help: "cofactor: x_max of the cross-lingual co-occurrence weighting"),
                  .init("alpha", .double(min: 0, max: nil), default: "0.75", help: "α of the weighting"),
                  .init("lr", .double(min: 0, max: nil), help: "learning rate η (glove: AdaGrad, 0.05 as glove.c; cofactor: constant-rate SGD, 0.025; classifier: Adam 0.003)"),
                  .init("threads", .int(min: 1, max: 256), help: "training threads (default: %set threads); threads=1 with a seed is reproducible"),
                  .init("seed", .int(min: 0, max: nil), help: "the seed of initialisation and record order (default: %set seed)"),
                  .init("memory", .string, default: "1G", help: "memory bound of co-occurrence counting, e.g. 256M or 2G"),
                  .init("schedule", .choice(["stratified", "hogwild"]), default: "stratified",
                        help: "glove: how threads share a pass — stratified (word/context blocks no two threads touch at once: scales and is reproducible) or hogwild (glove.c's lock-free chunks of the shuffled records)"),
                  .init("vectors", .choice(["word", "sum"]), default: "sum", help: "glove: store W, or W + C like glove.c's model 2"),
                  .init("as", .string, help: "the name of the result (default glove_CORPUS / cofactor_OBJECTIVE / MODEL_DATA)")]
                  + classifierOptions,
        discussion: "Training shows a live progress display and keeps the partial model on interrupt. The co-factorization result is one joint space holding both languages: use it with %neighbors, %eval bli and %eval cldc. A classifier (Sakuma & Yoshinaga 2019 §4) takes every word of the space's side in the data's language as a row of its embedding layer (unit rows by default), drops tokens the space lacks, and trains with Adam; update_emb=true trains that layer too; evaluate it with %eval classifier.",
        examples: ["%train glove corpus=en dim=40 iters=25 as=glove_en",
                   "%wordalign ende as=a\n%train cofactor mono=en,de parallel=ende align=a objective=clsim as=joint",
                   "%train classifier data=en_train space=glove_en update_emb=true dev=en_dev as=boe_en"])

    /// The keys only one method takes.
    static let gloveOnly: Set<String> = ["corpus", "xmax", "vectors", "schedule"]
    static let cofactorOnly: Set<String> = ["mono", "parallel", "objective", "align", "dict", "include_parallel", "w1", "w2", "wc", "xmax_mono", "xmax_cross"]
    /// The keys `%train classifier` takes (its own, from `TrainMagic+Classifier.swift`, and the shared ones).
    static let classifierKeys: Set<String> = Set(classifierOptions.map(\.key)).union(["lr", "seed", "as"])

    let method: String
    let arguments: MagicArguments

    init(_ arguments: MagicArguments) throws {
        method = arguments.words[0]
        self.arguments = arguments
        let classifierOnly = Set(Self.classifierOptions.map(\.key))
        let foreign = method == "classifier" ? Set(Self.spec.options.map(\.key)).subtracting(Self.classifierKeys)
            : (method == "glove" ? Self.cofactorOnly : Self.gloveOnly).union(classifierOnly)
        for key in foreign.sorted() where arguments.has(key) {
            throw MagicError.usage(magic: "train", message: "`\(key)=` does not apply to `%train \(method)`", usage: Self.spec.usage)
        }
        if method == "glove", !arguments.has("corpus") {
            throw MagicError.usage(magic: "train", message: "missing corpus=NAME (load one with %load corpus)", usage: Self.spec.usage)
        }
        if method == "classifier" { try Self.validateClassifier(arguments) }
        if method == "cofactor" {
            guard let mono = arguments.list("mono"), mono.count == 2 else {
                throw MagicError.usage(magic: "train", message: "give the two monolingual corpora as mono=C1,C2", usage: Self.spec.usage)
            }
            guard arguments.has("objective") else {
                throw MagicError.usage(magic: "train", message: "missing objective=clc-wa|clc+wa|clsim|none", usage: Self.spec.usage)
            }
        }
    }

    func run(in session: Session, context: ExecutionContext) throws -> MimeBundle? {
        switch method {
        case "glove": try runGloVe(session, context)
        case "classifier": try runClassifier(session, context)
        default: try runCofactor(session, context)
        }
    }

    /// `memory=` in bytes ("512M", "2G", "100000000").
    func memoryLimit() throws -> Int {
        let given = arguments.string("memory") ?? "1G"
        let text = given.uppercased()
        let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        let (digits, unit) = text.last.flatMap { units[$0] }.map { (String(text.dropLast()), $0) } ?? (text, 1)
        guard let value = Double(digits), value > 0 else {
            throw MagicError.usage(magic: "train", message: "memory=\(given) is not a size; write e.g. memory=512M or memory=2G", usage: Self.spec.usage)
        }
        return Int(value * Double(unit))
    }

    /// The run's summary table as the cell's value; after an interrupt, the table is shown as
    /// a display, a note says the partial model is kept, and the cell ends with
    /// `KeyboardInterrupt` (as `%wordalign` and `%sleep` do), so "Run All" stops here instead
    /// of going on with a partial model.
    func conclude(_ table: MimeBundle, name: String, history: TrainingHistory, context: ExecutionContext) throws -> MimeBundle? {
        guard history.stopped else { return table }
        context.display(table)
        context.stream("Interrupted: `\(name)` keeps the model after \(history.completedIterations) of \(history.iterations) iterations. Run %train again for the full one.\n", name: "stderr")
        throw Interrupted()
    }

    /// Threads and seed from the arguments, else the session settings.
    func threadsAndSeed(_ session: Session) -> (threads: Int, seed: UInt64) {
        (arguments.int("threads") ?? session.settings.threads, UInt64(arguments.int("seed") ?? session.settings.seed))
    }
}
