/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Marvin32 (log layer).
 *
 * State: lo = low half of the seed, hi = high half. Each 32-bit
 * little-endian word w of the input is mixed in as
 *     lo += w; hi ^= lo; lo = rotl(lo, 20) + hi; hi = rotl(hi, 9) ^ lo;
 *     lo = rotl(lo, 27) + hi; hi = rotl(hi, 19);
 * The 0..3 bytes left over become one last word: those bytes, then 0x80,
 * then zeros (little-endian). One more mix with w = 0 ends it; the result
 * is hi << 32 | lo.
 */
#include "log/marvin.h"

#include "base/span.h"

static inline uint32_t rotl32(uint32_t x, unsigned n)
{
    return x << n | x >> (32u - n);
}

static inline void mix(uint32_t *lo, uint32_t *hi, uint32_t w)
{
    *lo += w;
    *hi ^= *lo;
    *lo = rotl32(*lo, 20) + *hi;
    *hi = rotl32(*hi, 9) ^ *lo;
    *lo = rotl32(*lo, 27) + *hi;
    *hi = rotl32(*hi, 19);
}

uint64_t marvin32(uint64_t seed, const uint8_t *p, size_t n)
{
    uint32_t lo = (uint32_t)seed, hi = (uint32_t)(seed >> 32);
    size_t i = 0;
    for (; n - i >= 4; i += 4)
        mix(&lo, &hi, le32_unchecked(p + i));
    uint32_t last = 0x80;
    for (size_t k = n - i; k-- > 0;)
        last = last << 8 | p[i + k];
    mix(&lo, &hi, last);
    mix(&lo, &hi, 0);
    return (uint64_t)hi << 32 | lo;
}
