/// The one shape of an engine error: what is wrong (`problem`) and how to fix it (`fix`, nil
/// when there is nothing useful to say). Every error the engine throws for bad input or data
/// conforms; internal bugs are preconditions instead, never errors or plausible fallback values.
///
/// The notebook turns any `EngineError` into `%magic: problem; fix` in one place (the
/// interpreter boundary), so a conforming type needs no notebook knowledge.
public protocol EngineError: Error, CustomStringConvertible {
    /// What is wrong, e.g. `the cross-lingual matrix is 500×600 but the vocabularies have 400 and 600 words`.
    var problem: String { get }
    /// How to fix it, e.g. `count the bilingual co-occurrences over the same vocabularies`; nil when unknown.
    var fix: String? { get }
}

extension EngineError {
    /// `PROBLEM; FIX` (or `PROBLEM` without a fix).
    public var description: String { fix.map { problem + "; " + $0 } ?? problem }
}
