/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The table of all cells (forensic layer). The bins were checked at open
 * (signature, self offset, size), so only the cells are checked here, by
 * the hive layer's cell walk (hive/binwalk.h). Runs a salvage open skipped
 * hold no cells. */
#include "forensic/cells.h"

#include "base/alloc.h"
#include "hive/binwalk.h"
#include "record/nk.h"
#include "record/vk.h"

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
        struct cell_iter it;
        struct cell_at c;
        enum cell_step step;
        cell_iter_init(&it, bins, bin, size);
        while ((step = cell_iter_next(&it, &c)) == CELL_STEP_OK) {
            if (push(t, &cap, c.off, c.size, c.alloc) != HK_ERROR_SUCCESS) {
                cells_free(t);
                return HK_ERROR_NOT_ENOUGH_MEMORY;
            }
        }
        if (step == CELL_STEP_BAD && fault) {
            char msg[128];
            cell_fault_text(&it, msg, sizeof msg);
            fault(ctx, it.off, msg);
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

static uint32_t used_by_signature(const uint8_t *b, uint32_t len)
{
    if (len < 4)
        return CELL_USED_UNKNOWN;
    uint32_t count = le16_unchecked(b + LIST_COUNT);
    if (sig_at(b, NK_SIG) && len >= NK_NAME)
        return NK_NAME + le16_unchecked(b + NK_NAME_LEN);
    if (sig_at(b, VK_SIG) && len >= VK_NAME)
        return VK_NAME + le16_unchecked(b + VK_NAME_LEN);
    if (sig_at(b, SK_SIG) && len >= SK_DESCRIPTOR) {
        /* no wrap on a huge length */
        uint64_t used = (uint64_t)SK_DESCRIPTOR + le32_unchecked(b + SK_SIZE);
        return used > len ? len : (uint32_t)used;
    }
    if (sig_at(b, LF_SIG) || sig_at(b, LH_SIG))
        return LIST_ENTRIES + 8 * count;
    if (sig_at(b, LI_SIG) || sig_at(b, RI_SIG))
        return LIST_ENTRIES + 4 * count;
    if (sig_at(b, DB_SIG))
        return DB_HEADER;
    return CELL_USED_UNKNOWN;
}

struct cell_rec *cells_alloc_at(const struct cell_table *t, uint32_t off)
{
    struct cell_rec *c = (struct cell_rec *)cells_find(t, off);
    return c && c->alloc && c->off == off ? c : NULL;
}

static void set_used(struct cell_table *t, uint32_t off, uint64_t used)
{
    struct cell_rec *c = cells_alloc_at(t, off);
    if (c && used <= c->size - 4)
        c->used = (uint32_t)used;
}

void cells_measure(struct hive_image *img, struct cell_table *t)
{
    for (size_t i = 0; i < t->n; i++) {
        struct cell_rec *c = &t->v[i];
        if (c->alloc) {
            uint32_t u = used_by_signature(cells_bytes(img, c->off + 4), c->size - 4);
            c->used = u != CELL_USED_UNKNOWN && u <= c->size - 4 ? u : CELL_USED_UNKNOWN;
        }
    }
    /* What live records reference, they measure: value lists, class names,
     * value data. */
    for (size_t i = 0; i < t->n; i++) {
        const struct cell_rec *c = &t->v[i];
        struct span b = {cells_bytes(img, c->off + 4), c->size - 4};
        if (!c->alloc || b.len < 2)
            continue;
        struct nk nk;
        struct vk vk;
        if (sig_at(b.ptr, NK_SIG) && nk_decode(NULL, c->off, b, &nk) == 0) {
            if (nk.value_count)
                set_used(t, nk.values, 4ull * nk.value_count);
            if (nk.class_len && nk.class_off != CELL_NIL)
                set_used(t, nk.class_off, nk.class_len);
        } else if (sig_at(b.ptr, VK_SIG) && vk_decode(NULL, c->off, b, &vk) == 0) {
            uint32_t len = vk.size_raw & ~VK_DATA_INLINE;
            const struct cell_rec *d = cells_alloc_at(t, vk.data_off);
            if (!(vk.size_raw & VK_DATA_INLINE) && len && d && len <= d->size - 4)
                set_used(t, vk.data_off, len);
        }
    }
}
