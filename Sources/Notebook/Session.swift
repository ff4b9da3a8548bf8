import Jupyter

/// Something a magic made and stored under a name: vectors, a corpus, a mapping, a run.
public protocol SessionObject: AnyObject {
    /// What kind of thing it is, for `%who` ("vectors", "dictionary", "run", …).
    var kind: String { get }
    /// The languages it covers (empty when not language-specific).
    var languages: [String] { get }
    /// A short size description ("20,000 × 300", "5 points").
    var sizeDescription: String { get }
    /// Words of its vocabulary that start with `prefix` (for completion), at most `limit`.
    func vocabularyWords(prefix: String, limit: Int) -> [String]
}

extension SessionObject {
    /// No vocabulary: the default for objects without words.
    public func vocabularyWords(prefix: String, limit: Int) -> [String] { [] }
}

/// The state that lives across cells: named objects (with how each was made) and settings.
///
/// Invariant: every stored object has a non-empty name and a provenance line.
public final class Session {
    /// A stored object with the invocation that made it.
    public struct Entry {
        /// The stored object.
        public var object: SessionObject
        /// The invocation that made it, as typed (every key written), shown in the `made by`
        /// column of `%who`; a magic's own summary when no invocation was running.
        public var madeBy: String
        /// The execution count of the cell that made it, shown in the `cell` column of `%who`.
        public var cell: Int
        /// Every option of the magic that made it with the value it ran with (written or
        /// default), for `%who NAME`; empty when unknown.
        public var options: [Provenance.Option] = []
        /// What the magic itself said about how it made the object (sizes, counts).
        public var summary: String = ""
    }

    /// The invocation running now, set by the interpreter around `run`: what `store` records.
    public var running: Provenance?

    /// Stored objects by name; `order` gives their creation order.
    public private(set) var objects: [String: Entry] = [:]
    /// Names in creation order (re-creating a name moves it to the end).
    public private(set) var order: [String] = []
    /// The session's settings, changed by `%set`.
    public var settings = Settings()

    /// Creates an empty session with default settings.
    public init() {}

    /// Stores `object` as `name`, replacing any previous object of that name.
    /// The provenance is the running invocation as typed when there is one (`madeBy` is then
    /// kept as the magic's summary), else `madeBy`.
    public func store(_ object: SessionObject, as name: String, madeBy: String, cell: Int) {
        if objects[name] != nil { order.removeAll { $0 == name } }
        objects[name] = Entry(
            object: object, madeBy: running?.command ?? madeBy, cell: cell,
            options: running?.options ?? [], summary: madeBy)
        order.append(name)
    }

    /// The object called `name`, or an error that lists what exists and suggests a name.
    public func object(_ name: String, for magic: String) throws(MagicError) -> SessionObject {
        if let entry = objects[name] { return entry.object }
        let hint = Suggestion.closest(to: name, in: order).map { " — did you mean `\($0)`?" } ?? ""
        let existing = order.isEmpty ? "the session is empty" : "the session has " + order.joined(separator: ", ")
        throw MagicError.failed(magic: magic, message: "no object named `\(name)`\(hint) (\(existing); `%who` lists them)")
    }

    /// Drops the named objects (all when `names` is empty); returns the names dropped.
    @discardableResult
    public func drop(_ names: [String]) -> [String] {
        let dropped = names.isEmpty ? order : names.filter { objects[$0] != nil }
        for name in dropped { objects[name] = nil }
        order.removeAll { dropped.contains($0) }
        return dropped
    }

    /// Vocabulary words of all stored objects starting with `prefix`.
    public func vocabularyWords(prefix: String, limit: Int) -> [String] {
        var words: [String] = []
        for name in order {
            guard let entry = objects[name], words.count < limit else { break }
            words.append(contentsOf: entry.object.vocabularyWords(prefix: prefix, limit: limit - words.count))
        }
        return words
    }
}
