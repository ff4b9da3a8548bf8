/// How a query (a mapped source vector) is matched against the target vocabulary.
///
/// All methods rank targets by a score derived from cosine similarity of unit vectors; ties
/// are broken by the lower target index.
public enum RetrievalMethod: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// Plain nearest neighbour: score = cos(x, y) (= x·y for unit vectors).
    case nn
    /// Cross-domain similarity local scaling (Conneau et al. 2018, MUSE):
    /// CSLS(x, y) = 2 cos(x, y) − r_T(x) − r_S(y), where r_T(x) is the mean cosine of x to
    /// its `k` nearest target words and r_S(y) the mean cosine of y to its `k` nearest source
    /// words (see `CSLSStatistics`). MUSE uses k = 10.
    case csls(k: Int)
    /// Inverted softmax (Smith et al. 2017): score(x → y) = exp(β cos(x, y)) / Σ_{x'} exp(β cos(x', y)),
    /// normalised over the whole source vocabulary for each target y. β is the inverse
    /// temperature (the notebook's magic defaults to 30).
    case invertedSoftmax(beta: Float)

    /// MUSE's default neighbourhood size for CSLS.
    public static let defaultCSLSNeighbors = 10
    /// The notebook's default inverse temperature for the inverted softmax.
    public static let defaultInvertedSoftmaxBeta: Float = 30

    /// Parses `nn`, `csls`, `csls:K` / `csls=K` / `csls(K)`, `isf`, `isf:β` / `isf=β` / `isf(β)`
    /// (also `invsoftmax`, `inverted-softmax`, `inverted_softmax`), case-insensitively.
    /// Omitted parameters take `defaultCSLSNeighbors` / `defaultInvertedSoftmaxBeta`.
    /// Returns nil for anything else, for k < 1, and for a non-finite or non-positive β.
    public init?(parsing text: String) {
        var name = text.trimmingWhitespace().lowercased()
        var parameter: String?
        if name.hasSuffix(")"), let open = name.firstIndex(of: "(") {
            parameter = String(name[name.index(after: open)..<name.index(before: name.endIndex)])
            name = String(name[..<open])
        } else if let sep = name.firstIndex(where: { $0 == ":" || $0 == "=" }) {
            parameter = String(name[name.index(after: sep)...])
            name = String(name[..<sep])
        }
        parameter = parameter?.trimmingWhitespace()
        switch name.trimmingWhitespace() {
        case "nn", "cos", "cosine", "nearest":
            guard parameter == nil else { return nil }
            self = .nn
        case "csls":
            guard let parameter else {
                self = .csls(k: Self.defaultCSLSNeighbors)
                return
            }
            guard let k = Int(parameter), k >= 1 else { return nil }
            self = .csls(k: k)
        case "isf", "invsoftmax", "inverted-softmax", "inverted_softmax", "invertedsoftmax":
            guard let parameter else {
                self = .invertedSoftmax(beta: Self.defaultInvertedSoftmaxBeta)
                return
            }
            guard let beta = Float(parameter), beta.isFinite, beta > 0 else { return nil }
            self = .invertedSoftmax(beta: beta)
        default:
            return nil
        }
    }

    /// The short token accepted by `init(parsing:)`: `nn`, `csls`, `isf`.
    public var token: String {
        switch self {
        case .nn: return "nn"
        case .csls: return "csls"
        case .invertedSoftmax: return "isf"
        }
    }

    /// A human-readable name with parameters, e.g. `NN`, `CSLS (k=10)`, `ISF (β=30)`.
    public var displayName: String {
        switch self {
        case .nn: return "NN"
        case .csls(let k): return "CSLS (k=\(k))"
        case .invertedSoftmax(let beta): return "ISF (β=\(Self.format(beta)))"
        }
    }

    /// Same as `displayName`.
    public var description: String { displayName }

    private static func format(_ value: Float) -> String {
        value == value.rounded() && abs(value) < 1e7 ? String(Int(value)) : String(value)
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
