/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Windows on the image being carved: a file of any size is read a bounded
 * window at a time (never mapped whole), an image in memory is pointed into. */
#include <string.h>

#include "base/alloc.h"
#include "forensic/carve.h"

hk_status view_init(struct carve_view *v, struct carve_src *src, size_t cap)
{
    memset(v, 0, sizeof *v);
    v->src = src;
    v->cap = cap;
    if (src->mem)
        return HK_ERROR_SUCCESS;
    v->buf = hk_alloc(cap);
    if (!v->buf)
        return diag_set(src->diag, HK_ERROR_NOT_ENOUGH_MEMORY, "no memory for a %zu-byte window",
                        cap);
    return HK_ERROR_SUCCESS;
}

void view_free(struct carve_view *v)
{
    hk_dealloc(v->buf);
    v->buf = NULL;
}

const uint8_t *view_at(struct carve_view *v, uint64_t off, size_t want, size_t *avail)
{
    struct carve_src *s = v->src;
    *avail = 0;
    if (off >= s->size || s->err != HK_ERROR_SUCCESS)
        return NULL;
    uint64_t left = s->size - off;
    if (want > v->cap)
        want = v->cap;
    if (want > left)
        want = (size_t)left;
    if (s->mem) {
        *avail = want;
        return s->mem + off;
    }
    if (off < v->off || off - v->off + want > v->len) {
        /* Refill from off; a window never straddles what it cannot hold. */
        size_t got = 0;
        v->off = off;
        v->len = 0;
        s->err = file_reader_pread(s->file, off, v->buf, v->cap, &got, s->diag);
        if (s->err != HK_ERROR_SUCCESS)
            return NULL;
        v->len = got;
        if (want > got)
            want = got;
    }
    *avail = want;
    return v->buf + (size_t)(off - v->off);
}

bool view_copy(struct carve_view *v, uint64_t off, uint8_t *dst, size_t len)
{
    while (len) {
        size_t avail;
        const uint8_t *p = view_at(v, off, len, &avail);
        if (!p) {
            if (v->src->err != HK_ERROR_SUCCESS)
                return false;
            memset(dst, 0, len);
            return true;
        }
        memcpy(dst, p, avail);
        dst += avail;
        off += avail;
        len -= avail;
    }
    return true;
}
