// `cooccur`: monolingual co-occurrence counting on Europarl English, the GloVe `cooccur`
// setting (vocabulary min-count 3, symmetric window 10, 1/d weighting).
import Embeddings

/// `cooccur [PATH] [--threads T] [--min-count 3] [--window 10] [--memory BYTES]
/// [--punctuation strip|keep]`: reads PATH (default Europarl en) with the default tokenizer
/// (lowercased, punctuation stripped) or with punctuation kept, then times
/// `CooccurrenceCounter.monolingual` alone. Reports records, ΣX, the read and count seconds,
/// and peak RSS after reading and at the end. Run one configuration per process so peaks
/// are not shared.
func taskCooccur(_ args: Arguments) {
    let path = args.positional.first ?? "notebooks/data/europarl-en-de/en.txt.gz"
    let threads = args.int("threads", 1)
    let minCount = args.int("min-count", 3)
    let window = args.int("window", 10)
    let memory = args.int("memory", 1 << 30)
    let keepPunctuation = args.options["punctuation"] == "keep"
    let tokenizer = Tokenizer(lowercase: true, stripPunctuation: !keepPunctuation)
    let t0 = MonotonicClock.seconds()
    let corpus: Corpus
    do { corpus = try Corpus.read(path: path, language: "en", tokenizer: tokenizer) } catch { fail("\(error)") }
    let t1 = MonotonicClock.seconds()
    let hwmRead = procStatusKiB("VmHWM")
    let vocabularySize = corpus.vocabularySize(minCount: minCount)
    let options = CooccurrenceOptions(window: window, memoryLimit: memory, threads: threads)
    let matrix: CooccurrenceMatrix
    do { matrix = try CooccurrenceCounter.monolingual(corpus, vocabularySize: vocabularySize, options: options) } catch { fail("\(error)") }
    let t2 = MonotonicClock.seconds()
    var json = common("cooccur")
    json.set("path", path)
    json.set("tokenizer", tokenizer.description)
    json.set("sentences", corpus.sentenceCount)
    json.set("tokens", corpus.tokenCount)
    json.set("min_count", minCount)
    json.set("vocabulary", vocabularySize)
    json.set("window", window)
    json.set("threads", threads)
    json.set("memory_limit", memory)
    json.set("records", matrix.count)
    json.set("total", matrix.total)
    json.set("read_seconds", t1 - t0)
    json.set("count_seconds", t2 - t1)
    json.set("matrix_bytes", matrix.count * 16)
    json.set("vm_hwm_after_read_kib", hwmRead)
    finish(&json)
}
