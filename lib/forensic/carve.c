/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Carving hives out of raw images (forensic layer): the entry point behind
 * hk_carve_file / hk_carve_memory, and what the scans share: handing finds
 * to the caller, remembering them for reassembly, progress. */
#include <string.h>

#include "base/alloc.h"
#include "forensic/carve.h"
#include "forensic/forensic.h"
#include "forensic/lznt1.h"

enum {
    SCAN_WINDOW = 8u * 1024 * 1024,  /* the sequential pass reads this much at once */
    PROBE_WINDOW = 1u * 1024 * 1024, /* checks of a candidate */
    PROGRESS_STEP = 64u * 1024 * 1024,
    PIECES_MAX = 1u << 16,           /* finds kept for reassembly */
};

void carve_remember(struct piece_list *l, const struct carve_piece *p)
{
    if (l->n == l->cap) {
        if (l->cap >= PIECES_MAX)
            return;
        size_t ncap = l->cap ? l->cap * 2 : 64;
        struct carve_piece *nv = hk_realloc(l->v, ncap * sizeof *nv);
        if (!nv)
            return; /* reassembly is best effort: a find it cannot keep is left out */
        l->v = nv;
        l->cap = ncap;
    }
    l->v[l->n++] = *p;
}

hk_status carve_emit(struct carver *c, hk_carve_record *rec)
{
    if (c->stop)
        return HK_ERROR_SUCCESS; /* the callback asked to stop: it hears no more */
    uint8_t *copy = NULL;
    if ((c->flags & HK_CARVE_DATA) && !rec->data && rec->size && !rec->compressed) {
        /* A find's size is bounded by the scans (a hive by CARVE_HIVE_MAX, a
         * memory run likewise) plus at most one bin past the image's end. */
        copy = hk_alloc((size_t)rec->size);
        if (!copy)
            return diag_set(c->src.diag, HK_ERROR_NOT_ENOUGH_MEMORY,
                            "no memory for the %llu bytes found at offset %llu",
                            (unsigned long long)rec->size, (unsigned long long)rec->offset);
        if (!view_copy(&c->probe, rec->offset, copy, (size_t)rec->size)) {
            hk_dealloc(copy);
            return c->src.err;
        }
        rec->data = copy;
    }
    if (!(c->flags & HK_CARVE_DATA) && rec->type != HK_CARVE_REASSEMBLED)
        rec->data = NULL;
    if (c->fn(rec, c->ctx) != 0)
        c->stop = true;
    hk_dealloc(copy);
    return HK_ERROR_SUCCESS;
}

uint64_t carve_bin_run(struct carver *c, uint64_t pos, uint32_t expect)
{
    uint64_t size = 0;
    while (size < CARVE_HIVE_MAX) {
        size_t avail;
        struct bin_head h;
        uint32_t cut;
        const uint8_t *p = view_at(&c->probe, pos + size, HBIN_ALIGN, &avail);
        if (!carve_bin_head(p, avail, CARVE_SECTOR, expect, &h))
            break;
        if (!carve_cells(&c->probe, pos + size, h.size, false, &cut))
            return size + cut;
        size += h.size;
        expect += h.size;
    }
    return size;
}

void carve_progress(struct carver *c, uint64_t pos)
{
    if (c->progress && pos >= c->next_progress) {
        c->progress(pos, c->src.size, c->ctx);
        c->next_progress = pos + PROGRESS_STEP;
    }
}

static void carver_free(struct carver *c)
{
    view_free(&c->scan);
    view_free(&c->probe);
    hk_dealloc(c->truncated.v);
    hk_dealloc(c->fragments.v);
    hk_dealloc(c->units.v);
    hk_dealloc(c->unit_in);
    hk_dealloc(c->unit_out);
}

hk_status carve_image(const uint8_t *mem, const struct file_reader *file, uint64_t size,
                      const hk_carve_options *opts, hk_carve_fn fn, void *ctx, struct diag *d)
{
    struct carver c;
    memset(&c, 0, sizeof c);
    c.src.mem = mem;
    c.src.file = file;
    c.src.size = size;
    c.src.diag = d;
    c.flags = opts ? opts->flags : 0;
    c.progress = opts ? opts->progress : NULL;
    c.fn = fn;
    c.ctx = ctx;
    hk_status st = view_init(&c.scan, &c.src, SCAN_WINDOW);
    if (st == HK_ERROR_SUCCESS)
        st = view_init(&c.probe, &c.src, PROBE_WINDOW);
    if (st == HK_ERROR_SUCCESS && !(c.flags & HK_CARVE_MEMORY)) {
        c.unit_in = hk_alloc(NTFS_UNIT);
        c.unit_out = hk_alloc(NTFS_UNIT);
        if (!c.unit_in || !c.unit_out)
            st = diag_set(d, HK_ERROR_NOT_ENOUGH_MEMORY, "no memory for NTFS units");
    }
    if (st == HK_ERROR_SUCCESS)
        st = (c.flags & HK_CARVE_MEMORY) ? carve_memory_scan(&c) : carve_disk(&c);
    if (st == HK_ERROR_SUCCESS && c.src.err == HK_ERROR_SUCCESS && c.progress && !c.stop)
        c.progress(size, size, ctx);
    if (st == HK_ERROR_SUCCESS && c.src.err == HK_ERROR_SUCCESS && !c.stop &&
        (c.flags & HK_CARVE_REASSEMBLE) && !(c.flags & HK_CARVE_MEMORY))
        st = carve_reassemble(&c);
    if (st == HK_ERROR_SUCCESS)
        st = c.src.err;
    if (st == HK_ERROR_SUCCESS && c.stop)
        st = HK_ERROR_CANCELLED;
    carver_free(&c);
    return st;
}
