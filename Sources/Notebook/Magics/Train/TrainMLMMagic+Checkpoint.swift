import Embeddings
import Jupyter

extension TrainMLMMagic {
    /// `checkpoint=F`: written after every finished epoch.
    static let checkpoint = Opt.text(
        "checkpoint", .path,
        help: """
            write the training state to this file after every epoch (atomically; a versioned binary MLM checkpoint: \
            model, vocabularies, seed, epochs done, best epoch) so that resume= can continue it
            """)
    /// `resume=F`: continue a checkpoint.
    static let resume = Opt.text(
        "resume", .path,
        help: """
            continue the training saved in this checkpoint: model, vocabularies, seed and batch come from it, \
            epochs= counts its epochs too; dim=, hidden=, layers=, dropout=, seed= and batch= must match it if given
            """)

    /// Reads `resume=`'s checkpoint, or nil without one; a file that is missing or not a checkpoint,
    /// or an explicit architecture or schedule key that differs from it, fails with the key named.
    func readCheckpoint() throws -> (checkpoint: MLMCheckpoint, path: String)? {
        guard let path = arguments[Self.resume] else { return nil }
        guard let bytes = FileBytes.read(path) else {
            throw Self.failure("cannot read the checkpoint \(path): check the path (checkpoint= writes one after every epoch)")
        }
        let checkpoint: MLMCheckpoint
        do { checkpoint = try MLMCheckpoint.decode(bytes, source: path) } catch {
            throw Self.failure("\(error.problem); \(error.fix ?? "")")
        }
        let c = checkpoint.model.configuration
        let given: [(Key<Int>, Int)] = [
            (Self.dim, c.embedding), (Self.hidden, c.hidden), (Self.layers, c.layers), (Self.batch, checkpoint.batchSize),
        ]
        for (key, value) in given where arguments.has(key) && arguments[key] != value {
            let name = key.option.key
            throw Self.failure(
                "`\(name)=\(arguments[key])` ≠ what the loaded checkpoint \(path) has (\(name)=\(value)): "
                    + "drop \(name)= to take the checkpoint's, or train a new model without resume=")
        }
        if arguments.has(Self.dropout), Float(arguments[Self.dropout]) != c.dropout {
            throw Self.failure(
                "`dropout=\(NumberText.short(arguments[Self.dropout]))` ≠ what the loaded checkpoint \(path) has "
                    + "(dropout=\(NumberText.short(Double(c.dropout)))): drop dropout= to take the checkpoint's")
        }
        if let seed = arguments[CommonOptions.seed], UInt64(seed) != checkpoint.seed {
            throw Self.failure(
                "`seed=\(seed)` ≠ what the loaded checkpoint \(path) has (seed=\(checkpoint.seed)): "
                    + "drop seed= (the checkpoint's seed fixes its batches and their order)")
        }
        return (checkpoint, path)
    }

    /// Checks that `corpora` (built with this run's min_count=, vocab=, max_length=) are the
    /// checkpoint's languages with the same vocabularies.
    static func check(_ corpora: [LMCorpus], against checkpoint: MLMCheckpoint, path: String) throws {
        guard corpora.map(\.language) == checkpoint.languages else {
            throw Self.failure(
                "the checkpoint \(path) is a model of \(checkpoint.languages.joined(separator: ", ")), not "
                    + "\(corpora.map(\.language).joined(separator: ", ")): give corpora= of those languages in that order")
        }
        for (corpus, words) in zip(corpora, checkpoint.words) where corpus.words != words {
            throw Self.failure(
                "the \(corpus.language) vocabulary here (\((corpus.words.count - 1).formatted) words) is not the checkpoint's "
                    + "(\((words.count - 1).formatted) words): give the same corpus, min_count= and vocab= as the run that wrote \(path)")
        }
    }

    /// Writes `checkpoint` to `checkpoint=`'s path atomically.
    func write(_ checkpoint: MLMCheckpoint) throws {
        guard let path = arguments[Self.checkpoint] else { return }
        do { try AtomicFile.write(checkpoint.encoded(), to: path) } catch {
            throw Self.failure("checkpoint= \(path) could not be written (\(error)): give a writable path")
        }
    }
}
