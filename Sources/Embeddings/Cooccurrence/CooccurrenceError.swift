/// Why co-occurrence counting could not run: the problem and the fix (`EngineError`).
public enum CooccurrenceError: EngineError, Equatable, Sendable {
    /// `window` is outside `1...CooccurrenceOptions.maximumWindow`.
    case invalidWindow(Int)
    /// `threads` < 1 or `memoryLimit` ≤ 0, or a negative vocabulary, row or column count.
    case invalidArgument(String)
    /// The matrix has more than 2²⁴ − 1 columns (a record keeps the column in 24 bits).
    case tooManyColumns(Int)
    /// `memoryLimit` cannot hold the accumulator of even one row per thread.
    case memoryLimitTooSmall(limit: Int, needed: Int)
    /// An id map does not cover the corpus side's vocabulary or maps outside the matrix.
    case idMapMismatch(side: String, problem: String)
    /// The alignment has a different number of sentence pairs than the parallel corpus.
    case alignmentSentenceCount(alignment: Int, corpus: Int)
    /// A link points outside its sentence pair (`sentence` is 0-based).
    case linkOutOfRange(sentence: Int, link: AlignmentLink, sourceLength: Int, targetLength: Int)
    /// The progress handler answered `.stop`; no partial matrix is kept (missing rows would bias training).
    case stopped

    /// What is wrong.
    public var problem: String {
        switch self {
        case .invalidWindow(let window):
            return "co-occurrence window \(window) is out of range"
        case .invalidArgument(let problem):
            return "co-occurrence counting: \(problem)"
        case .tooManyColumns(let columns):
            return "co-occurrence matrix with \(columns) columns is too wide"
        case .memoryLimitTooSmall(let limit, let needed):
            return "co-occurrence memory limit of \(limit) bytes is too small to count even one row per thread (needs \(needed))"
        case .idMapMismatch(let side, let problem):
            return "the \(side) id map \(problem)"
        case .alignmentSentenceCount(let alignment, let corpus):
            return "the word alignment has \(alignment) sentence pairs but the parallel corpus has \(corpus)"
        case .linkOutOfRange(let sentence, let link, let sourceLength, let targetLength):
            return "alignment link \(link.source)-\(link.target) of sentence pair \(sentence + 1) is outside the sentences "
                + "(\(sourceLength) source and \(targetLength) target tokens)"
        case .stopped:
            return "co-occurrence counting was interrupted; nothing was kept"
        }
    }

    /// How to fix it (nil when the problem already says it, or after a stop).
    public var fix: String? {
        switch self {
        case .invalidWindow:
            return "use a window between 1 and \(CooccurrenceOptions.maximumWindow)"
        case .invalidArgument, .stopped:
            return nil
        case .tooManyColumns:
            return "limit the vocabulary to at most \((1 << 24) - 1) words"
        case .memoryLimitTooSmall:
            return "raise memory= or lower threads= or the vocabulary size"
        case .idMapMismatch(let side, _):
            return "build it with `corpus.idMap(into:limit:)` from this parallel corpus's \(side) side"
        case .alignmentSentenceCount:
            return "align this same parallel corpus (same files, same maxLines, same tokenizer)"
        case .linkOutOfRange:
            return "align the corpus with the same tokenizer it was read with"
        }
    }
}
