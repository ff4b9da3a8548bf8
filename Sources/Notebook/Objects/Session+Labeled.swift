import Embeddings

extension Session {
    /// The labelled documents `name`.
    func labeled(_ name: String, for magic: String) throws(MagicError) -> LabeledObject {
        try typed(name, as: LabeledObject.self, expected: "labelled documents (%load labeled or %%labeled)", for: magic)
    }
}
