import Embeddings

extension Session {
    /// The text classifier `name` (made by `%train classifier` or `%llm`).
    func classifier(_ name: String, for magic: String) throws(MagicError) -> ClassifierObject {
        try typed(name, as: ClassifierObject.self, expected: "a classifier (make one with %train classifier)", for: magic)
    }
}
