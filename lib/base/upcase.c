/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Windows' registry upcase of one UTF-16 code unit: a two-level lookup in the
 * delta table that tools/gen_upcase.py generates (see upcase_table.h). */
#include "base/upcase.h"

#include "base/upcase_table.h"

uint16_t upcase_unit_table(uint16_t u)
{
    const uint16_t *block = upcase_delta[upcase_index[u >> UPCASE_BLOCK_SHIFT]];

    /* The delta is stored mod 2^16, so the sum wraps back into range. */
    return (uint16_t)(u + block[u & UPCASE_BLOCK_MASK]);
}
