/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hive_builder: test-side, append-only regf writer (see hive_builder.h).
 * Naive on purpose: no reuse of free space, no sorting, no validation of
 * what the test asks for beyond what keeps the builder itself in bounds.
 */
#include "hive_builder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct hb_keyrec {
    uint32_t nk;
    uint32_t parent; /* index into keys, or HB_NIL for the root */
    uint16_t *name;  /* UTF-16 units */
    size_t name_n;
    uint32_t *children; /* indexes into keys, in the order added */
    size_t nchildren, capchildren;
    uint32_t *values; /* vk offsets, in the order added */
    size_t nvalues, capvalues;
    uint32_t max_value_name, max_value_data; /* bytes, UTF-16 for names */
    uint32_t class_cell, class_bytes;
    uint32_t sk;
    uint64_t time;
    char kind;
    unsigned leaf_max;
};

struct hb {
    unsigned minor;
    uint8_t *bins;
    size_t bins_len, bins_cap;
    uint32_t cur_pos, cur_end; /* free space of the last bin */
    struct hb_keyrec *keys;
    size_t nkeys, capkeys;
    uint32_t *sks;
    size_t nsks, capsks;
    uint32_t *frees;
    size_t nfrees, capfrees;
};

_Noreturn static void die(const char *what)
{
    fprintf(stderr, "hive_builder: %s\n", what);
    abort();
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        die("out of memory");
    return q;
}

#define GROW(arr, n, cap)                                                       \
    do {                                                                        \
        if ((n) == (cap)) {                                                     \
            (cap) = (cap) ? 2 * (cap) : 8;                                      \
            (arr) = xrealloc((arr), (cap) * sizeof *(arr));                     \
        }                                                                       \
    } while (0)

/* ---- little-endian bytes ---------------------------------------------- */

uint8_t hb_get8(const uint8_t *img, size_t o) { return img[o]; }
uint16_t hb_get16(const uint8_t *img, size_t o)
{
    return (uint16_t)(img[o] | (img[o + 1] << 8));
}
uint32_t hb_get32(const uint8_t *img, size_t o)
{
    return (uint32_t)img[o] | (uint32_t)img[o + 1] << 8 | (uint32_t)img[o + 2] << 16 |
           (uint32_t)img[o + 3] << 24;
}
uint64_t hb_get64(const uint8_t *img, size_t o)
{
    return (uint64_t)hb_get32(img, o) | (uint64_t)hb_get32(img, o + 4) << 32;
}
void hb_put8(uint8_t *img, size_t o, uint8_t v) { img[o] = v; }
void hb_put16(uint8_t *img, size_t o, uint16_t v)
{
    img[o] = (uint8_t)v;
    img[o + 1] = (uint8_t)(v >> 8);
}
void hb_put32(uint8_t *img, size_t o, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        img[o + (size_t)i] = (uint8_t)(v >> (8 * i));
}
static void put64(uint8_t *img, size_t o, uint64_t v)
{
    hb_put32(img, o, (uint32_t)v);
    hb_put32(img, o + 4, (uint32_t)(v >> 32));
}

size_t hb_rec(uint32_t off) { return (size_t)HB_BASE_BLOCK_SIZE + off + 4; }

/* ---- names -------------------------------------------------------------- */

uint16_t hb_upcase(uint16_t u)
{
    if (u >= 'a' && u <= 'z')
        return (uint16_t)(u - 0x20);
    if (u >= 0xE0 && u <= 0xFE && u != 0xF7)
        return (uint16_t)(u - 0x20);
    if (u == 0xFF)
        return 0x178;
    if (u >= 0x3B1 && u <= 0x3C9 && u != 0x3C2) /* Greek small alpha..omega */
        return (uint16_t)(u - 0x20);
    if (u >= 0x430 && u <= 0x44F) /* Cyrillic small a..ya */
        return (uint16_t)(u - 0x20);
    if (u >= 0x450 && u <= 0x45F) /* Cyrillic small ie-grave..dzhe */
        return (uint16_t)(u - 0x50);
    return u;
}

/* Lenient UTF-8 (and WTF-8) to UTF-16; aborts on malformed input. */
static uint16_t *utf8_to_units(const char *s, size_t *n_out)
{
    const size_t len = s ? strlen(s) : 0;
    uint16_t *out = xrealloc(NULL, (len + 1) * sizeof *out);
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        const uint8_t c = (uint8_t)s[i];
        uint32_t cp;
        size_t extra;
        if (c < 0x80) {
            cp = c;
            extra = 0;
        } else if ((c & 0xE0) == 0xC0) {
            cp = c & 0x1Fu;
            extra = 1;
        } else if ((c & 0xF0) == 0xE0) {
            cp = c & 0x0Fu;
            extra = 2;
        } else if ((c & 0xF8) == 0xF0) {
            cp = c & 0x07u;
            extra = 3;
        } else {
            die("bad UTF-8 name");
        }
        if (extra && i + extra >= len)
            die("truncated UTF-8 name");
        for (size_t k = 1; k <= extra; k++) {
            const uint8_t cc = (uint8_t)s[i + k];
            if ((cc & 0xC0) != 0x80)
                die("bad UTF-8 continuation");
            cp = cp << 6 | (cc & 0x3Fu);
        }
        i += extra + 1;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            out[n++] = (uint16_t)(0xD800 + (cp >> 10));
            out[n++] = (uint16_t)(0xDC00 + (cp & 0x3FF));
        } else {
            out[n++] = (uint16_t)cp;
        }
    }
    *n_out = n;
    return out;
}

static int compressible(const uint16_t *u, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (u[i] > 0xFF)
            return 0;
    return 1;
}

/* Bytes the name takes as stored (Latin-1 or UTF-16LE). */
static uint32_t stored_len(const uint16_t *u, size_t n)
{
    return (uint32_t)(compressible(u, n) ? n : 2 * n);
}

static void store_name(uint8_t *dst, const uint16_t *u, size_t n)
{
    const int comp = compressible(u, n);
    for (size_t i = 0; i < n; i++) {
        if (comp)
            dst[i] = (uint8_t)u[i];
        else
            hb_put16(dst, 2 * i, u[i]);
    }
}

static uint32_t units_hash(const uint16_t *u, size_t n)
{
    uint32_t h = 0;
    for (size_t i = 0; i < n; i++)
        h = 37u * h + hb_upcase(u[i]);
    return h;
}

uint32_t hb_name_hash(const char *utf8_name)
{
    size_t n;
    uint16_t *u = utf8_to_units(utf8_name, &n);
    const uint32_t h = units_hash(u, n);
    free(u);
    return h;
}

/* lf hint: the first four units as bytes, case kept, zero padded; all zero
 * when one of them does not fit a byte (what Windows was seen to write). */
static uint32_t lf_hint(const uint16_t *u, size_t n)
{
    uint8_t b[4] = {0, 0, 0, 0};
    for (size_t i = 0; i < n && i < 4; i++) {
        if (u[i] > 0xFF)
            return 0;
        b[i] = (uint8_t)u[i];
    }
    return hb_get32(b, 0);
}

/* ---- cells -------------------------------------------------------------- */

static uint32_t round_up(uint32_t v, uint32_t m) { return (v + m - 1) / m * m; }

/* Closes the current bin: its unused tail becomes one free cell. */
static void close_bin(struct hb *b)
{
    if (b->cur_end > b->cur_pos)
        hb_put32(b->bins, b->cur_pos, b->cur_end - b->cur_pos);
    b->cur_pos = b->cur_end;
}

static void open_bin(struct hb *b, uint32_t need)
{
    const uint32_t size = round_up(need + HB_HBIN_HDR, 4096);
    const size_t off = b->bins_len;
    if (off + size > 0x7FFFF000u)
        die("hive too large");
    while (b->bins_cap < off + size) {
        b->bins_cap = b->bins_cap ? 2 * b->bins_cap : 65536;
        b->bins = xrealloc(b->bins, b->bins_cap);
    }
    memset(b->bins + off, 0, size);
    memcpy(b->bins + off, "hbin", 4);
    hb_put32(b->bins, off + HB_HBIN_OFFSET, (uint32_t)off);
    hb_put32(b->bins, off + HB_HBIN_SIZE, size);
    b->bins_len = off + size;
    b->cur_pos = (uint32_t)off + HB_HBIN_HDR;
    b->cur_end = (uint32_t)(off + size);
}

/* Allocates a cell for a record of len bytes (zeroed); returns its offset. */
static uint32_t alloc_cell(struct hb *b, uint32_t len)
{
    if (len > 0x7FFF0000u)
        die("cell too large");
    const uint32_t need = round_up(len + 4, 8);
    if (b->cur_end - b->cur_pos < need) {
        close_bin(b);
        open_bin(b, need);
    }
    const uint32_t off = b->cur_pos;
    hb_put32(b->bins, off, (uint32_t)-(int32_t)need);
    b->cur_pos += need;
    return off;
}

/* The record bytes of cell off, valid until the next allocation. */
static uint8_t *rec(struct hb *b, uint32_t off) { return b->bins + off + 4; }

uint32_t hb_cell(struct hb *b, const void *data, uint32_t len)
{
    const uint32_t off = alloc_cell(b, len);
    if (len)
        memcpy(rec(b, off), data, len);
    return off;
}

uint32_t hb_free_cell(struct hb *b, const void *data, uint32_t len)
{
    const uint32_t off = hb_cell(b, data, len);
    GROW(b->frees, b->nfrees, b->capfrees);
    b->frees[b->nfrees++] = off;
    return off;
}

/* ---- security ------------------------------------------------------------ */

static const uint8_t default_sd[] = {
    /* header: rev 1, sbz, control SE_SELF_RELATIVE|SE_DACL_PRESENT */
    1, 0, 0x04, 0x80,
    20, 0, 0, 0,  /* owner at 20 */
    36, 0, 0, 0,  /* group at 36 */
    0, 0, 0, 0,   /* no SACL */
    48, 0, 0, 0,  /* DACL at 48 */
    /* owner S-1-5-32-544 */
    1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x20, 0x02, 0, 0,
    /* group S-1-5-18 */
    1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0,
    /* DACL: rev 2, sbz, size 28, 1 ACE, sbz */
    2, 0, 28, 0, 1, 0, 0, 0,
    /* ACCESS_ALLOWED_ACE: type 0, flags 0, size 20, mask KEY_READ, S-1-1-0 */
    0, 0, 20, 0, 0x19, 0x00, 0x02, 0x00, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0,
};

const uint8_t *hb_default_sd(uint32_t *len)
{
    *len = (uint32_t)sizeof default_sd;
    return default_sd;
}

static uint32_t new_sk(struct hb *b, const void *sd, uint32_t len)
{
    const uint32_t off = alloc_cell(b, HB_SK_DESC + len);
    uint8_t *r = rec(b, off);
    memcpy(r, "sk", 2);
    hb_put32(r, HB_SK_DESC_SIZE, len);
    memcpy(r + HB_SK_DESC, sd, len);
    GROW(b->sks, b->nsks, b->capsks);
    b->sks[b->nsks++] = off;
    return off;
}

/* ---- keys ---------------------------------------------------------------- */

/* nk offsets grow with creation order, so keys[] is sorted by nk. */
static struct hb_keyrec *find_key(struct hb *b, uint32_t nk)
{
    size_t lo = 0, hi = b->nkeys;
    while (lo < hi) {
        const size_t mid = lo + (hi - lo) / 2;
        if (b->keys[mid].nk == nk)
            return &b->keys[mid];
        if (b->keys[mid].nk < nk)
            lo = mid + 1;
        else
            hi = mid;
    }
    die("no key at that offset");
}

static uint32_t add_key(struct hb *b, uint32_t parent_idx, uint16_t *units, size_t n)
{
    if (n > 0xFFFF / 2)
        die("key name too long");
    const uint32_t slen = stored_len(units, n);
    const uint32_t nk = alloc_cell(b, HB_NK_NAME + slen);
    uint8_t *r = rec(b, nk);
    memcpy(r, "nk", 2);
    hb_put16(r, HB_NK_NAME_LEN, (uint16_t)slen);
    store_name(r + HB_NK_NAME, units, n);

    GROW(b->keys, b->nkeys, b->capkeys);
    struct hb_keyrec *k = &b->keys[b->nkeys];
    memset(k, 0, sizeof *k);
    k->nk = nk;
    k->parent = parent_idx;
    k->name = units;
    k->name_n = n;
    k->class_cell = HB_NIL;
    k->sk = b->nsks ? b->sks[0] : HB_NIL;
    k->time = HB_DEFAULT_TIME;
    const uint32_t idx = (uint32_t)b->nkeys++;
    if (parent_idx != HB_NIL) {
        struct hb_keyrec *p = &b->keys[parent_idx];
        GROW(p->children, p->nchildren, p->capchildren);
        p->children[p->nchildren++] = idx;
    }
    return nk;
}

struct hb *hb_new(unsigned minor_version, const char *root_name)
{
    struct hb *b = xrealloc(NULL, sizeof *b);
    memset(b, 0, sizeof *b);
    b->minor = minor_version;
    size_t n;
    uint16_t *u = utf8_to_units(root_name, &n);
    /* the root first, so it sits at offset 0x20 as in Windows' hives; the
     * shared sk follows and every key points at it */
    add_key(b, HB_NIL, u, n);
    uint32_t sdlen;
    const uint8_t *sd = hb_default_sd(&sdlen);
    b->keys[0].sk = new_sk(b, sd, sdlen);
    return b;
}

uint32_t hb_root(struct hb *b) { return b->keys[0].nk; }

uint32_t hb_key_raw(struct hb *b, uint32_t parent, const uint16_t *units, size_t n)
{
    const uint32_t pidx = (uint32_t)(find_key(b, parent) - b->keys);
    uint16_t *copy = xrealloc(NULL, (n + 1) * sizeof *copy);
    if (n)
        memcpy(copy, units, n * sizeof *copy);
    return add_key(b, pidx, copy, n);
}

uint32_t hb_key(struct hb *b, uint32_t parent, const char *utf8_name)
{
    const uint32_t pidx = (uint32_t)(find_key(b, parent) - b->keys);
    size_t n;
    uint16_t *u = utf8_to_units(utf8_name, &n);
    return add_key(b, pidx, u, n);
}

void hb_class(struct hb *b, uint32_t key, const char *utf8_class)
{
    size_t n;
    uint16_t *u = utf8_to_units(utf8_class, &n);
    const uint32_t off = alloc_cell(b, (uint32_t)(2 * n));
    for (size_t i = 0; i < n; i++)
        hb_put16(rec(b, off), 2 * i, u[i]);
    free(u);
    struct hb_keyrec *k = find_key(b, key);
    k->class_cell = off;
    k->class_bytes = (uint32_t)(2 * n);
}

void hb_key_time(struct hb *b, uint32_t key, uint64_t filetime)
{
    find_key(b, key)->time = filetime;
}

uint32_t hb_key_sd(struct hb *b, uint32_t key, const void *sd, uint32_t len)
{
    const uint32_t off = new_sk(b, sd, len);
    find_key(b, key)->sk = off;
    return off;
}

void hb_list_kind(struct hb *b, uint32_t key, char kind, unsigned leaf_max)
{
    if (kind != 'i' && kind != 'f' && kind != 'h')
        die("list kind must be i, f or h");
    struct hb_keyrec *k = find_key(b, key);
    k->kind = kind;
    k->leaf_max = leaf_max;
}

/* ---- values ------------------------------------------------------------- */

/* Data bigger than one segment on a hive that has db: a db record, a list of
 * segment cells, and segments of HB_BIG_SEGMENT bytes (the last one shorter). */
static uint32_t write_big_data(struct hb *b, const uint8_t *data, uint32_t len)
{
    const uint32_t nseg = (len + HB_BIG_SEGMENT - 1) / HB_BIG_SEGMENT;
    if (nseg > 0xFFFF)
        die("value too large for db");
    const uint32_t db = alloc_cell(b, 12);
    const uint32_t list = alloc_cell(b, 4 * nseg);
    for (uint32_t i = 0; i < nseg; i++) {
        const uint32_t part = i + 1 < nseg ? HB_BIG_SEGMENT : len - i * HB_BIG_SEGMENT;
        const uint32_t seg = hb_cell(b, data + (size_t)i * HB_BIG_SEGMENT, part);
        hb_put32(rec(b, list), 4 * (size_t)i, seg);
    }
    uint8_t *r = rec(b, db);
    memcpy(r, "db", 2);
    hb_put16(r, HB_DB_COUNT, (uint16_t)nseg);
    hb_put32(r, HB_DB_LIST, list);
    return db;
}

static uint32_t add_value(struct hb *b, uint32_t key, const uint16_t *u, size_t n, uint32_t type,
                          const void *data, uint32_t len)
{
    if (n > 0xFFFF / 2)
        die("value name too long");
    if (len && !data)
        die("value data is NULL");
    uint32_t size_field = len, data_field = 0;
    if (len <= 4) {
        uint8_t inl[4] = {0, 0, 0, 0};
        if (len)
            memcpy(inl, data, len);
        size_field = len | 0x80000000u;
        data_field = hb_get32(inl, 0);
    } else if (b->minor >= 4 && len > HB_BIG_SEGMENT) {
        data_field = write_big_data(b, data, len);
    } else {
        data_field = hb_cell(b, data, len);
    }
    const uint32_t slen = stored_len(u, n);
    const uint32_t vk = alloc_cell(b, HB_VK_NAME + slen);
    uint8_t *r = rec(b, vk);
    memcpy(r, "vk", 2);
    hb_put16(r, HB_VK_NAME_LEN, (uint16_t)slen);
    hb_put32(r, HB_VK_DATA_SIZE, size_field);
    hb_put32(r, HB_VK_DATA, data_field);
    hb_put32(r, HB_VK_TYPE, type);
    hb_put16(r, HB_VK_FLAGS, n && compressible(u, n) ? HB_VK_COMP_NAME : 0);
    store_name(r + HB_VK_NAME, u, n);

    struct hb_keyrec *k = find_key(b, key);
    GROW(k->values, k->nvalues, k->capvalues);
    k->values[k->nvalues++] = vk;
    if (2 * n > k->max_value_name)
        k->max_value_name = (uint32_t)(2 * n);
    if (len > k->max_value_data)
        k->max_value_data = len;
    return vk;
}

uint32_t hb_value_raw(struct hb *b, uint32_t key, const uint16_t *units, size_t n, uint32_t type,
                      const void *data, uint32_t len)
{
    return add_value(b, key, units, n, type, data, len);
}

uint32_t hb_value(struct hb *b, uint32_t key, const char *utf8_name, uint32_t type,
                  const void *data, uint32_t len)
{
    size_t n;
    uint16_t *u = utf8_to_units(utf8_name, &n);
    const uint32_t vk = add_value(b, key, u, n, type, data, len);
    free(u);
    return vk;
}

/* ---- finishing ------------------------------------------------------------ */

static char default_kind(unsigned minor)
{
    return minor >= 5 ? 'h' : minor >= 3 ? 'f' : 'i';
}

/* One leaf with entries first..first+count-1 of k's children. */
static uint32_t write_leaf(struct hb *b, const struct hb_keyrec *k, char kind, size_t first,
                           size_t count)
{
    const uint32_t esize = kind == 'i' ? 4 : 8;
    const uint32_t off = alloc_cell(b, HB_LIST_ENTRIES + esize * (uint32_t)count);
    uint8_t *r = rec(b, off);
    r[0] = 'l';
    r[1] = (uint8_t)kind;
    hb_put16(r, HB_LIST_COUNT, (uint16_t)count);
    for (size_t i = 0; i < count; i++) {
        const struct hb_keyrec *c = &b->keys[k->children[first + i]];
        const size_t e = HB_LIST_ENTRIES + esize * i;
        hb_put32(r, e, c->nk);
        if (kind == 'f')
            hb_put32(r, e + 4, lf_hint(c->name, c->name_n));
        else if (kind == 'h')
            hb_put32(r, e + 4, units_hash(c->name, c->name_n));
    }
    return off;
}

static uint32_t write_subkey_list(struct hb *b, size_t idx)
{
    const struct hb_keyrec *k = &b->keys[idx];
    const char kind = k->kind ? k->kind : default_kind(b->minor);
    const size_t n = k->nchildren;
    if (k->leaf_max == 0) {
        if (n > 0xFFFF)
            die("too many subkeys for one leaf");
        return write_leaf(b, k, kind, 0, n);
    }
    const size_t nleaves = (n + k->leaf_max - 1) / k->leaf_max;
    if (nleaves > 0xFFFF)
        die("too many leaves");
    uint32_t *leaves = xrealloc(NULL, nleaves * sizeof *leaves);
    for (size_t i = 0; i < nleaves; i++) {
        const size_t first = i * k->leaf_max;
        const size_t cnt = n - first < k->leaf_max ? n - first : k->leaf_max;
        leaves[i] = write_leaf(b, &b->keys[idx], kind, first, cnt);
    }
    const uint32_t ri = alloc_cell(b, HB_LIST_ENTRIES + 4 * (uint32_t)nleaves);
    uint8_t *r = rec(b, ri);
    memcpy(r, "ri", 2);
    hb_put16(r, HB_LIST_COUNT, (uint16_t)nleaves);
    for (size_t i = 0; i < nleaves; i++)
        hb_put32(r, HB_LIST_ENTRIES + 4 * i, leaves[i]);
    free(leaves);
    return ri;
}

static void patch_key(struct hb *b, size_t idx, uint32_t list, uint32_t vlist)
{
    const struct hb_keyrec *k = &b->keys[idx];
    uint32_t max_name = 0, max_class = 0;
    for (size_t i = 0; i < k->nchildren; i++) {
        const struct hb_keyrec *c = &b->keys[k->children[i]];
        if (2 * c->name_n > max_name)
            max_name = (uint32_t)(2 * c->name_n);
        if (c->class_bytes > max_class)
            max_class = c->class_bytes;
    }
    uint16_t flags = compressible(k->name, k->name_n) ? HB_NK_COMP_NAME : 0;
    if (k->parent == HB_NIL)
        flags |= HB_NK_HIVE_ENTRY | HB_NK_NO_DELETE;
    uint8_t *r = rec(b, k->nk);
    hb_put16(r, HB_NK_FLAGS, flags);
    put64(r, HB_NK_TIME, k->time);
    hb_put32(r, HB_NK_PARENT, k->parent == HB_NIL ? HB_NIL : b->keys[k->parent].nk);
    hb_put32(r, HB_NK_SUBKEY_COUNT, (uint32_t)k->nchildren);
    hb_put32(r, HB_NK_VOL_SUBKEY_COUNT, 0);
    hb_put32(r, HB_NK_SUBKEY_LIST, list);
    hb_put32(r, HB_NK_VOL_SUBKEY_LIST, HB_NIL);
    hb_put32(r, HB_NK_VALUE_COUNT, (uint32_t)k->nvalues);
    hb_put32(r, HB_NK_VALUE_LIST, vlist);
    hb_put32(r, HB_NK_SK, k->sk);
    hb_put32(r, HB_NK_CLASS, k->class_cell);
    hb_put32(r, HB_NK_MAX_SUBKEY_NAME, max_name);
    hb_put32(r, HB_NK_MAX_SUBKEY_CLASS, max_class);
    hb_put32(r, HB_NK_MAX_VALUE_NAME, k->max_value_name);
    hb_put32(r, HB_NK_MAX_VALUE_DATA, k->max_value_data);
    hb_put32(r, HB_NK_WORKVAR, 0);
    hb_put16(r, HB_NK_CLASS_LEN, (uint16_t)k->class_bytes);
}

static void patch_sks(struct hb *b)
{
    for (size_t i = 0; i < b->nsks; i++) {
        uint32_t refs = 0;
        for (size_t k = 0; k < b->nkeys; k++)
            refs += b->keys[k].sk == b->sks[i];
        uint8_t *r = rec(b, b->sks[i]);
        hb_put32(r, HB_SK_FLINK, b->sks[(i + 1) % b->nsks]);
        hb_put32(r, HB_SK_BLINK, b->sks[(i + b->nsks - 1) % b->nsks]);
        hb_put32(r, HB_SK_REFCOUNT, refs);
    }
}

uint32_t hb_checksum(const uint8_t *img)
{
    uint32_t x = 0;
    for (size_t i = 0; i < 127; i++)
        x ^= hb_get32(img, 4 * i);
    if (x == 0)
        return 1;
    if (x == 0xFFFFFFFFu)
        return 0xFFFFFFFEu;
    return x;
}

void hb_fix_checksum(uint8_t *img) { hb_put32(img, HB_REGF_CHECKSUM, hb_checksum(img)); }

static void write_base_block(const struct hb *b, uint8_t *img)
{
    memcpy(img, "regf", 4);
    hb_put32(img, HB_REGF_SEQ1, 1);
    hb_put32(img, HB_REGF_SEQ2, 1);
    put64(img, HB_REGF_TIME, HB_DEFAULT_TIME);
    hb_put32(img, HB_REGF_MAJOR, 1);
    hb_put32(img, HB_REGF_MINOR, b->minor);
    hb_put32(img, HB_REGF_TYPE, 0);
    hb_put32(img, HB_REGF_FORMAT, 1);
    hb_put32(img, HB_REGF_ROOT, b->keys[0].nk);
    hb_put32(img, HB_REGF_BINS_SIZE, (uint32_t)b->bins_len);
    hb_put32(img, HB_REGF_CLUSTER, 1);
    static const char name[] = "hive_builder";
    for (size_t i = 0; i < sizeof name - 1; i++)
        img[HB_REGF_NAME + 2 * i] = (uint8_t)name[i];
    hb_fix_checksum(img);
}

static void free_builder(struct hb *b)
{
    for (size_t i = 0; i < b->nkeys; i++) {
        free(b->keys[i].name);
        free(b->keys[i].children);
        free(b->keys[i].values);
    }
    free(b->keys);
    free(b->sks);
    free(b->frees);
    free(b->bins);
    free(b);
}

uint8_t *hb_finish(struct hb *b, size_t *len)
{
    const size_t nkeys = b->nkeys;
    uint32_t *lists = xrealloc(NULL, 2 * nkeys * sizeof *lists);
    for (size_t i = 0; i < nkeys; i++) {
        lists[2 * i] = b->keys[i].nchildren ? write_subkey_list(b, i) : HB_NIL;
        lists[2 * i + 1] = HB_NIL;
        const size_t nv = b->keys[i].nvalues;
        if (nv) {
            const uint32_t vl = alloc_cell(b, (uint32_t)(4 * nv));
            for (size_t v = 0; v < nv; v++)
                hb_put32(rec(b, vl), 4 * v, b->keys[i].values[v]);
            lists[2 * i + 1] = vl;
        }
    }
    for (size_t i = 0; i < nkeys; i++)
        patch_key(b, i, lists[2 * i], lists[2 * i + 1]);
    free(lists);
    patch_sks(b);
    for (size_t i = 0; i < b->nfrees; i++) {
        const uint32_t sz = hb_get32(b->bins, b->frees[i]);
        hb_put32(b->bins, b->frees[i], (uint32_t)-(int32_t)sz);
    }
    close_bin(b);
    put64(b->bins, HB_HBIN_TIME, HB_DEFAULT_TIME);

    const size_t total = HB_BASE_BLOCK_SIZE + b->bins_len;
    uint8_t *img = xrealloc(NULL, total);
    memset(img, 0, HB_BASE_BLOCK_SIZE);
    memcpy(img + HB_BASE_BLOCK_SIZE, b->bins, b->bins_len);
    write_base_block(b, img);
    free_builder(b);
    *len = total;
    return img;
}

uint8_t *hb_carve_hive(const char *root_name, const char *key_name, int n, size_t *len,
                       uint32_t *first_bin)
{
    struct hb *b = hb_new(5, root_name);
    const uint32_t k = hb_key(b, hb_root(b), key_name);
    uint8_t data[3000];
    for (int i = 0; i < n; i++) {
        const char name[3] = {'v', (char)('0' + i), 0};
        memset(data, 'A' + i, sizeof data);
        hb_value(b, k, name, 3, data, sizeof data);
    }
    uint8_t *img = hb_finish(b, len);
    *first_bin = hb_get32(img, HB_BASE_BLOCK_SIZE + HB_HBIN_SIZE);
    return img;
}

uint32_t hb_last_cell(const uint8_t *img, uint32_t bin_off)
{
    const size_t bin = HB_BASE_BLOCK_SIZE + (size_t)bin_off;
    const uint32_t end = bin_off + hb_get32(img, bin + HB_HBIN_SIZE);
    uint32_t off = bin_off + HB_HBIN_HDR, last = off;
    while (off < end) {
        const int32_t sz = (int32_t)hb_get32(img, HB_BASE_BLOCK_SIZE + (size_t)off);
        const uint32_t mag = (uint32_t)(sz < 0 ? -sz : sz);
        if (mag < 8)
            die("hb_last_cell: bad tiling");
        last = off;
        off += mag;
    }
    return last;
}
