import Embeddings

extension Session {
    /// The word alignment `name` (made by `%wordalign`).
    func alignment(_ name: String, for magic: String) throws(MagicError) -> AlignmentObject {
        try typed(name, as: AlignmentObject.self, expected: "a word alignment (make one with %wordalign)", for: magic)
    }
}
