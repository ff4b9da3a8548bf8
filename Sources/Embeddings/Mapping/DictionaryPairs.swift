/// A training dictionary as row indices: pair i links row `sourceRows[i]` of the source space
/// with row `targetRows[i]` of the target space (words may repeat on either side).
///
/// Invariant checked by `trainingMatrices`: both arrays have the same length and every index is
/// a valid row of its space.
public struct TrainingPairs: Sendable, Equatable {
    /// Source-space rows, one per pair.
    public var sourceRows: [Int]
    /// Target-space rows, one per pair.
    public var targetRows: [Int]

    /// Pairs from parallel row lists.
    public init(sourceRows: [Int], targetRows: [Int]) {
        self.sourceRows = sourceRows
        self.targetRows = targetRows
    }

    /// The number of pairs (the shorter list's length if the invariant is broken).
    public var count: Int { min(sourceRows.count, targetRows.count) }

    /// Whether there are no pairs.
    public var isEmpty: Bool { count == 0 }

    /// Looks up word pairs in two vocabularies, keeping the pairs whose both words are present
    /// (in the given order) and counting the others as `missing`.
    public static func lookUp(
        _ wordPairs: [(source: String, target: String)], source: Vocabulary,
        target: Vocabulary
    ) -> (pairs: TrainingPairs, missing: Int) {
        var pairs = TrainingPairs(sourceRows: [], targetRows: [])
        var missing = 0
        for (s, t) in wordPairs {
            if let i = source.id(s), let j = target.id(t) {
                pairs.sourceRows.append(i)
                pairs.targetRows.append(j)
            } else {
                missing += 1
            }
        }
        return (pairs, missing)
    }
}

/// The dictionary-aligned training matrices: X (n×d_src) holds the source vectors and Y
/// (n×d_tgt) the target vectors of the n pairs, row i of X and Y being pair i.
///
/// Throws `ShapeError` when the two row lists differ in length or an index is outside its
/// space (the message names the index and the space's shape).
public func trainingMatrices(
    source: EmbeddingSpace, target: EmbeddingSpace,
    pairs: TrainingPairs
) throws(ShapeError) -> (x: Matrix, y: Matrix) {
    guard pairs.sourceRows.count == pairs.targetRows.count else {
        throw ShapeError("\(pairs.sourceRows.count) source rows but \(pairs.targetRows.count) target rows in the training pairs")
    }
    return (try source.vectors.selectingRows(pairs.sourceRows), try target.vectors.selectingRows(pairs.targetRows))
}

/// Checks that X (n×d_src) and Y (n×d_tgt) have the same number of rows (pairs) and at least
/// one; used by every fitting method.
func requireAlignedPairs(_ x: Matrix, _ y: Matrix, method: String) throws {
    guard x.rows == y.rows else {
        throw ShapeError("\(method): X is \(x.shapeDescription) but Y is \(y.shapeDescription); both need one row per pair")
    }
    guard x.rows > 0 else { throw MappingError.emptyDictionary(method: method) }
}
