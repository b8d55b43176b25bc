/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The memory-image scan (forensic layer): in memory a hive is a set of bins
 * wherever the pool put them, so "hbin" is looked for at every byte. A bin
 * whose cells tile starts a fragment that runs on over the bins following it
 * (their offset fields continuing); a bin whose cells break early is still a
 * fragment when at least one cell came before the break. */
#include <string.h>

#include "forensic/carve.h"

/* The first "hbin" in p[0..n), or n. */
static size_t find_hbin(const uint8_t *p, size_t n)
{
    size_t i = 0;
    while (n - i >= 4) {
        const uint8_t *h = memchr(p + i, 'h', n - i - 3);
        if (!h)
            break;
        i = (size_t)(h - p);
        if (memcmp(h, HBIN_SIG, FILE_SIG_LEN) == 0)
            return i;
        i++;
    }
    return n;
}

/* Checks bins at pos; *advance is where the scan goes on (relative). */
static hk_status bins_at(struct carver *c, uint64_t pos, uint64_t *advance)
{
    size_t avail;
    struct bin_head h;
    uint32_t cut;
    const uint8_t *p = view_at(&c->probe, pos, HBIN_ALIGN, &avail);
    *advance = 1;
    if (!carve_bin_head(p, avail, CARVE_SECTOR, CARVE_ANY_OFFSET, &h))
        return c->src.err;
    uint64_t left = c->src.size - pos;
    if (!carve_cells(&c->probe, pos, h.size, false, &cut)) {
        uint64_t size = cut < left ? cut : left;
        if (size <= 32) /* the header alone: nothing of the hive */
            return c->src.err;
        hk_carve_record rec = {.type = HK_CARVE_FRAGMENT, .offset = pos, .size = size,
                               .hbin_start = h.offset};
        *advance = 32; /* the break's exact place within its cell is unknown */
        return carve_emit(c, &rec);
    }
    uint32_t start = h.offset;
    uint64_t size = carve_bin_run(c, pos, start);
    if (c->src.err != HK_ERROR_SUCCESS)
        return c->src.err;
    if (size > left) /* a last bin whose cells tiled up to the image's end */
        size = left;
    hk_carve_record rec = {.type = HK_CARVE_FRAGMENT, .offset = pos, .size = size,
                           .hbin_start = start};
    *advance = size;
    return carve_emit(c, &rec);
}

hk_status carve_memory_scan(struct carver *c)
{
    uint64_t pos = 0;
    while (!c->stop && pos < c->src.size) {
        carve_progress(c, pos);
        size_t avail;
        const uint8_t *p = view_at(&c->scan, pos, c->scan.cap, &avail);
        if (!p || avail < 4)
            break;
        size_t i = find_hbin(p, avail);
        if (i == avail) {
            pos += avail - 3; /* a signature may straddle the window's end */
            continue;
        }
        uint64_t advance;
        hk_status st = bins_at(c, pos + i, &advance);
        if (st != HK_ERROR_SUCCESS)
            return st;
        pos += i + advance;
    }
    return c->src.err;
}
