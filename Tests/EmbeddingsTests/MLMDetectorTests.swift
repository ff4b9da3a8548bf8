import Testing
import XlingCore

@testable import Embeddings

/// The failure detector of `%train mlm` (`MLMSelection.judge`): the paper's criterion on centred
/// rows against random rotations of the other language. Real vectors: the 756-word fastText en
/// and fr files ship aligned (Smith et al. 2017), so they are a joint space of two languages;
/// the same files with fr rotated at random are two spaces with no alignment between them.
struct MLMDetectorTests {
    static func fastText(_ lang: String) throws -> Matrix {
        try Word2VecText.load(path: "notebooks/data/fasttext-en-fr-756/\(lang).vec.gz").0.vectors
    }

    @Test func alignedSpacesSucceedAndRotatedOnesFail() throws {
        let en = try Self.fastText("en"), fr = try Self.fastText("fr")
        let aligned = try MLMSelection.judge(source: en, target: fr, seed: 3)
        #expect(aligned.verdict == .succeeded, "\(aligned.sentence)")
        #expect(aligned.null.count == 3 && aligned.value > aligned.nullMax)
        var rng = SplitMix64(seed: 11)
        let rotated = try Matrix.product(fr, FailureDetector.randomOrthogonal(fr.cols, rng: &rng))
        let unaligned = try MLMSelection.judge(source: en, target: rotated, seed: 3)
        #expect(unaligned.verdict == .failed, "\(unaligned.sentence)")
        // Deterministic for a seed.
        #expect(try MLMSelection.judge(source: en, target: fr, seed: 3) == aligned)
    }

    /// A common offset (every row of both languages shifted by the same vector) is not an
    /// alignment: the rows are centred before the criterion.
    @Test func aSharedMeanIsNotAnAlignment() throws {
        let en = try Self.fastText("en"), fr = try Self.fastText("fr")
        var rng = SplitMix64(seed: 12)
        var rotated = try Matrix.product(fr, FailureDetector.randomOrthogonal(fr.cols, rng: &rng))
        var shifted = en
        let offset = (0..<en.cols).map { _ in 0.5 * (rng.nextFloat() - 0.5) }
        for i in 0..<en.rows {
            for j in 0..<en.cols {
                shifted.storage[i * en.cols + j] += offset[j]
                rotated.storage[i * en.cols + j] += offset[j]
            }
        }
        let judgement = try MLMSelection.judge(source: shifted, target: rotated, seed: 3)
        #expect(judgement.verdict == .failed, "\(judgement.sentence)")
    }

    /// An untrained model (U(−0.1, 0.1) embeddings) has no alignment to find.
    @Test func untrainedModelFails() throws {
        let lm = try MultilingualLM(
            .init(vocabularySizes: [3001, 3001], embedding: 32, hidden: 8, layers: 1, dropout: 0), seed: 9)
        let judgements = try MLMSelection.judge(lm, seed: 1)
        #expect(judgements.count == 1 && judgements[0].verdict == .failed, "\(judgements.first?.sentence ?? "")")
    }
}
