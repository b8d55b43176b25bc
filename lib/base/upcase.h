/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Windows' registry upcase of one UTF-16 code unit: the 1:1 table that drives
 * case-insensitive name comparison, subkey list order and the lh hash. */
#ifndef HK_BASE_UPCASE_H
#define HK_BASE_UPCASE_H

#include <stdint.h>

/* Uppercase of one UTF-16 unit as Windows' registry computes it: simple
 * (one unit to one unit) mappings only, no locale; surrogates and units
 * without a single-unit uppercase map to themselves. Idempotent. */
uint16_t upcase_unit(uint16_t u);

#endif /* HK_BASE_UPCASE_H */
