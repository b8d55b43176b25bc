/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Hives in NTFS-compressed files (forensic layer). A compressed file is
 * stored in units of 16 clusters (64 KiB with 4 KiB clusters): a unit that
 * shrinks is kept as LZNT1 chunks in fewer clusters, one that does not is
 * stored raw. On disk the clusters a unit saved are either left as slack
 * (the next unit starts 64 KiB on) or not (it starts right after the
 * compressed clusters); both layouts are tried and the longer hive wins.
 * The base block and bins are then checked as for a plain hive. */
#include <string.h>

#include "base/alloc.h"
#include "forensic/carve.h"
#include "forensic/lznt1.h"

enum { UNITS_MAX = 1u << 20 };

/* ---- units already carved as part of a hive (not fragments again) ---- */

static size_t unit_find(const struct unit_set *s, uint64_t off)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->v[mid] < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void unit_add(struct unit_set *s, uint64_t off)
{
    size_t at = unit_find(s, off);
    if (at < s->n && s->v[at] == off)
        return;
    if (s->n == s->cap) {
        if (s->cap >= UNITS_MAX)
            return;
        size_t ncap = s->cap ? s->cap * 2 : 256;
        uint64_t *nv = hk_realloc(s->v, ncap * sizeof *nv);
        if (!nv)
            return;
        s->v = nv;
        s->cap = ncap;
    }
    memmove(s->v + at + 1, s->v + at, (s->n - at) * sizeof *s->v);
    s->v[at] = off;
    s->n++;
}

static bool unit_known(const struct unit_set *s, uint64_t off)
{
    size_t at = unit_find(s, off);
    return at < s->n && s->v[at] == off;
}

/* ---- decompression of one unit ---------------------------------------- */

/* Reads up to a unit at off into c->unit_in; returns the bytes there. */
static size_t read_unit(struct carver *c, uint64_t off)
{
    if (off >= c->src.size)
        return 0;
    uint64_t left = c->src.size - off;
    size_t n = left < NTFS_UNIT ? (size_t)left : NTFS_UNIT;
    return view_copy(&c->probe, off, c->unit_in, n) ? n : 0;
}

/* Decompresses raw[0..n) into c->unit_out: the bytes written, 0 for input
 * that cannot be a unit (under a cluster) or data that overflows one. */
static size_t decompress(struct carver *c, size_t n)
{
    if (n < NTFS_CLUSTER || n > NTFS_UNIT)
        return 0;
    bool overflow;
    size_t len = lznt1_decompress(c->unit_in, n, c->unit_out, NTFS_UNIT, &overflow);
    return overflow ? 0 : len;
}

/* As decompress; tight (no slack) takes the shortest run of whole clusters
 * that gives a full unit, *used set to the clusters' bytes. */
static size_t decompress_unit(struct carver *c, size_t n, bool tight, size_t *used)
{
    *used = NTFS_UNIT;
    if (tight) {
        for (size_t k = NTFS_CLUSTER; k < NTFS_UNIT && k <= n; k += NTFS_CLUSTER) {
            if (decompress(c, k) == NTFS_UNIT) {
                *used = k;
                return NTFS_UNIT;
            }
        }
    }
    return decompress(c, n);
}

/* ---- a compressed hive ------------------------------------------------- */

struct grow {
    uint8_t *p;
    size_t len, cap;
    bool failed;
};

static void grow_add(struct grow *g, const uint8_t *p, size_t n)
{
    if (g->failed)
        return;
    if (g->cap - g->len < n) {
        size_t ncap = g->cap ? g->cap * 2 : 4 * NTFS_UNIT;
        while (ncap - g->len < n)
            ncap *= 2;
        uint8_t *np = hk_realloc(g->p, ncap);
        if (!np) {
            g->failed = true;
            return;
        }
        g->p = np;
        g->cap = ncap;
    }
    memcpy(g->p + g->len, p, n);
    g->len += n;
}

/* Follows the units of a compressed hive at pos in one layout; returns the
 * decompressed bytes found (0: no hive in this layout). With out, keeps
 * them; with keep, records its units in c->units. */
static uint64_t follow(struct carver *c, uint64_t pos, bool tight, struct grow *out, bool keep,
                       uint32_t *bins)
{
    size_t used, len = decompress_unit(c, read_unit(c, pos), tight, &used);
    bool old_cells;
    if (len != NTFS_UNIT || !carve_base_block(c->unit_out, len, bins, &old_cells))
        return 0;
    uint64_t total = NTFS_UNIT, want = BASE_BLOCK_SIZE + (uint64_t)*bins, rel = used;
    if (out)
        grow_add(out, c->unit_out, NTFS_UNIT);
    while (total < want) {
        size_t n = read_unit(c, pos + rel);
        if (n != NTFS_UNIT)
            break; /* a unit cut by the end of the image */
        if (keep)
            unit_add(&c->units, pos + rel);
        len = decompress_unit(c, n, tight, &used);
        const uint8_t *take = c->unit_out;
        bool last = false;
        if (len == NTFS_UNIT) {
        } else if (len > 0 && carve_plausible(c->unit_out, len, true)) {
            last = true; /* the end of the file, or bogus data after it */
        } else if (carve_plausible(c->unit_in, NTFS_UNIT, false)) {
            take = c->unit_in; /* a unit stored raw */
            len = NTFS_UNIT;
        } else {
            break;
        }
        if (out)
            grow_add(out, take, len);
        total += len;
        rel += used;
        if (last)
            break;
    }
    return total;
}

static hk_status compressed_hive(struct carver *c, uint64_t pos)
{
    uint32_t bins = 0;
    uint64_t slack = follow(c, pos, false, NULL, false, &bins);
    uint64_t tight = follow(c, pos, true, NULL, false, &bins);
    if (c->src.err != HK_ERROR_SUCCESS || (!slack && !tight))
        return c->src.err;
    bool use_tight = tight > slack;
    struct grow g = {NULL, 0, 0, false};
    bool data = (c->flags & HK_CARVE_DATA) != 0;
    uint64_t total = follow(c, pos, use_tight, data ? &g : NULL, true, &bins);
    if (g.failed) {
        hk_dealloc(g.p);
        return diag_set(c->src.diag, HK_ERROR_NOT_ENOUGH_MEMORY,
                        "no memory for the compressed hive at offset %llu",
                        (unsigned long long)pos);
    }
    uint64_t want = BASE_BLOCK_SIZE + (uint64_t)bins;
    hk_carve_record rec = {.type = HK_CARVE_HIVE, .compressed = 1, .offset = pos,
                           .size = total < want ? total : want, .hbins_data_size = bins,
                           .truncated = total < want, .data = g.p};
    hk_status st = carve_emit(c, &rec);
    hk_dealloc(g.p);
    return st;
}

/* A unit at pos that decompresses to whole bins and starts with one. */
static hk_status compressed_fragment(struct carver *c, uint64_t pos)
{
    if (unit_known(&c->units, pos))
        return HK_ERROR_SUCCESS;
    size_t len = decompress(c, read_unit(c, pos));
    struct bin_head h;
    if (len < HBIN_ALIGN || len % HBIN_ALIGN != 0 ||
        !carve_bin_head(c->unit_out, len, HBIN_ALIGN, CARVE_ANY_OFFSET, &h))
        return c->src.err;
    hk_carve_record rec = {.type = HK_CARVE_FRAGMENT, .compressed = 1, .offset = pos,
                           .size = len, .hbin_start = h.offset, .data = c->unit_out};
    return carve_emit(c, &rec);
}

hk_status carve_ntfs_at(struct carver *c, uint64_t pos, const uint8_t *head, size_t avail)
{
    if (lznt1_starts_with(head, avail, REGF_SIG))
        return compressed_hive(c, pos);
    return compressed_fragment(c, pos);
}
