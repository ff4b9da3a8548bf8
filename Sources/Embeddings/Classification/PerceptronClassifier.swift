/// The averaged perceptron as a text classifier: documents become idf-weighted mean vectors
/// (`DocumentEmbedder`, idf over the set being classified, as `CLDCEvaluation` does) of an
/// embedding table, then `AveragedPerceptron` scores them. Keeping the table (not the
/// vectors) lets a transfer swap in another language's embeddings.
///
/// Invariant: `embeddings.rows == vocabulary.count`, `embeddings.cols == perceptron.dimension`
/// (or the perceptron is untrained).
public struct PerceptronClassifier: Sendable {
    /// The words of the table's rows.
    public var vocabulary: Vocabulary
    /// |V| × d.
    public var embeddings: Matrix
    /// The trained perceptron over d features.
    public var perceptron: AveragedPerceptron

    /// The idf-weighted mean vectors of `documents` (idf over `documents` themselves).
    public func features(_ documents: [[String]]) throws(ClassificationError) -> DocumentEmbedder.Result {
        let space: EmbeddingSpace
        do { space = try EmbeddingSpace(vocabulary: vocabulary, vectors: embeddings) } catch {
            throw ClassificationError(error.description)
        }
        return DocumentEmbedder(space: space, idfFrom: documents).embed(documents)
    }

    /// Trains on `documents` with `labels` in `0..<classes` (`AveragedPerceptron.train`, which
    /// says what `progress` hears and what a stop keeps).
    public static func train(
        vocabulary: Vocabulary, embeddings: Matrix, documents: [[String]], labels: [Int], classes: Int,
        epochs: Int, seed: UInt64,
        progress: ProgressHandler = ProgressAction.ignore
    ) throws(ClassificationError) -> PerceptronClassifier {
        var classifier = PerceptronClassifier(
            vocabulary: vocabulary, embeddings: embeddings,
            perceptron: AveragedPerceptron(classes: classes, dimension: embeddings.cols))
        let x = try classifier.features(documents).vectors
        classifier.perceptron = try AveragedPerceptron.train(
            features: x, labels: labels, classes: classes, epochs: epochs,
            seed: seed, progress: progress)
        return classifier
    }

    /// The predicted class of each document.
    public func predict(_ documents: [[String]]) throws(ClassificationError) -> [Int] {
        perceptron.predict(try features(documents).vectors)
    }
}
