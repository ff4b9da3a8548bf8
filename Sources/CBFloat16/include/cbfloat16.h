#ifndef CBFLOAT16_H
#define CBFLOAT16_H
#include <stdint.h>

/// Similarity tiles in bfloat16 with fp32 accumulation (AVX512_BF16 `vdpbf16ps`), for screens whose
/// survivors are re-scored in fp32. See `BFloat16Tiles` (XlingCore) for the error bound.

/// Rows per packed query panel and columns per packed target panel.
#define XL_BF16_QUERY_PANEL 12
#define XL_BF16_TARGET_PANEL 32

/// 1 when this CPU and OS run AVX512F + AVX512_BF16 (checked once), else 0.
int xl_bf16_available(void);

/// Packs `rows` fp32 rows of `dim` floats (row-major, stride `dim`) into panels of `width` rows:
/// `out[(panel * kp + p) * width + r]` holds elements 2p and 2p+1 of row `panel * width + r`, rounded
/// to bfloat16 (nearest, ties to even; low half = element 2p), with kp = (dim + 1) / 2; rows past
/// `rows` and the odd element of an odd `dim` are zero. `out` holds `ceil(rows / width) * width * kp`
/// words. `error[i]` (if not NULL) = the Euclidean norm of row i minus its rounded copy; `norm[i]`
/// (if not NULL) = the norm of row i. Finite inputs only. Any CPU.
void xl_bf16_pack(const float *x, long rows, long dim, long width, uint32_t *out, float *error, float *norm);

/// c[i * ldc + j] = the bfloat16 dot product of packed query row `rowStart + i` and packed target
/// row `columnStart + j`, 0 ≤ i < rowCount, 0 ≤ j < columnCount; `rowStart` is a multiple of
/// XL_BF16_QUERY_PANEL and `columnStart` of XL_BF16_TARGET_PANEL; kp as in `xl_bf16_pack`.
/// Only when `xl_bf16_available()`.
void xl_bf16_tile(
    const uint32_t *queries, const uint32_t *targets, long kp, long rowStart, long rowCount, long columnStart,
    long columnCount, float *c, long ldc);

/// The fp32 dot product of a and b (n ≥ 0) in a fixed order: element k is multiplied and added (one
/// fused multiply-add) into partial sum k mod 64, in increasing k; the 64 partial sums are then added
/// in a fixed tree. Every call gives the same bits for the same inputs. Only when
/// `xl_bf16_available()` (AVX512F).
float xl_dot(const float *a, const float *b, long n);

/// out[h] = xl_dot(q, t + rows[h] * n, n) for h < count (the same bits), prefetching the rows of t
/// ahead. Only when `xl_bf16_available()`.
void xl_dots(const float *q, const float *t, long n, const int32_t *rows, long count, float *out);

/// 1 when this CPU and OS run AVX512F (checked once), else 0.
int xl_avx512_available(void);

/// The screen of one similarity row against a top-k sweep's thresholds: writes to `out`, in
/// increasing order, every j < count where, with s = row[j] + raise (fp32),
///     s > rowS  or  s > columnS[j]  or  (s + s) − columnBound[j] > rowU  or  (s + s) − rowBound > columnV[j]
/// (ordinary IEEE comparisons), and returns how many. `out` holds at least count + 16 entries (whole
/// vectors are stored). Only when `xl_avx512_available()`.
long xl_screen(
    const float *row, long count, float raise, float rowS, float rowU, float rowBound, const float *columnBound,
    const float *columnS, const float *columnV, int32_t *out);

/// The bound screen of one sketch row (any CPU; AVX-512 when `vector` is set and `xl_avx512_available()`,
/// one lane at a time otherwise, with the same arithmetic): writes to
/// `out`, in increasing order, every j < count where, with
///     v = (row[j] + (r·sigma[j] + add)) − (own + offsets[j])   (the last term only when offsets is not NULL;
///                                                               each operation rounded on its own),
/// v + slack ≥ rowThreshold or v + slack ≥ columnThresholds[j], and returns how many. `out` holds at
/// least count + 16 entries.
long xl_bound_screen(
    const float *row, const float *sigma, const float *offsets, long count, float r, float add, float own, float rowThreshold,
    const float *columnThresholds, float slack, int32_t *out, int vector);

/// max over j < count of v (as in `xl_bound_screen`), and columnMax[j] = max(columnMax[j], v) for every j
/// (any CPU; `vector` as in `xl_bound_screen`; −∞ for count 0; NaN-free input).
float xl_bound_max(
    const float *row, const float *sigma, const float *offsets, long count, float r, float add, float own, float *columnMax,
    int vector);

#endif
