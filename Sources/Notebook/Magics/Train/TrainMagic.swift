import Embeddings
import Jupyter

/// `%train glove|cofactor|classifier …`: the family of training methods. Each method is its
/// own magic with its own spec (`TrainGloVeMagic`, `TrainCofactorMagic`, `TrainClassifierMagic`).
enum TrainMagic: MagicFamily {
    static let familyName = "train"
    static let abstract = "train embeddings (GloVe, cross-lingual co-factorization, multilingual LM) or a text classifier"
    nonisolated(unsafe) static let methods: [any Magic.Type] = [
        TrainGloVeMagic.self,
        TrainCofactorMagic.self,
        TrainClassifierMagic.self,
        TrainMLMMagic.self,
    ]
    static let discussion = """
        Training shows a live progress display (phase, iteration, loss, rate, ETA) and keeps the partial \
        model on interrupt; the cell then ends with KeyboardInterrupt so that Run All stops there.
        """
}

/// The keys of co-occurrence counting, shared by `%train glove` and `%train cofactor`.
enum CountingKeys {
    static let window = Opt.int(
        "window", min: 1, max: 100, default: CooccurrenceOptions().window,
        help: "symmetric context window; a word d apart counts 1/d")
    static let maxVocab = Opt.int("max_vocab", min: 1, help: "keep at most this many words per language (most frequent)")
    static let memory = Opt.text("memory", .string, default: "1G", help: "memory bound of co-occurrence counting, e.g. 256M or 2G")
}

/// A training method: the shared steps of `%train` methods (counting, memory, interrupts).
protocol TrainMethod: Magic {
    /// The validated arguments of the invocation.
    var arguments: MagicArguments { get }
}

extension TrainMethod {
    /// `memory=` in bytes ("512M", "2G", "100000000").
    func memoryLimit() throws -> Int {
        let given = arguments[CountingKeys.memory]
        let text = given.uppercased()
        let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        let (digits, unit) = text.last.flatMap { units[$0] }.map { (String(text.dropLast()), $0) } ?? (text, 1)
        guard let value = Double(digits), value > 0 else {
            throw arguments.usageError("memory=\(given) is not a size; write e.g. memory=512M or memory=2G")
        }
        return Int(value * Double(unit))
    }

    /// Counting options from `window=` and `memory=`.
    func cooccurrenceOptions(threads: Int) throws -> CooccurrenceOptions {
        CooccurrenceOptions(window: arguments[CountingKeys.window], memoryLimit: try memoryLimit(), threads: threads)
    }

    /// The run's summary table as the cell's value; after an interrupt, the table is shown as
    /// a display, a note says the partial model is kept, and the cell ends with
    /// `KeyboardInterrupt` (as `%wordalign` and `%sleep` do), so "Run All" stops here instead
    /// of going on with a partial model.
    func conclude(_ table: MimeBundle, name: String, history: TrainingHistory, context: ExecutionContext) throws -> MimeBundle? {
        guard history.stopped else { return table }
        context.display(table)
        context.stream(
            "Interrupted: `\(name)` keeps the model after \(history.completedIterations) of \(history.iterations) "
                + "iterations. Run %train again for the full one.\n", name: "stderr")
        throw Interrupted()
    }

    /// Runs one counting step under a progress display; an interrupt stops it with a note on
    /// stderr and ends the cell with `KeyboardInterrupt`, as an interrupt during training does;
    /// an error ends the display as failed.
    func count(
        _ reporter: ProgressReporter, _ context: ExecutionContext,
        _ body: (ProgressHandler) throws -> CooccurrenceMatrix
    ) throws -> CooccurrenceMatrix {
        do {
            return try body(reporter.handle)
        } catch CooccurrenceError.stopped {
            reporter.finish(stopped: true)
            context.stream("Interrupted while counting co-occurrences: nothing was trained or stored.\n", name: "stderr")
            throw Interrupted()
        } catch {
            reporter.fail()
            throw error
        }
    }
}
