/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The table of all cells (forensic layer). The bins were checked at open
 * (signature, self offset, size), so only the cells are checked here: each
 * size a multiple of 8 of at least 8 that stays inside its bin. Runs a
 * salvage open skipped hold no cells. */
#include "forensic/cells.h"

#include <stdio.h>

#include "base/alloc.h"

enum { HBIN_HEADER = 32 };

static hk_status push(struct cell_table *t, size_t *cap, uint32_t off, uint32_t size, bool alloc)
{
    if (t->n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 1024;
        struct cell_rec *v = hk_realloc(t->v, ncap * sizeof *v);
        if (!v)
            return HK_ERROR_NOT_ENOUGH_MEMORY;
        t->v = v;
        *cap = ncap;
    }
    t->v[t->n++] = (struct cell_rec){off, size, CELL_USED_UNKNOWN, alloc, false};
    return HK_ERROR_SUCCESS;
}

hk_status cells_build(const struct hive_image *img, struct cell_table *t, cells_fault_fn fault,
                      void *ctx)
{
    t->v = NULL;
    t->n = 0;
    size_t cap = 0;
    const uint8_t *bins = img->file.data + HBIN_START;
    for (uint32_t bin = 0; bin < img->bins_size;) {
        uint32_t size = image_bin_size(img, bin);
        uint32_t end = bin + size;
        if (image_is_gap(img, bin)) { /* skipped by a salvage open: no cells */
            bin = end;
            continue;
        }
        for (uint32_t off = bin + HBIN_HEADER; off < end;) {
            int32_t raw = (int32_t)le32_unchecked(bins + off);
            uint32_t len = raw < 0 ? (uint32_t)0 - (uint32_t)raw : (uint32_t)raw;
            char msg[128];
            if (len < 8 || len % 8 != 0 || len > end - off) {
                if (len < 8 || len % 8 != 0)
                    snprintf(msg, sizeof msg, "cell size %d is not a multiple of 8 of at least 8",
                             raw);
                else
                    snprintf(msg, sizeof msg,
                             "cell of %u bytes crosses the end of its hive bin at 0x%x", len, end);
                if (fault)
                    fault(ctx, off, msg);
                break;
            }
            if (push(t, &cap, off, len, raw < 0) != HK_ERROR_SUCCESS) {
                cells_free(t);
                return HK_ERROR_NOT_ENOUGH_MEMORY;
            }
            off += len;
        }
        bin = end;
    }
    return HK_ERROR_SUCCESS;
}

void cells_free(struct cell_table *t)
{
    hk_dealloc(t->v);
    t->v = NULL;
    t->n = 0;
}

const struct cell_rec *cells_find(const struct cell_table *t, uint32_t off)
{
    size_t lo = 0, hi = t->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->v[mid].off <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return NULL;
    const struct cell_rec *c = &t->v[lo - 1];
    return off - c->off < c->size ? c : NULL;
}
