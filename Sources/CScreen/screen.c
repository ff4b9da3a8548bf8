#include "CScreen.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define XLING_SCREEN_X86 1
#endif

/// One position, scalar: the definition the vector loops must match.
static inline int passes(
    float x, float shift, float top, float list, float row_top, float row_list, float row_shift) {
    float twice = x + x;
    return x > row_top || x > top || twice - shift > row_list || twice - row_shift > list;
}

static size_t screen_tail(
    const float *s, const float *column_shift, const float *column_top, const float *column_list,
    size_t start, size_t count, float row_top, float row_list, float row_shift, uint32_t *hits, size_t found) {
    for (size_t j = start; j < count; j++) {
        if (passes(s[j], column_shift[j], column_top[j], column_list[j], row_top, row_list, row_shift)) {
            hits[found++] = (uint32_t)j;
        }
    }
    return found;
}

#ifdef XLING_SCREEN_X86
static inline size_t emit(unsigned bits, size_t base, uint32_t *hits, size_t found) {
    while (bits) {
        hits[found++] = (uint32_t)(base + (size_t)__builtin_ctz(bits));
        bits &= bits - 1;
    }
    return found;
}

__attribute__((target("avx2"))) static size_t screen_avx2(
    const float *s, const float *column_shift, const float *column_top, const float *column_list,
    size_t count, float row_top, float row_list, float row_shift, uint32_t *hits) {
    const __m256 rt = _mm256_set1_ps(row_top), rl = _mm256_set1_ps(row_list), rs = _mm256_set1_ps(row_shift);
    size_t found = 0, j = 0;
    for (; j + 16 <= count; j += 16) {
        __m256 m[2];
        for (int h = 0; h < 2; h++) {
            const size_t o = j + 8 * (size_t)h;
            const __m256 x = _mm256_loadu_ps(s + o);
            const __m256 twice = _mm256_add_ps(x, x);
            const __m256 u = _mm256_sub_ps(twice, _mm256_loadu_ps(column_shift + o));
            const __m256 v = _mm256_sub_ps(twice, rs);
            const __m256 a = _mm256_or_ps(
                _mm256_cmp_ps(x, rt, _CMP_GT_OQ), _mm256_cmp_ps(x, _mm256_loadu_ps(column_top + o), _CMP_GT_OQ));
            const __m256 b = _mm256_or_ps(
                _mm256_cmp_ps(u, rl, _CMP_GT_OQ), _mm256_cmp_ps(v, _mm256_loadu_ps(column_list + o), _CMP_GT_OQ));
            m[h] = _mm256_or_ps(a, b);
        }
        if (_mm256_testz_ps(_mm256_or_ps(m[0], m[1]), _mm256_or_ps(m[0], m[1]))) continue;
        found = emit((unsigned)_mm256_movemask_ps(m[0]), j, hits, found);
        found = emit((unsigned)_mm256_movemask_ps(m[1]), j + 8, hits, found);
    }
    return screen_tail(s, column_shift, column_top, column_list, j, count, row_top, row_list, row_shift, hits, found);
}

static size_t screen_sse2(
    const float *s, const float *column_shift, const float *column_top, const float *column_list,
    size_t count, float row_top, float row_list, float row_shift, uint32_t *hits) {
    const __m128 rt = _mm_set1_ps(row_top), rl = _mm_set1_ps(row_list), rs = _mm_set1_ps(row_shift);
    size_t found = 0, j = 0;
    for (; j + 4 <= count; j += 4) {
        const __m128 x = _mm_loadu_ps(s + j);
        const __m128 twice = _mm_add_ps(x, x);
        const __m128 u = _mm_sub_ps(twice, _mm_loadu_ps(column_shift + j));
        const __m128 v = _mm_sub_ps(twice, rs);
        const __m128 a = _mm_or_ps(_mm_cmpgt_ps(x, rt), _mm_cmpgt_ps(x, _mm_loadu_ps(column_top + j)));
        const __m128 b = _mm_or_ps(_mm_cmpgt_ps(u, rl), _mm_cmpgt_ps(v, _mm_loadu_ps(column_list + j)));
        found = emit((unsigned)_mm_movemask_ps(_mm_or_ps(a, b)), j, hits, found);
    }
    return screen_tail(s, column_shift, column_top, column_list, j, count, row_top, row_list, row_shift, hits, found);
}
#endif

#ifdef XLING_SCREEN_X86
/// Set once at load time, before any thread can call the screen.
static int has_avx2 = 0;

__attribute__((constructor)) static void detect_avx2(void) {
    __builtin_cpu_init();
    has_avx2 = __builtin_cpu_supports("avx2") ? 1 : 0;
}
#endif

size_t xling_screen_row_using(
    xling_screen_path path, const float *s, const float *column_shift, const float *column_top,
    const float *column_list, size_t count, float row_top, float row_list, float row_shift, uint32_t *hits) {
#ifdef XLING_SCREEN_X86
    if (path == XLING_SCREEN_AVX2 && has_avx2) {
        return screen_avx2(s, column_shift, column_top, column_list, count, row_top, row_list, row_shift, hits);
    }
    if (path != XLING_SCREEN_SCALAR) {
        return screen_sse2(s, column_shift, column_top, column_list, count, row_top, row_list, row_shift, hits);
    }
#endif
    (void)path;
    return screen_tail(s, column_shift, column_top, column_list, 0, count, row_top, row_list, row_shift, hits, 0);
}

size_t xling_screen_row(
    const float *s, const float *column_shift, const float *column_top, const float *column_list,
    size_t count, float row_top, float row_list, float row_shift, uint32_t *hits) {
    return xling_screen_row_using(
        XLING_SCREEN_AVX2, s, column_shift, column_top, column_list, count, row_top, row_list, row_shift, hits);
}
