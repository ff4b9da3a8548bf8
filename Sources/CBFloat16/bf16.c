#include "cbfloat16.h"
#include <immintrin.h>
#include <math.h>
#include <string.h>

#define MR XL_BF16_QUERY_PANEL
#define NR XL_BF16_TARGET_PANEL

/// `*cached`, set from `probe()` the first time (threads may ask at once: each computes the same
/// answer; the cache is read and written atomically).
static int cached_answer(int *cached, int (*probe)(void)) {
    int value = __atomic_load_n(cached, __ATOMIC_RELAXED);
    if (value < 0) {
        value = probe();
        __atomic_store_n(cached, value, __ATOMIC_RELAXED);
    }
    return value;
}

static int probe_bf16(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bf16") ? 1 : 0;
}

static int probe_avx512(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") ? 1 : 0;
}

int xl_bf16_available(void) {
    static int cached = -1;
    return cached_answer(&cached, probe_bf16);
}

int xl_avx512_available(void) {
    static int cached = -1;
    return cached_answer(&cached, probe_avx512);
}

/// Round to nearest bfloat16, ties to even (finite x).
static inline uint16_t round_bf16(float x) {
    uint32_t bits;
    memcpy(&bits, &x, 4);
    bits += 0x7fffu + ((bits >> 16) & 1u);
    return (uint16_t)(bits >> 16);
}

static inline float widen_bf16(uint16_t h) {
    uint32_t bits = (uint32_t)h << 16;
    float x;
    memcpy(&x, &bits, 4);
    return x;
}

void xl_bf16_pack(const float *x, long rows, long dim, long width, uint32_t *out, float *error, float *norm) {
    long kp = (dim + 1) / 2, panels = (rows + width - 1) / width;
    memset(out, 0, (size_t)panels * (size_t)kp * (size_t)width * 4);
    for (long i = 0; i < rows; i++) {
        const float *row = x + i * dim;
        uint32_t *o = out + (i / width) * kp * width + (i % width);
        double e = 0, n = 0;
        for (long p = 0; p < kp; p++) {
            float lo = row[2 * p], hi = 2 * p + 1 < dim ? row[2 * p + 1] : 0.0f;
            uint16_t l = round_bf16(lo), h = round_bf16(hi);
            double d0 = (double)lo - widen_bf16(l), d1 = (double)hi - widen_bf16(h);
            e += d0 * d0 + d1 * d1;
            n += (double)lo * lo + (double)hi * hi;
            o[p * width] = (uint32_t)l | ((uint32_t)h << 16);
        }
        if (error) error[i] = (float)sqrt(e);
        if (norm) norm[i] = (float)sqrt(n);
    }
}

/// One MR × NR block: 24 accumulators, one pass over the kp pairs of a query panel and a target panel.
__attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16")))
static void block(const uint32_t *a, const uint32_t *b, long kp, float *c, long ldc, long rows, long columns) {
    __m512 acc[MR][2];
    for (int r = 0; r < MR; r++) {
        acc[r][0] = _mm512_setzero_ps();
        acc[r][1] = _mm512_setzero_ps();
    }
    for (long p = 0; p < kp; p++) {
        __m512bh b0 = (__m512bh)_mm512_loadu_si512(b + p * NR), b1 = (__m512bh)_mm512_loadu_si512(b + p * NR + 16);
        const uint32_t *ar = a + p * MR;
#pragma clang loop unroll(full)
        for (int r = 0; r < MR; r++) {
            __m512bh av = (__m512bh)_mm512_set1_epi32((int)ar[r]);
            acc[r][0] = _mm512_dpbf16_ps(acc[r][0], av, b0);
            acc[r][1] = _mm512_dpbf16_ps(acc[r][1], av, b1);
        }
    }
    if (rows == MR && columns == NR) {
        for (int r = 0; r < MR; r++) {
            _mm512_storeu_ps(c + r * ldc, acc[r][0]);
            _mm512_storeu_ps(c + r * ldc + 16, acc[r][1]);
        }
    } else {
        __mmask16 m0 = (__mmask16)(columns >= 16 ? 0xffffu : (1u << columns) - 1u);
        __mmask16 m1 = (__mmask16)(columns <= 16 ? 0u : columns >= 32 ? 0xffffu : (1u << (columns - 16)) - 1u);
        for (long r = 0; r < rows; r++) {
            _mm512_mask_storeu_ps(c + r * ldc, m0, acc[r][0]);
            _mm512_mask_storeu_ps(c + r * ldc + 16, m1, acc[r][1]);
        }
    }
}

void xl_bf16_tile(
    const uint32_t *queries, const uint32_t *targets, long kp, long rowStart, long rowCount, long columnStart,
    long columnCount, float *c, long ldc) {
    // A target panel (NR × kp words, 19 KB at d = 300) stays in L1 while every query panel of the
    // tile passes it.
    for (long cj = 0; cj < columnCount; cj += NR) {
        const uint32_t *b = targets + ((columnStart + cj) / NR) * kp * NR;
        long columns = columnCount - cj < NR ? columnCount - cj : NR;
        for (long ri = 0; ri < rowCount; ri += MR) {
            const uint32_t *a = queries + ((rowStart + ri) / MR) * kp * MR;
            long rows = rowCount - ri < MR ? rowCount - ri : MR;
            block(a, b, kp, c + ri * ldc + cj, ldc, rows, columns);
        }
    }
}

/// The lanes of a 16-wide step with `left` elements to go (all 16 when left ≥ 16).
static inline __mmask16 tail_mask(long left) { return (__mmask16)(left >= 16 ? 0xffffu : (1u << left) - 1u); }

/// Appends the lane indices `index` selected by `hit` to out[found...] (register-form compress, then a
/// whole-vector store: the memory form is slow on some cores; out needs 16 entries of room) and
/// returns the new count.
__attribute__((target("avx512f")))
static inline long append_hits(int32_t *out, long found, __mmask16 hit, __m512i index) {
    if (!hit) return found;
    _mm512_storeu_si512(out + found, _mm512_maskz_compress_epi32(hit, index));
    return found + __builtin_popcount((unsigned)hit);
}

/// The order of `xl_dot`: partial sums k mod 64 by fused multiply-adds, then a fixed tree.
__attribute__((target("avx512f"))) static inline float dot_in_order(const float *a, const float *b, long n) {
    __m512 acc0 = _mm512_setzero_ps(), acc1 = _mm512_setzero_ps(), acc2 = _mm512_setzero_ps(), acc3 = _mm512_setzero_ps();
    long k = 0;
    for (; k + 64 <= n; k += 64) {
        acc0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + k), _mm512_loadu_ps(b + k), acc0);
        acc1 = _mm512_fmadd_ps(_mm512_loadu_ps(a + k + 16), _mm512_loadu_ps(b + k + 16), acc1);
        acc2 = _mm512_fmadd_ps(_mm512_loadu_ps(a + k + 32), _mm512_loadu_ps(b + k + 32), acc2);
        acc3 = _mm512_fmadd_ps(_mm512_loadu_ps(a + k + 48), _mm512_loadu_ps(b + k + 48), acc3);
    }
    // The rest as if padded with zeros (0·0 added to a partial sum leaves it unchanged).
    __m512 *accs[4] = {&acc0, &acc1, &acc2, &acc3};
    for (int l = 0; l < 4 && k < n; l++, k += 16) {
        __mmask16 mask = tail_mask(n - k);
        *accs[l] = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mask, a + k), _mm512_maskz_loadu_ps(mask, b + k), *accs[l]);
    }
    __m512 sum = _mm512_add_ps(_mm512_add_ps(acc0, acc1), _mm512_add_ps(acc2, acc3));
    // 16 lanes → 8 → 4 → 2 → 1, always the upper half onto the lower.
    __m256 s8 = _mm256_add_ps(_mm512_castps512_ps256(sum), _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(sum), 1)));
    __m128 s4 = _mm_add_ps(_mm256_castps256_ps128(s8), _mm256_extractf128_ps(s8, 1));
    __m128 s2 = _mm_add_ps(s4, _mm_movehl_ps(s4, s4));
    __m128 s1 = _mm_add_ss(s2, _mm_shuffle_ps(s2, s2, 1));
    return _mm_cvtss_f32(s1);
}

__attribute__((target("avx512f"))) float xl_dot(const float *a, const float *b, long n) { return dot_in_order(a, b, n); }

__attribute__((target("avx512f")))
void xl_dots(const float *q, const float *t, long n, const int32_t *rows, long count, float *out) {
    // Rows of t are scattered: fetch the one four ahead while scoring this one.
    const long ahead = 4;
    for (long h = 0; h < count && h < ahead; h++)
        for (long k = 0; k < n; k += 16) _mm_prefetch((const char *)(t + (long)rows[h] * n + k), _MM_HINT_T0);
    for (long h = 0; h < count; h++) {
        if (h + ahead < count) {
            const float *next = t + (long)rows[h + ahead] * n;
            for (long k = 0; k < n; k += 16) _mm_prefetch((const char *)(next + k), _MM_HINT_T0);
        }
        out[h] = dot_in_order(q, t + (long)rows[h] * n, n);
    }
}

__attribute__((target("avx512f")))
long xl_screen(
    const float *row, long count, float raise, float rowS, float rowU, float rowBound, const float *columnBound,
    const float *columnS, const float *columnV, int32_t *out) {
    const __m512 r = _mm512_set1_ps(raise), ts = _mm512_set1_ps(rowS), tu = _mm512_set1_ps(rowU);
    const __m512 lr = _mm512_set1_ps(rowBound);
    __m512i index = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    const __m512i step = _mm512_set1_epi32(16);
    long found = 0;
    for (long j = 0; j < count; j += 16) {
        __mmask16 lanes = tail_mask(count - j);
        __m512 s = _mm512_add_ps(_mm512_maskz_loadu_ps(lanes, row + j), r), twice = _mm512_add_ps(s, s);
        __mmask16 hit = _mm512_cmp_ps_mask(s, ts, _CMP_GT_OQ);
        hit |= _mm512_cmp_ps_mask(s, _mm512_maskz_loadu_ps(lanes, columnS + j), _CMP_GT_OQ);
        hit |= _mm512_cmp_ps_mask(_mm512_sub_ps(twice, _mm512_maskz_loadu_ps(lanes, columnBound + j)), tu, _CMP_GT_OQ);
        hit |= _mm512_cmp_ps_mask(_mm512_sub_ps(twice, lr), _mm512_maskz_loadu_ps(lanes, columnV + j), _CMP_GT_OQ);
        hit &= lanes;
        found = append_hits(out, found, hit, index);
        index = _mm512_add_epi32(index, step);
    }
    return found;
}

/// v_j of `xl_bound_screen` / `xl_bound_max` for 16 lanes: (row + (r·sigma + add)) − (own + offsets),
/// each operation rounded on its own (no fused multiply-add), as the scalar form.
__attribute__((target("avx512f")))
static inline __m512 bound_lanes(
    __mmask16 lanes, const float *row, const float *sigma, const float *offsets, long j, __m512 r, __m512 add, __m512 own) {
    __m512 v = _mm512_add_ps(_mm512_maskz_loadu_ps(lanes, row + j), _mm512_add_ps(_mm512_mul_ps(r, _mm512_maskz_loadu_ps(lanes, sigma + j)), add));
    if (offsets) v = _mm512_sub_ps(v, _mm512_add_ps(own, _mm512_maskz_loadu_ps(lanes, offsets + j)));
    return v;
}

static inline float bound_value(const float *row, const float *sigma, const float *offsets, long j, float r, float add, float own) {
    float spread = r * sigma[j];
    spread = spread + add;
    float v = row[j] + spread;
    if (offsets) {
        float shift = own + offsets[j];
        v = v - shift;
    }
    return v;
}

__attribute__((target("avx512f")))
static long bound_screen_avx512(
    const float *row, const float *sigma, const float *offsets, long count, float r, float add, float own, float rowThreshold,
    const float *columnThresholds, float slack, int32_t *out) {
    const __m512 vr = _mm512_set1_ps(r), va = _mm512_set1_ps(add), vo = _mm512_set1_ps(own), vs = _mm512_set1_ps(slack);
    const __m512 vt = _mm512_set1_ps(rowThreshold);
    __m512i index = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    const __m512i step = _mm512_set1_epi32(16);
    long found = 0;
    for (long j = 0; j < count; j += 16) {
        __mmask16 lanes = tail_mask(count - j);
        __m512 v = _mm512_add_ps(bound_lanes(lanes, row, sigma, offsets, j, vr, va, vo), vs);
        __mmask16 hit = _mm512_cmp_ps_mask(v, vt, _CMP_GE_OQ);
        hit |= _mm512_cmp_ps_mask(v, _mm512_maskz_loadu_ps(lanes, columnThresholds + j), _CMP_GE_OQ);
        hit &= lanes;
        found = append_hits(out, found, hit, index);
        index = _mm512_add_epi32(index, step);
    }
    return found;
}

long xl_bound_screen(
    const float *row, const float *sigma, const float *offsets, long count, float r, float add, float own, float rowThreshold,
    const float *columnThresholds, float slack, int32_t *out, int vector) {
    if (vector && xl_avx512_available())
        return bound_screen_avx512(row, sigma, offsets, count, r, add, own, rowThreshold, columnThresholds, slack, out);
    long found = 0;
    for (long j = 0; j < count; j++) {
        float v = bound_value(row, sigma, offsets, j, r, add, own) + slack;
        if (v >= rowThreshold || v >= columnThresholds[j]) out[found++] = (int32_t)j;
    }
    return found;
}

__attribute__((target("avx512f")))
static float bound_max_avx512(
    const float *row, const float *sigma, const float *offsets, long count, float r, float add, float own, float *columnMax) {
    const __m512 vr = _mm512_set1_ps(r), va = _mm512_set1_ps(add), vo = _mm512_set1_ps(own);
    __m512 best = _mm512_set1_ps(-INFINITY);
    for (long j = 0; j < count; j += 16) {
        __mmask16 lanes = tail_mask(count - j);
        __m512 v = bound_lanes(lanes, row, sigma, offsets, j, vr, va, vo);
        best = _mm512_mask_max_ps(best, lanes, best, v);
        __m512 column = _mm512_maskz_loadu_ps(lanes, columnMax + j);
        _mm512_mask_storeu_ps(columnMax + j, lanes, _mm512_max_ps(column, v));
    }
    return _mm512_reduce_max_ps(best);
}

float xl_bound_max(
    const float *row, const float *sigma, const float *offsets, long count, float r, float add, float own, float *columnMax,
    int vector) {
    if (vector && xl_avx512_available()) return bound_max_avx512(row, sigma, offsets, count, r, add, own, columnMax);
    float best = -INFINITY;
    for (long j = 0; j < count; j++) {
        float v = bound_value(row, sigma, offsets, j, r, add, own);
        if (v > best) best = v;
        if (v > columnMax[j]) columnMax[j] = v;
    }
    return best;
}
