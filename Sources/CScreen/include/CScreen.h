#ifndef CSCREEN_H
#define CSCREEN_H

#include <stddef.h>
#include <stdint.h>

/// Screens one row of a similarity tile against four thresholds and writes the positions that
/// pass any of them, in increasing order, to `hits` (capacity `count`); returns how many.
///
/// Position j passes when, with x = s[j] and comparisons that are false for NaN:
///   x > row_top  or  x > column_top[j]  or  (x + x) - column_shift[j] > row_list
///   or  (x + x) - row_shift > column_list[j].
/// x + x is exact and each difference is rounded once, so these are the values Swift's
/// `2 * x - shift` gives. A caller that re-tests every hit with the thresholds it holds then
/// (which only rise) keeps exactly the entries a scalar loop would.
///
/// The loop runs on AVX2 where the CPU has it (checked once) and on SSE2 otherwise; both give
/// the same hits.
size_t xling_screen_row(
    const float *s, const float *column_shift, const float *column_top, const float *column_list,
    size_t count, float row_top, float row_list, float row_shift, uint32_t *hits);

/// The loops `xling_screen_row_using` can be asked for (tests compare them with the scalar one).
typedef enum {
    XLING_SCREEN_SCALAR = 0,
    XLING_SCREEN_SSE2 = 1,
    /// AVX2 where the CPU has it, else SSE2 (on x86; scalar elsewhere).
    XLING_SCREEN_AVX2 = 2
} xling_screen_path;

/// `xling_screen_row` with a chosen loop.
size_t xling_screen_row_using(
    xling_screen_path path, const float *s, const float *column_shift, const float *column_top,
    const float *column_list, size_t count, float row_top, float row_list, float row_shift, uint32_t *hits);

#endif
