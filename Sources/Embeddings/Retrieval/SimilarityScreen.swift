/// How a sweep that re-scores what it keeps computes its similarity tiles (see
/// `NeighborSearch.screen`). The scores a sweep keeps are fp32 dot products either way (OpenBLAS's
/// with `.float32`, `BFloat16Tiles.dot`'s with `.bfloat16`): they agree to the last bits of fp32, so the two
/// can break a near-tie differently, and each gives one result for any thread count and blocking.
public enum SimilarityScreen: String, Sendable, CaseIterable {
    /// fp32 tiles (`cblas_sgemm`); the tile's values are the scores.
    case float32
    /// bfloat16 tiles with fp32 accumulation (`BFloat16Tiles`, twice the fp32 rate on AVX512_BF16
    /// cores): the tile screens with a proven slack, and every entry that passes is re-scored by an
    /// fp32 dot product (`BFloat16Tiles.dot`). Falls back to `.float32` where the CPU lacks AVX512_BF16.
    case bfloat16

    /// `.bfloat16` where this CPU runs it, else `.float32`.
    public static var fastest: SimilarityScreen { BFloat16Tiles.isAvailable ? .bfloat16 : .float32 }

    /// The screen that runs here when this one is asked for (`.bfloat16` needs AVX512_BF16).
    public var effective: SimilarityScreen { self == .bfloat16 && BFloat16Tiles.isAvailable ? .bfloat16 : .float32 }
}
