/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Deleted keys and values: key nodes and value records still sitting in
 * space no live record uses (forensic layer).
 *
 * Deleting a key or value only makes its cells' sizes positive, and Windows
 * merges neighbouring free cells by rewriting the first header, so one free
 * cell can hold several dead records, each behind its old (positive) size.
 * Records also survive
 *   - in slack: the tail of an allocated cell beyond the bytes its record
 *     uses (the tail of a live key's value list keeps the offsets of its
 *     deleted values);
 *   - in allocated cells that no path from the root reaches: free space
 *     allocated again around old records ("healed"), or keys cut off from
 *     the tree by a damaged bin (orphans, still intact records);
 *   - in remnant data: the bytes after the last hive bin, old bins of a
 *     file that was larger once. Offsets there continue those of the bins.
 *
 * The scan
 *   1. tables every cell; measures what allocated cells use (from their
 *      signature, or from the live record that references them); marks
 *      the allocated cells the root does not reach;
 *   2. looks at every 8-aligned position of free cells, slack, unreached
 *      cells and remnant data for an "nk" or "vk" record behind a
 *      plausible old cell size;
 *   3. folds records found byte for byte twice into the first;
 *   4. gives each value a key: a deleted key whose value list (in free
 *      space) names it, else a live key whose list tail names it;
 *   5. reports keys and values in offset order, with paths built from the
 *      parent links (live or deleted parents, as far as they lead) and data
 *      taken only from space no live record uses that is large enough.
 */
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "forensic/cells.h"
#include "forensic/forensic.h"
#include "record/name.h"
#include "record/nk.h"
#include "record/vk.h"

enum {
    MAX_KEY_NAME_BYTES = 2 * HK_MAX_KEY_NAME, MAX_VALUE_NAME_BYTES = 2 * HK_MAX_VALUE_NAME,
    MAX_PLAUSIBLE_COUNT = 0x100000,
};

struct cand {
    uint32_t off;
    uint32_t end;    /* end of the free space the record sits in */
    uint8_t kind;    /* HK_DELETED_KEY / HK_DELETED_VALUE */
    uint8_t where;   /* HK_DELETED_IN_* */
    bool orphan;     /* an allocated record at its cell's start, no path reaches it */
    uint32_t owner;  /* values: the key node that lists it, CELL_NIL unknown */
    uint32_t copies; /* identical records, this one first; 0: a later copy */
    uint32_t first;  /* a later copy: the index of the first */
};

struct scan {
    struct hive_image *img;
    struct cell_table cells;
    uint32_t rem_end; /* end of the remnant data: [img->bins_size, rem_end) */
    struct cand *c;
    size_t n, cap;
    char *buf; /* path, name and data scratch */
    size_t buf_cap;
};

static uint32_t round8(uint32_t v)
{
    return (v + 7u) & ~7u;
}

/* The allocated cell starting exactly at off, or NULL. */
static struct cell_rec *alloc_at(struct scan *s, uint32_t off)
{
    return cells_alloc_at(&s->cells, off);
}

/* ---- candidates ---------------------------------------------------------- */

/* Whether an old cell header at p can have held need record bytes that end
 * by end. */
static bool old_cell_fits(struct scan *s, uint32_t p, uint32_t end, uint64_t need)
{
    int32_t raw = (int32_t)le32_unchecked(cells_bytes(s->img, p));
    uint32_t len = raw < 0 ? (uint32_t)0 - (uint32_t)raw : (uint32_t)raw;
    return len % 8 == 0 && len >= 8 && 4 + need <= len && 4 + need <= end - p;
}

/* A key node or value record is taken on its own fields: where its lists
 * and data lie is not asked (a record of an old, larger hive in remnant
 * data points past this file), only whether its name fits an old cell. */
static bool nk_plausible(struct scan *s, uint32_t p, uint32_t end, struct nk *nk)
{
    struct span b = {cells_bytes(s->img, p + 4), end - p - 4};
    if (b.len < NK_NAME || nk_decode(NULL, p, b, nk) != HK_ERROR_SUCCESS)
        return false;
    return nk->name.len > 0 && nk->name.len <= MAX_KEY_NAME_BYTES &&
           old_cell_fits(s, p, end, NK_NAME + (uint64_t)nk->name.len) &&
           (nk->flags & ~NK_KNOWN_FLAGS) == 0 && nk->subkey_count <= MAX_PLAUSIBLE_COUNT &&
           nk->value_count <= MAX_PLAUSIBLE_COUNT;
}

static bool vk_plausible(struct scan *s, uint32_t p, uint32_t end, struct vk *vk)
{
    struct span b = {cells_bytes(s->img, p + 4), end - p - 4};
    if (b.len < VK_NAME || vk_decode(NULL, p, b, vk) != HK_ERROR_SUCCESS)
        return false;
    uint32_t len = vk->size_raw & ~VK_DATA_INLINE;
    if (vk->size_raw & VK_DATA_INLINE) {
        if (len > 4)
            return false;
    } else if (len > 0 && (vk->data_off & 7u) != 0) {
        return false;
    }
    return vk->name.len <= MAX_VALUE_NAME_BYTES &&
           old_cell_fits(s, p, end, VK_NAME + (uint64_t)vk->name.len) &&
           (vk->flags & ~VK_KNOWN_FLAGS) == 0;
}

/* What nk_read or vk_read says of an allocated cell of the table (kind
 * HK_DELETED_KEY: into nk, else into vk), recording nothing: the scan only
 * looks, and leaves the thread's detail alone. */
static bool record_intact(struct scan *s, const struct cell_rec *c, uint8_t kind, struct nk *nk,
                          struct vk *vk)
{
    struct span b = {cells_bytes(s->img, c->off + 4), c->size - 4};
    if (b.len < 2 || b.ptr[0] != (kind == HK_DELETED_KEY ? 'n' : 'v') || b.ptr[1] != 'k')
        return false;
    return (kind == HK_DELETED_KEY ? nk_decode(NULL, c->off, b, nk)
                                   : vk_decode(NULL, c->off, b, vk)) == HK_ERROR_SUCCESS;
}

static hk_status push(struct scan *s, struct cand c)
{
    if (s->n == s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 64;
        struct cand *v = hk_realloc(s->c, ncap * sizeof *v);
        if (!v)
            return HK_ERROR_NOT_ENOUGH_MEMORY;
        s->c = v;
        s->cap = ncap;
    }
    s->c[s->n++] = c;
    return HK_ERROR_SUCCESS;
}

static hk_status search_region(struct scan *s, uint32_t start, uint32_t end, uint8_t where)
{
    for (uint32_t p = start; p < end && end - p >= 8; p += 8) {
        const uint8_t *sig = cells_bytes(s->img, p + 4);
        struct nk nk;
        struct vk vk;
        uint8_t kind = 0;
        if (sig_at(sig, NK_SIG) && nk_plausible(s, p, end, &nk))
            kind = HK_DELETED_KEY;
        else if (sig_at(sig, VK_SIG) && vk_plausible(s, p, end, &vk))
            kind = HK_DELETED_VALUE;
        if (kind) {
            /* An intact allocated record no path reaches: one a strict
             * reader takes as it is. */
            const struct cell_rec *cell =
                where == HK_DELETED_IN_UNREFERENCED && p == start ? alloc_at(s, p) : NULL;
            bool orphan = cell && record_intact(s, cell, kind, &nk, &vk);
            hk_status st = push(s, (struct cand){p, end, kind, where, orphan, CELL_NIL, 1, 0});
            if (st != HK_ERROR_SUCCESS)
                return st;
        }
    }
    return HK_ERROR_SUCCESS;
}

static hk_status find_candidates(struct scan *s)
{
    for (size_t i = 0; i < s->cells.n; i++) {
        const struct cell_rec *c = &s->cells.v[i];
        uint32_t end = c->off + c->size;
        hk_status st = HK_ERROR_SUCCESS;
        if (!c->alloc)
            st = search_region(s, c->off, end, HK_DELETED_IN_FREE_CELL);
        else if (c->unref)
            st = search_region(s, c->off, end, HK_DELETED_IN_UNREFERENCED);
        else if (c->used != CELL_USED_UNKNOWN && c->off + round8(4 + c->used) < end)
            st = search_region(s, c->off + round8(4 + c->used), end, HK_DELETED_IN_SLACK);
        if (st != HK_ERROR_SUCCESS)
            return st;
    }
    return search_region(s, s->img->bins_size, s->rem_end, HK_DELETED_IN_REMNANT);
}

static struct cand *cand_at(struct scan *s, uint32_t off, uint8_t kind)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->c[mid].off < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < s->n && s->c[lo].off == off && s->c[lo].kind == kind ? &s->c[lo] : NULL;
}

/* ---- unallocated space ---------------------------------------------------- */

/* The end of the unallocated space holding [off, off + 4 + need): a free
 * cell or an allocated cell's slack. 0 when that space is not there;
 * *reused set when an allocated record covers off. */
static uint32_t free_space_end(struct scan *s, uint32_t off, uint64_t need, bool *reused)
{
    *reused = false;
    if ((off & 7u) != 0)
        return 0;
    if (off >= s->img->bins_size)
        return off < s->rem_end && 4 + need <= s->rem_end - off ? s->rem_end : 0;
    const struct cell_rec *c = cells_find(&s->cells, off);
    if (!c)
        return 0;
    if (c->alloc && !c->unref &&
        (c->used == CELL_USED_UNKNOWN || off < c->off + round8(4 + c->used))) {
        *reused = true;
        return 0;
    }
    uint32_t end = c->off + c->size;
    return 4 + need <= end - off ? end : 0;
}

/* ---- copies --------------------------------------------------------------- */

struct fold {
    uint64_t hash;
    uint32_t i;
};

static int fold_cmp(const void *a, const void *b)
{
    const struct fold *x = a, *y = b;
    if (x->hash != y->hash)
        return x->hash < y->hash ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* The record's bytes: fixed header and name (plausibility made them fit). */
static struct span record_bytes(const struct scan *s, const struct cand *c)
{
    const uint8_t *b = cells_bytes(s->img, c->off + 4);
    uint32_t len = c->kind == HK_DELETED_KEY ? NK_NAME + (uint32_t)le16_unchecked(b + NK_NAME_LEN)
                                             : VK_NAME + (uint32_t)le16_unchecked(b + VK_NAME_LEN);
    return (struct span){b, len};
}

/* Whether two records with the same bytes are one record seen twice: a
 * key node (its name, parent and time), or a value whose data lies in a
 * cell (its offset). Values with inline or no data are not: two keys'
 * values "SF" = 1 are byte for byte the same. */
static bool identifies(const struct scan *s, const struct cand *c)
{
    if (c->kind == HK_DELETED_KEY)
        return true;
    const uint8_t *b = cells_bytes(s->img, c->off + 4);
    uint32_t size = le32_unchecked(b + VK_SIZE);
    return !(size & VK_DATA_INLINE) && size != 0;
}

/* Folds each record found again byte for byte (an old bin copied past the
 * end of the file, a record in slack and in a free cell) into the first. */
static hk_status fold_copies(struct scan *s)
{
    if (s->n < 2)
        return HK_ERROR_SUCCESS;
    struct fold *f = hk_alloc(s->n * sizeof *f);
    if (!f)
        return HK_ERROR_NOT_ENOUGH_MEMORY;
    for (size_t i = 0; i < s->n; i++) {
        struct span b = record_bytes(s, &s->c[i]);
        uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a */
        for (size_t j = 0; j < b.len; j++)
            h = (h ^ b.ptr[j]) * 0x100000001b3ull;
        f[i] = (struct fold){h, (uint32_t)i};
    }
    qsort(f, s->n, sizeof *f, fold_cmp);
    for (size_t g = 0; g < s->n;) {
        size_t e = g;
        while (e < s->n && f[e].hash == f[g].hash)
            e++;
        for (size_t a = g; a < e; a++) {
            struct cand *x = &s->c[f[a].i];
            if (!x->copies || !identifies(s, x))
                continue;
            struct span xb = record_bytes(s, x);
            for (size_t b = a + 1; b < e; b++) {
                struct cand *y = &s->c[f[b].i];
                struct span yb = record_bytes(s, y);
                if (y->copies && y->kind == x->kind && yb.len == xb.len &&
                    memcmp(yb.ptr, xb.ptr, xb.len) == 0) {
                    y->copies = 0;
                    y->first = f[a].i;
                    x->copies++;
                }
            }
        }
        g = e;
    }
    hk_dealloc(f);
    return HK_ERROR_SUCCESS;
}

/* ---- owners --------------------------------------------------------------- */

static void claim(struct scan *s, const uint8_t *entries, uint32_t n, uint32_t key)
{
    for (uint32_t i = 0; i < n; i++) {
        struct cand *v = cand_at(s, le32_unchecked(entries + 4 * (size_t)i), HK_DELETED_VALUE);
        if (v && !v->copies)
            v = &s->c[v->first];
        if (v && v->owner == CELL_NIL)
            v->owner = key;
    }
}

static void find_owners(struct scan *s)
{
    /* A deleted key's own list comes first: it names the values it had. */
    for (size_t i = 0; i < s->n; i++) {
        struct nk nk;
        bool reused;
        if (s->c[i].kind != HK_DELETED_KEY ||
            !nk_plausible(s, s->c[i].off, s->c[i].end, &nk) || nk.value_count == 0)
            continue;
        uint32_t end = free_space_end(s, nk.values, 4, &reused);
        if (!end)
            continue;
        uint32_t room = (end - nk.values - 4) / 4;
        claim(s, cells_bytes(s->img, nk.values + 4), nk.value_count < room ? nk.value_count : room,
              s->c[i].off);
    }
    /* Then the tails of live keys' value lists. */
    for (size_t i = 0; i < s->cells.n; i++) {
        const struct cell_rec *c = &s->cells.v[i];
        struct span b = {cells_bytes(s->img, c->off + 4), c->size - 4};
        struct nk nk;
        if (!c->alloc || b.len < 2 || b.ptr[0] != 'n' || b.ptr[1] != 'k' ||
            nk_decode(NULL, c->off, b, &nk) != HK_ERROR_SUCCESS || nk.value_count == 0)
            continue;
        const struct cell_rec *list = alloc_at(s, nk.values);
        if (!list || (uint64_t)nk.value_count * 4 > list->size - 4)
            continue;
        uint32_t room = (list->size - 4) / 4;
        claim(s, cells_bytes(s->img, list->off + 4 + 4 * nk.value_count), room - nk.value_count,
              c->off);
    }
}

/* ---- output --------------------------------------------------------------- */

static bool reserve(struct scan *s, size_t n)
{
    if (n <= s->buf_cap)
        return true;
    char *p = hk_realloc(s->buf, n);
    if (!p)
        return false;
    s->buf = p;
    s->buf_cap = n;
    return true;
}

/* The key node at off as a link of a path: a live (allocated) key node or a
 * deleted one found by the scan. */
static bool path_link(struct scan *s, uint32_t off, struct nk *nk, bool orphan)
{
    const struct cell_rec *c = alloc_at(s, off);
    if (c && orphan && !c->unref)
        return false; /* an orphan's path starts at the top of its own subtree */
    if (c)
        return record_intact(s, c, HK_DELETED_KEY, nk, NULL);
    const struct cand *k = cand_at(s, off, HK_DELETED_KEY);
    return k && nk_plausible(s, k->off, k->end, nk);
}

/* Writes the path of the key node at off (its own name last) at s->buf from
 * position at; returns its length; *complete when it reaches the root. The
 * path of an orphan climbs through orphans only: it starts at the top of the
 * subtree no path from the root reaches, partial. */
static hk_status key_path(struct scan *s, uint32_t off, size_t at, size_t *len, int *complete,
                          bool orphan)
{
    struct name_ref chain[HK_MAX_DEPTH];
    uint32_t seen[HK_MAX_DEPTH];
    size_t depth = 0, bytes = 0;
    *complete = 0;
    while (depth < HK_MAX_DEPTH) {
        if (off == s->img->bb.root && !orphan) {
            *complete = 1;
            break;
        }
        struct nk nk;
        bool loop = false;
        for (size_t i = 0; i < depth && !loop; i++)
            loop = seen[i] == off;
        if (loop || !path_link(s, off, &nk, orphan))
            break; /* a parent link back into the chain ends it, partial */
        seen[depth] = off;
        chain[depth++] = nk.name;
        bytes += name_utf8_len(&nk.name) + 1;
        off = nk.parent;
    }
    if (!reserve(s, at + bytes + 1))
        return HK_ERROR_NOT_ENOUGH_MEMORY;
    size_t w = at;
    for (size_t i = depth; i-- > 0;) {
        w += name_to_utf8(&chain[i], s->buf + w);
        if (i)
            s->buf[w++] = '\\';
    }
    s->buf[w] = '\0';
    *len = w - at;
    return HK_ERROR_SUCCESS;
}

/* Where a deleted value's data still is: its state, and the bytes copied to
 * s->buf at position at. Nothing is allocated before the free space that
 * holds the data is found, so a record's size alone cannot ask for memory. */
static uint32_t value_data(struct scan *s, const struct vk *vk, size_t at)
{
    uint32_t len = vk->size_raw & ~VK_DATA_INLINE;
    bool reused;
    if (vk->size_raw & VK_DATA_INLINE || len == 0) {
        uint8_t tmp[4];
        put_le32(tmp, vk->data_off);
        if (!reserve(s, at + 5))
            return HK_DELETED_DATA_INVALID;
        memcpy(s->buf + at, tmp, len);
        return HK_DELETED_DATA_OK;
    }
    const uint8_t *d = cells_bytes(s->img, vk->data_off + 4);
    bool big = s->img->bb.minor >= 4 && len > BIGDATA_SEGMENT;
    uint32_t end = free_space_end(s, vk->data_off, big ? 8 : len, &reused);
    if (!end)
        return reused ? HK_DELETED_DATA_REUSED : HK_DELETED_DATA_INVALID;
    if (!big || d[0] != 'd' || d[1] != 'b') {
        if (!old_cell_fits(s, vk->data_off, end, len) || !reserve(s, at + (size_t)len + 1))
            return HK_DELETED_DATA_INVALID;
        memcpy(s->buf + at, d, len);
        return HK_DELETED_DATA_OK;
    }
    uint32_t count = le16_unchecked(d + DB_COUNT), list = le32_unchecked(d + DB_LIST);
    if (count != (len + BIGDATA_SEGMENT - 1) / BIGDATA_SEGMENT)
        return HK_DELETED_DATA_INVALID;
    if (!free_space_end(s, list, 4ull * count, &reused))
        return reused ? HK_DELETED_DATA_REUSED : HK_DELETED_DATA_INVALID;
    const uint8_t *segs = cells_bytes(s->img, list + 4);
    for (uint32_t i = 0, done = 0; i < count; i++) {
        uint32_t take = len - done < BIGDATA_SEGMENT ? len - done : BIGDATA_SEGMENT;
        if (!free_space_end(s, le32_unchecked(segs + 4 * (size_t)i), take, &reused))
            return reused ? HK_DELETED_DATA_REUSED : HK_DELETED_DATA_INVALID;
        done += take;
    }
    if (!reserve(s, at + (size_t)len + 1))
        return HK_DELETED_DATA_INVALID;
    for (uint32_t i = 0, done = 0; i < count; i++) {
        uint32_t take = len - done < BIGDATA_SEGMENT ? len - done : BIGDATA_SEGMENT;
        memcpy(s->buf + at + done, cells_bytes(s->img, le32_unchecked(segs + 4 * (size_t)i) + 4),
               take);
        done += take;
    }
    return HK_DELETED_DATA_OK;
}

/* Whether the value list of a deleted key is still in free space and every
 * value it names was found. */
static bool values_found(struct scan *s, const struct nk *nk)
{
    bool reused;
    if (nk->value_count == 0)
        return true;
    if (!free_space_end(s, nk->values, 4ull * nk->value_count, &reused))
        return false;
    const uint8_t *e = cells_bytes(s->img, nk->values + 4);
    for (uint32_t i = 0; i < nk->value_count; i++)
        if (!cand_at(s, le32_unchecked(e + 4 * (size_t)i), HK_DELETED_VALUE))
            return false;
    return true;
}

static hk_status report(struct scan *s, const struct cand *c, hk_deleted_fn fn, void *ctx,
                        int *stop)
{
    hk_deleted_record r;
    memset(&r, 0, sizeof r);
    r.kind = c->kind;
    r.where = c->where;
    r.offset = c->off;
    r.key_offset = CELL_NIL;
    struct name_ref name;
    size_t path_at = 0, path_len = 0, name_at, data_at;
    hk_status st = HK_ERROR_SUCCESS;
    struct nk nk;
    struct vk vk;
    if (c->kind == HK_DELETED_KEY) {
        nk_plausible(s, c->off, c->end, &nk);
        name = nk.name;
        st = key_path(s, c->off, 0, &path_len, &r.path_complete, c->orphan);
        r.last_write = nk.last_write;
        r.parent_offset = nk.parent;
        r.subkey_count = nk.subkey_count;
        r.value_count = nk.value_count;
        if (!values_found(s, &nk))
            r.missing |= HK_DELETED_MISSING_VALUES;
    } else {
        vk_plausible(s, c->off, c->end, &vk);
        name = vk.name;
        r.key_offset = c->owner;
        r.reg_type = vk.type;
        r.data_size = vk.size_raw & ~VK_DATA_INLINE;
        if (c->owner != CELL_NIL) {
            int complete;
            const struct cand *k = cand_at(s, c->owner, HK_DELETED_KEY);
            st = key_path(s, c->owner, 0, &path_len, &complete, k && k->orphan);
            r.path_complete = complete;
        } else {
            r.missing |= HK_DELETED_MISSING_KEY;
            if (reserve(s, 1))
                s->buf[0] = '\0';
            else
                st = HK_ERROR_NOT_ENOUGH_MEMORY;
        }
    }
    if (st != HK_ERROR_SUCCESS)
        return st;
    name_at = path_at + path_len + 1;
    size_t name_len = name_utf8_len(&name);
    data_at = name_at + name_len + 1;
    if (!reserve(s, data_at + 1))
        return HK_ERROR_NOT_ENOUGH_MEMORY;
    name_to_utf8(&name, s->buf + name_at);
    s->buf[name_at + name_len] = '\0';
    if (c->kind == HK_DELETED_VALUE) {
        r.data_state = value_data(s, &vk, data_at);
        if (r.data_state == HK_DELETED_DATA_INVALID && !reserve(s, data_at + 1))
            return HK_ERROR_NOT_ENOUGH_MEMORY;
        if (r.data_state != HK_DELETED_DATA_OK)
            r.missing |= HK_DELETED_MISSING_DATA;
    }
    if (!r.path_complete && !(r.missing & HK_DELETED_MISSING_KEY))
        r.missing |= HK_DELETED_MISSING_PATH;
    r.orphan = c->orphan;
    r.copies = c->copies;
    /* Pointers last: reserve() may have moved the buffer. */
    r.path = s->buf + path_at;
    r.path_len = path_len;
    r.name = s->buf + name_at;
    r.name_len = name_len;
    if (c->kind == HK_DELETED_VALUE && r.data_state == HK_DELETED_DATA_OK)
        r.data = (const uint8_t *)s->buf + data_at;
    *stop = fn(&r, ctx);
    return HK_ERROR_SUCCESS;
}

hk_status deleted_scan(struct hive_image *img, hk_deleted_fn fn, void *ctx)
{
    struct scan s;
    memset(&s, 0, sizeof s);
    s.img = img;
    struct first_fault fault = FIRST_FAULT_INIT;
    hk_status st = cells_build(img, &s.cells, img->salvage ? NULL : first_fault_note, &fault);
    if (st == HK_ERROR_SUCCESS && fault.off != CELL_NIL) {
        cells_free(&s.cells);
        return IMAGE_CORRUPT(img, fault.off, "%s", fault.msg);
    }
    /* Remnant data: whole 8-byte steps after the bins, offsets kept below
     * CELL_NIL. */
    uint64_t rem = img->file.size - HBIN_START;
    s.rem_end = (uint32_t)(rem > 0xFFFFFFF0u ? 0xFFFFFFF0u : rem) & ~7u;
    if (s.rem_end < img->bins_size)
        s.rem_end = img->bins_size;
    if (st == HK_ERROR_SUCCESS)
        st = cells_unreferenced(img, &s.cells);
    if (st == HK_ERROR_SUCCESS) {
        cells_measure(img, &s.cells);
        st = find_candidates(&s);
    }
    if (st == HK_ERROR_SUCCESS)
        st = fold_copies(&s);
    if (st == HK_ERROR_SUCCESS) {
        find_owners(&s);
        int stop = 0;
        for (size_t i = 0; i < s.n && !stop && st == HK_ERROR_SUCCESS; i++)
            if (s.c[i].copies)
                st = report(&s, &s.c[i], fn, ctx, &stop);
        if (stop && st == HK_ERROR_SUCCESS)
            st = HK_ERROR_CANCELLED;
    }
    if (st == HK_ERROR_NOT_ENOUGH_MEMORY)
        diag_set(DIAG_DETAIL, st, "no memory for the deleted-data scan");
    cells_free(&s.cells);
    hk_dealloc(s.c);
    hk_dealloc(s.buf);
    return st;
}
