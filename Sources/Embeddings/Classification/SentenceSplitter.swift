/// How `han` splits a tokenized document into sentences: after every token that ends with a
/// sentence or clause mark (`. ! ? ; : ,`), so the documents must be loaded with their
/// punctuation (`%load labeled … punct=keep`). SIB-200 documents are single sentences (one
/// FLORES sentence each), so its "sentences" are clauses: an English SIB sentence has about 2–3 of
/// them. Tokens are looked up with their edge punctuation removed (`TextClassifier.bags`).
public enum SentenceSplitter {
    /// The marks that end a sentence or clause when a token ends with one of them.
    public static let marks: Set<Character> = [".", "!", "?", ";", ":", ",", "。", "！", "？", "；", "："]

    /// Whether `token` ends a sentence or clause.
    public static func endsSentence(_ token: String) -> Bool { token.last.map { marks.contains($0) } ?? false }

    /// The sentences of `document` (token ranges, in order; a last sentence without a mark is
    /// kept; no sentence is empty).
    public static func sentences(_ document: [String]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var start = 0
        for (i, token) in document.enumerated() where endsSentence(token) {
            result.append(start..<(i + 1))
            start = i + 1
        }
        if start < document.count { result.append(start..<document.count) }
        return result
    }

    /// Whether any token of `documents` carries a mark (false when punctuation was stripped on loading).
    public static func hasMarks(_ documents: [[String]]) -> Bool { documents.contains { $0.contains(where: endsSentence) } }
}
