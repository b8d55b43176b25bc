/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Bin header checks and the words for tiling faults (hive layer). */
#include "hive/binwalk.h"

#include <stdio.h>

void bin_fault_text(enum bin_fault fault, const struct bin_header *h, uint32_t bins_size,
                    char *why, size_t why_size)
{
    switch (fault) {
    case BIN_BAD_SELF:
        snprintf(why, why_size, "hive bin records its offset as 0x%x", h->self);
        break;
    case BIN_BAD_SIZE:
        snprintf(why, why_size, "hive bin size 0x%x is not a positive multiple of 4096", h->size);
        break;
    case BIN_PAST_END:
        snprintf(why, why_size, "hive bin of 0x%x bytes runs past the hive bins size 0x%x",
                 h->size, bins_size);
        break;
    case BIN_OK:
    case BIN_END:
    case BIN_NO_SIG:
    default:
        snprintf(why, why_size, "hive bin signature \"hbin\" missing");
        break;
    }
}

void cell_fault_text(const struct cell_iter *it, char *why, size_t why_size)
{
    int32_t raw = (int32_t)le32_unchecked(it->bins + it->off);
    uint32_t len = raw < 0 ? (uint32_t)0 - (uint32_t)raw : (uint32_t)raw;
    if (len < CELL_ALIGN || len % CELL_ALIGN != 0)
        snprintf(why, why_size, "cell size %d is not a multiple of 8 of at least 8", raw);
    else
        snprintf(why, why_size, "cell of %u bytes crosses the end of its hive bin at 0x%x", len,
                 it->end);
}
