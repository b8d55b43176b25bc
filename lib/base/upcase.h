/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Windows' registry upcase of one UTF-16 code unit: the 1:1 table that drives
 * case-insensitive name comparison, subkey list order and the lh hash. */
#ifndef HK_BASE_UPCASE_H
#define HK_BASE_UPCASE_H

#include <stdint.h>

/* Uppercase of one UTF-16 unit as Windows' registry computes it: simple
 * (one unit to one unit) mappings only, no locale; surrogates and units
 * without a single-unit uppercase map to themselves. Idempotent. */
/* Table lookup for any unit. */
uint16_t upcase_unit_table(uint16_t u);

/* Windows' upcase of one UTF-16 unit; ASCII without the table (hot path). */
static inline uint16_t upcase_unit(uint16_t u)
{
    if (u < 0x80)
        return (uint16_t)(u >= 'a' && u <= 'z' ? u - 0x20 : u);
    return upcase_unit_table(u);
}

#endif /* HK_BASE_UPCASE_H */
