/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reassembling fragmented hives (forensic layer). A primary file stored in
 * several runs of clusters is carved as a truncated hive and fragments. The
 * truncated hive's last bin ends at some bin offset: the fragment to follow
 * is one whose first bin has that offset. When the hive was cut inside its
 * last bin, the rest of that bin (the "margin") lies right before the
 * fragment's first bin on disk, so the fragment is taken together with the
 * margin before it. Pieces are added until the declared bins size is
 * reached, completing choices first, then larger fragments first, with a
 * bounded search; the result must open as a hive whose bins run on and
 * whose cells tile every bin (across the joins) with a key node at its root. */
#include <string.h>

#include "base/alloc.h"
#include "base/span.h"
#include "forensic/carve.h"
#include "hive/image.h"

enum {
    DEPTH_MAX = 150,     /* fragments joined to one hive (yarp's bound) */
    TRIES_MAX = 256,     /* pieces tried for one hive */
    CANDIDATES_MAX = 16, /* fragments tried at one join */
};

struct join {
    struct carver *c;
    const struct carve_piece *hive;
    uint8_t *buf;
    size_t len, cap;
    bool *used;
    uint64_t pieces[DEPTH_MAX + 1];
    uint32_t n_pieces;
    unsigned tries;
    hk_status err;
};

static bool append(struct join *j, uint64_t off, uint64_t n)
{
    if (j->cap - j->len < n) {
        size_t ncap = j->cap ? j->cap : 65536;
        while (ncap - j->len < n)
            ncap *= 2;
        uint8_t *nb = hk_realloc(j->buf, ncap);
        if (!nb) {
            j->err = HK_ERROR_NOT_ENOUGH_MEMORY;
            return false;
        }
        j->buf = nb;
        j->cap = ncap;
    }
    if (!view_copy(&j->c->probe, off, j->buf + j->len, (size_t)n)) {
        j->err = j->c->src.err;
        return false;
    }
    j->len += (size_t)n;
    return true;
}

/* Whether the bytes so far open as a hive with every bin tiled. */
static bool valid(struct join *j)
{
    struct file_buf fb = {.data = hk_alloc(j->len), .size = j->len};
    if (!fb.data) {
        j->err = HK_ERROR_NOT_ENOUGH_MEMORY;
        return false;
    }
    memcpy(fb.data, j->buf, j->len);
    struct hive_image img;
    diag_mute(true); /* a candidate that is no hive is no failure of the carve */
    bool ok = image_open(&img, &fb) == HK_ERROR_SUCCESS && image_all_walked(&img);
    struct span root;
    ok = ok && cell_get_sig(&img, img.bb.root, NK_SIG, &root) == HK_ERROR_SUCCESS;
    diag_mute(false);
    image_free(&img);
    return ok;
}

/* The end (bin offset) of the last bin whose header lies in the bytes. */
static bool last_bin_end(const struct join *j, uint64_t *end)
{
    uint64_t rel = 0;
    bool any = false;
    while (BASE_BLOCK_SIZE + rel < j->len) {
        struct bin_head h;
        const uint8_t *p = j->buf + BASE_BLOCK_SIZE + rel;
        if (!carve_bin_head(p, j->len - BASE_BLOCK_SIZE - (size_t)rel, 32, (uint32_t)rel, &h))
            break;
        rel += h.size;
        any = true;
    }
    *end = rel;
    return any;
}

static bool too_large(const struct join *j, uint64_t len)
{
    uint64_t expected = BASE_BLOCK_SIZE + (uint64_t)j->hive->hbins_data_size;
    return len > 1024 * 1024 && len > 2 * expected;
}

static bool extend(struct join *j, unsigned depth);

/* Joins fragment k (with the margin before it) and goes on from there. */
static bool try_piece(struct join *j, unsigned depth, size_t k, uint64_t margin)
{
    const struct carve_piece *f = &j->c->fragments.v[k];
    size_t before = j->len;
    j->tries++;
    if (too_large(j, before + f->size + margin) || !append(j, f->offset - margin, f->size + margin))
        return false;
    j->used[k] = true;
    j->pieces[depth + 1] = f->offset;
    if (extend(j, depth + 1)) {
        return true;
    }
    j->used[k] = false;
    j->len = before;
    return false;
}

static bool extend(struct join *j, unsigned depth)
{
    uint64_t have = j->len - BASE_BLOCK_SIZE, end;
    if (have >= j->hive->hbins_data_size) {
        j->n_pieces = depth + 1;
        return valid(j);
    }
    if (depth >= DEPTH_MAX || j->tries >= TRIES_MAX || j->err || !last_bin_end(j, &end))
        return false;
    uint64_t margin = end > have ? end - have : 0, need = j->hive->hbins_data_size - have;
    const struct piece_list *fl = &j->c->fragments;
    /* First the fragments that complete the hive, in image order. */
    unsigned tried = 0;
    for (size_t k = 0; k < fl->n && tried < CANDIDATES_MAX; k++) {
        const struct carve_piece *f = &fl->v[k];
        if (j->used[k] || f->hbin_start != end || f->offset < margin || f->size + margin < need)
            continue;
        tried++;
        if (try_piece(j, depth, k, margin))
            return true;
        if (j->err)
            return false;
    }
    /* Then the others, larger first. */
    uint64_t below = UINT64_MAX;
    while (tried < CANDIDATES_MAX) {
        size_t best = fl->n;
        for (size_t k = 0; k < fl->n; k++) {
            const struct carve_piece *f = &fl->v[k];
            if (j->used[k] || f->hbin_start != end || f->offset < margin ||
                f->size + margin >= need || f->size >= below)
                continue;
            if (best == fl->n || f->size > fl->v[best].size)
                best = k;
        }
        if (best == fl->n)
            break;
        below = fl->v[best].size;
        tried++;
        if (try_piece(j, depth, best, margin))
            return true;
        if (j->err)
            return false;
    }
    return false;
}

static hk_status join_hive(struct carver *c, struct join *j, const struct carve_piece *hive)
{
    j->hive = hive;
    j->len = 0;
    j->tries = 0;
    j->n_pieces = 0;
    j->pieces[0] = hive->offset;
    if (hive->size < BASE_BLOCK_SIZE + HBIN_ALIGN || !append(j, hive->offset, hive->size))
        return j->err;
    if (!extend(j, 0) || j->n_pieces < 2)
        return j->err;
    hk_carve_record rec = {.type = HK_CARVE_REASSEMBLED, .offset = hive->offset, .size = j->len,
                           .hbins_data_size = hive->hbins_data_size, .data = j->buf,
                           .pieces = j->pieces, .n_pieces = j->n_pieces};
    return carve_emit(c, &rec);
}

hk_status carve_reassemble(struct carver *c)
{
    if (c->truncated.n == 0 || c->fragments.n == 0)
        return HK_ERROR_SUCCESS;
    struct join j;
    memset(&j, 0, sizeof j);
    j.c = c;
    j.used = hk_alloc_zero(c->fragments.n, sizeof *j.used);
    if (!j.used)
        return diag_set(c->src.diag, HK_ERROR_NOT_ENOUGH_MEMORY, "no memory to reassemble");
    hk_status st = HK_ERROR_SUCCESS;
    for (size_t i = 0; i < c->truncated.n && st == HK_ERROR_SUCCESS && !c->stop; i++) {
        st = join_hive(c, &j, &c->truncated.v[i]);
        if (st == HK_ERROR_NOT_ENOUGH_MEMORY)
            st = diag_set(c->src.diag, st, "no memory to reassemble the hive at offset %llu",
                          (unsigned long long)c->truncated.v[i].offset);
    }
    hk_dealloc(j.buf);
    hk_dealloc(j.used);
    return st;
}
