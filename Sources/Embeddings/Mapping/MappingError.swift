/// A mapping that cannot be fitted or inverted as asked (argument problems; shape problems are
/// `ShapeError`, numerical ones `LinearAlgebraError`).
public enum MappingError: EngineError, Equatable {
    /// No training pairs were given (or none survived filtering) for `method`.
    case emptyDictionary(method: String)
    /// A parameter value outside its domain, e.g. `dim = 0` or a negative regulariser.
    case invalidParameter(name: String, reason: String)
    /// `LinearMap.inverse()` cannot invert this map; the text says why.
    case notInvertible(String)

    /// What is wrong.
    public var problem: String {
        switch self {
        case let .emptyDictionary(method): return "\(method): no training pairs"
        case let .invalidParameter(name, reason): return "invalid \(name): \(reason)"
        case let .notInvertible(reason): return "map is not invertible: \(reason)"
        }
    }

    /// What usually helps.
    public var fix: String? {
        switch self {
        case .emptyDictionary:
            return "check that the dictionary's words are in both vocabularies (its direction and case), or raise max_rank"
        case .invalidParameter: return nil
        case .notInvertible: return "invert an orthogonal or square full-rank map, or fit the reverse direction instead"
        }
    }
}
