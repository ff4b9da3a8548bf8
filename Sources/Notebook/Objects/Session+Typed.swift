import Embeddings

extension Session {
    /// The object `name` as the kind a magic needs, or an error that says what it is instead.
    func typed<T: SessionObject>(_ name: String, as type: T.Type, expected: String, for magic: String) throws(MagicError) -> T {
        let object = try self.object(name, for: magic)
        guard let typed = object as? T else {
            throw MagicError.failed(magic: magic, message: "`\(name)` holds \(object.kind) (`%who` lists every object), not \(expected)")
        }
        return typed
    }

    /// The space `name`: stored vectors.
    func space(_ name: String, for magic: String) throws(MagicError) -> SpaceObject {
        try typed(name, as: SpaceObject.self, expected: "vectors (load some with %load vectors)", for: magic)
    }

    /// The dictionary `name`.
    func dictionary(_ name: String, for magic: String) throws(MagicError) -> DictionaryObject {
        try typed(name, as: DictionaryObject.self, expected: "a dictionary (%load dict or %%dict)", for: magic)
    }

    /// The mapping `name`.
    func mapping(_ name: String, for magic: String) throws(MagicError) -> MappingObject {
        try typed(name, as: MappingObject.self, expected: "a mapping (make one with %align)", for: magic)
    }

    /// The monolingual corpus `name`.
    func corpus(_ name: String, for magic: String) throws(MagicError) -> CorpusObject {
        try typed(name, as: CorpusObject.self, expected: "a corpus (%load corpus or %%corpus)", for: magic)
    }

    /// The parallel corpus `name`.
    func parallel(_ name: String, for magic: String) throws(MagicError) -> ParallelObject {
        try typed(name, as: ParallelObject.self, expected: "a parallel corpus (%load parallel)", for: magic)
    }
}
