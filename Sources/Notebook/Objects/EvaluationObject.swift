import Embeddings

/// A stored `%eval bli` result, so `%plot bli` can draw it later: P@k per retrieval method
/// (MUSE's convention: pairs with an out-of-vocabulary word dropped), with what the mapping
/// was trained on.
final class EvaluationObject: SessionObject {
    /// The mapping (or `src→tgt`) that was evaluated.
    let evaluated: String
    /// The test dictionary.
    let dictionary: String
    /// Dictionary pairs the mapping was fitted on (0 for spaces compared as they are).
    let trainingPairs: Int
    /// The cut-offs, in the order asked for.
    let ks: [Int]
    /// P@k in [0, 1] per retrieval token (`nn`, `csls`, `isf`) and k.
    let precision: [(retrieval: String, atK: [Int: Double])]
    /// Source words of the test dictionary with both words covered.
    let covered: Int
    /// The languages evaluated.
    let languagePair: [String]

    init(
        evaluated: String, dictionary: String, trainingPairs: Int, ks: [Int],
        precision: [(retrieval: String, atK: [Int: Double])], covered: Int, languages: [String]
    ) {
        self.evaluated = evaluated
        self.dictionary = dictionary
        self.trainingPairs = trainingPairs
        self.ks = ks
        self.precision = precision
        self.covered = covered
        self.languagePair = languages
    }

    var kind: String { "evaluation" }
    var languages: [String] { languagePair }
    var sizeDescription: String { "BLI, \(precision.count) retrieval × \(ks.count) k, \(covered.formatted) words" }
}
