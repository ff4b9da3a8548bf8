/// Interleaved storage of the trainable rows of a factorization model: for every entity (a word
/// or a context), its vector, its bias lanes and their AdaGrad squared-gradient sums side by
/// side, so one record touches a few contiguous cache lines per entity.
///
/// Row layout (`stride = 2·paddedDimension + 16` floats, every row 64-byte aligned):
///
///     [ vector: paddedDimension | biases: 8 lanes | gradsq of vector | gradsq of biases ]
///
/// `paddedDimension` is `dimension` rounded up to a multiple of 8 (one `SIMD8<Float>` chunk);
/// the padding lanes of a vector are 0 and stay 0 (their gradient is a product with another
/// row's zero lane). Bias lane 0 is the entity's bias in its own matrix (glove.c's bias; the
/// word/context bias of Shi et al. 2015 eq. 2); lane 1 is a word's bias in the cross-lingual
/// co-occurrence term (CLC, §4.1). Squared-gradient sums start at 1, as in glove.c, so the
/// first AdaGrad step equals the learning rate.
///
/// Hogwild: threads read and write rows without locks (Recht et al. 2011); a reference type
/// so the trainers can share it, `@unchecked Sendable` for exactly that reason.
final class ParameterTable: @unchecked Sendable {
    /// Number of entities (rows).
    let count: Int
    /// Number of real vector components.
    let dimension: Int
    /// `dimension` rounded up to a multiple of 8.
    let paddedDimension: Int
    /// Floats between the starts of consecutive rows.
    let stride: Int
    /// Offset of the bias lanes in a row.
    let biasOffset: Int
    /// Offset of the vector's squared-gradient sums in a row.
    let gradsqOffset: Int
    /// Offset of the biases' squared-gradient sums in a row.
    let biasGradsqOffset: Int
    /// The first float of row 0.
    let base: UnsafeMutablePointer<Float>

    /// Bias lane of the entity's own matrix.
    static let ownBias = 0
    /// Bias lane of the cross-lingual co-occurrence term.
    static let crossBias = 1

    /// A table of `count` rows of `dimension` components, all parameters 0, gradsq 1.
    init(count: Int, dimension: Int) {
        precondition(count >= 0 && dimension > 0, "a parameter table needs a positive dimension")
        self.count = count
        self.dimension = dimension
        paddedDimension = (dimension + 7) / 8 * 8
        biasOffset = paddedDimension
        gradsqOffset = paddedDimension + 8
        biasGradsqOffset = 2 * paddedDimension + 8
        stride = 2 * paddedDimension + 16
        let floats = Swift.max(1, count * stride)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: floats * MemoryLayout<Float>.size, alignment: 64)
        base = raw.bindMemory(to: Float.self, capacity: floats)
        for e in 0..<count {
            let row = base + e * stride
            (row).initialize(repeating: 0, count: gradsqOffset)
            (row + gradsqOffset).initialize(repeating: 1, count: stride - gradsqOffset)
        }
    }

    deinit { base.deallocate() }

    /// The first float of row `entity`.
    @inline(__always) func row(_ entity: Int) -> UnsafeMutablePointer<Float> { base + entity * stride }

    /// Fills every vector component and the own bias (lane 0) of every row with
    /// `(u − 0.5) / dimension`, u uniform in [0, 1) — glove.c's initialisation — drawing row
    /// by row: the `dimension` components, then the bias.
    func initializeUniform(using generator: inout SplitMix64) {
        let scale = 1 / Float(dimension)
        for e in 0..<count {
            let row = row(e)
            for k in 0..<dimension { row[k] = (generator.nextFloat() - 0.5) * scale }
            row[biasOffset + Self.ownBias] = (generator.nextFloat() - 0.5) * scale
        }
    }

    /// The vectors of rows `rows` (all by default) as a `rows.count × dimension` matrix,
    /// padding dropped.
    func vectors(_ rows: Range<Int>? = nil) -> Matrix {
        let range = rows ?? 0..<count
        var m = Matrix(rows: range.count, cols: dimension)
        m.storage.withUnsafeMutableBufferPointer { out in
            guard let dst = out.baseAddress else { return }
            for (i, e) in range.enumerated() { (dst + i * dimension).update(from: row(e), count: dimension) }
        }
        return m
    }

    /// The bias in `lane` of rows `rows` (all by default).
    func biases(_ rows: Range<Int>? = nil, lane: Int = ParameterTable.ownBias) -> [Float] {
        (rows ?? 0..<count).map { row($0)[biasOffset + lane] }
    }

    /// A deep copy (for tests that compare a step with finite differences).
    func copy() -> ParameterTable {
        let other = ParameterTable(count: count, dimension: dimension)
        other.base.update(from: base, count: count * stride)
        return other
    }
}
