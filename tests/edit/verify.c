/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Deep hive checks and tree dumps for the editing suites. */
#include "verify.h"
#include "hivex_walk.h"

#include <check.h>
#include <hivex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/handle.h"
#include "record/encode.h"
#include "record/nk.h"
#include "record/sk.h"
#include "record/subkeys.h"
#include "record/vk.h"
#include "tree/sublist.h"

/* ck_assert_msg, but only a failure reaches Check: Check records every
 * assert that passes (a write to its message file each), and a walk of a
 * hive makes thousands; the suites that verify after every fault injection
 * spent most of their time there. */
#define VERIFY(cond, ...)              \
    do {                               \
        if (!(cond))                   \
            ck_abort_msg(__VA_ARGS__); \
    } while (0)

struct skref {
    uint32_t off, uses;
};

struct vctx {
    struct hive_image *img;
    uint8_t *seen; /* bit per 8-byte offset */
    struct skref *sks;
    uint32_t nsks, capsks;
    struct verify_report *r;
};

static void mark(struct vctx *c, uint32_t off, const char *what)
{
    VERIFY(cell_is_start(c->img, off), "%s at 0x%x is no cell", what, off);
    struct span b;
    VERIFY(cell_get(c->img, off, &b) == HK_ERROR_SUCCESS, "%s at 0x%x is free", what, off);
    uint32_t bit = off / 8;
    VERIFY(!(c->seen[bit / 8] & (1u << (bit % 8))), "%s at 0x%x referenced twice", what, off);
    c->seen[bit / 8] |= (uint8_t)(1u << (bit % 8));
}

static void use_sk(struct vctx *c, uint32_t off)
{
    for (uint32_t i = 0; i < c->nsks; i++) {
        if (c->sks[i].off == off) {
            c->sks[i].uses++;
            return;
        }
    }
    if (c->nsks == c->capsks) {
        c->capsks = c->capsks ? 2 * c->capsks : 64;
        c->sks = realloc(c->sks, c->capsks * sizeof *c->sks);
    }
    c->sks[c->nsks++] = (struct skref){off, 1};
    mark(c, off, "sk");
}

static void check_values(struct vctx *c, const struct nk *nk)
{
    if (nk->value_count == 0)
        return;
    const uint8_t *list;
    VERIFY(vk_list(c->img, nk, &list) == HK_ERROR_SUCCESS, "value list of key 0x%x", nk->off);
    mark(c, nk->values, "value list");
    for (uint32_t i = 0; i < nk->value_count; i++) {
        struct vk vk;
        uint32_t off = le32_unchecked(list + 4 * i);
        VERIFY(vk_read(c->img, off, &vk) == HK_ERROR_SUCCESS, "vk 0x%x: %s", off,
               diag_detail());
        mark(c, off, "vk");
        struct vk_data d;
        VERIFY(vk_data_locate(c->img, &vk, c->img->bb.minor, &d) == HK_ERROR_SUCCESS,
               "data of vk 0x%x: %s", off, diag_detail());
        VERIFY(nk->max_value_name >= 2 * name_units(vk.name), "max value name of key 0x%x",
               nk->off);
        VERIFY(nk->max_value_data >= d.len, "max value data of key 0x%x", nk->off);
        if (d.cell) {
            mark(c, vk.data_off, "value data");
        } else if (d.segments) {
            mark(c, vk.data_off, "db");
            struct span db;
            cell_get(c->img, vk.data_off, &db);
            uint32_t n = le16_unchecked(db.ptr + 2);
            mark(c, le32_unchecked(db.ptr + 4), "db list");
            for (uint32_t s = 0; s < n; s++)
                mark(c, le32_unchecked(d.segments + 4 * s), "db segment");
        }
        c->r->values++;
    }
}

/* Checks the leaves of a list: hints/hashes, capacities; marks the cells. */
static void check_list_cells(struct vctx *c, uint32_t list)
{
    struct span b;
    VERIFY(cell_get(c->img, list, &b) == HK_ERROR_SUCCESS, "subkey list 0x%x is no cell", list);
    mark(c, list, "subkey list");
    uint32_t n = le16_unchecked(b.ptr + 2);
    if (b.ptr[0] == 'r' && b.ptr[1] == 'i') {
        for (uint32_t i = 0; i < n; i++)
            check_list_cells(c, le32_unchecked(b.ptr + 4 + 4 * i));
        return;
    }
    char kind = (char)b.ptr[1];
    VERIFY(n > 0, "empty leaf at 0x%x", list);
    VERIFY(n <= (kind == 'f' ? LEAF_MAX_LF : LEAF_MAX_LH), "leaf 0x%x holds %u", list, n);
    if (kind == 'i')
        return;
    for (uint32_t i = 0; i < n; i++) {
        struct nk child;
        VERIFY(nk_read(c->img, le32_unchecked(b.ptr + 4 + 8 * i), &child) == HK_ERROR_SUCCESS,
               "entry %u of list 0x%x", i, list);
        uint32_t want = leaf_entry_key(kind, child.name);
        VERIFY(le32_unchecked(b.ptr + 8 + 8 * i) == want,
               "entry %u of l%c 0x%x: 0x%08x, expected 0x%08x", i, kind, list,
               le32_unchecked(b.ptr + 8 + 8 * i), want);
    }
}

static void check_key(struct vctx *c, uint32_t off, uint32_t parent, unsigned depth)
{
    VERIFY(depth <= 512, "too deep");
    struct nk nk;
    VERIFY(nk_read(c->img, off, &nk) == HK_ERROR_SUCCESS, "nk 0x%x: %s", off, diag_detail());
    mark(c, off, "nk");
    c->r->keys++;
    if (parent != CELL_NIL)
        VERIFY(nk.parent == parent, "nk 0x%x names parent 0x%x, not 0x%x", off, nk.parent,
               parent);
    if (nk.class_len)
        mark(c, nk.class_off, "class");
    if (nk.sk != CELL_NIL)
        use_sk(c, nk.sk);
    check_values(c, &nk);
    if (nk.subkey_count == 0)
        return;
    check_list_cells(c, nk.subkeys);
    struct subkeys sk;
    VERIFY(subkeys_open(c->img, &nk, &sk) == HK_ERROR_SUCCESS, "list of 0x%x: %s", off,
           diag_detail());
    struct name_ref prev = {NULL, 0, false};
    for (uint32_t i = 0; i < sk.total; i++) {
        uint32_t child;
        VERIFY(subkeys_at(c->img, &sk, i, &child) == HK_ERROR_SUCCESS, "subkey %u of key 0x%x", i,
               off);
        struct nk cn;
        VERIFY(nk_read(c->img, child, &cn) == HK_ERROR_SUCCESS, "subkey %u of key 0x%x", i, off);
        if (i > 0)
            VERIFY(name_cmp(&prev, &cn.name) < 0, "list of key 0x%x out of order at %u", off, i);
        prev = cn.name;
        VERIFY(nk.max_name >= 2 * name_units(cn.name), "max name of key 0x%x", off);
        VERIFY(nk.max_class >= cn.class_len, "max class of key 0x%x", off);
    }
    for (uint32_t i = 0; i < sk.total; i++) {
        uint32_t child;
        VERIFY(subkeys_open(c->img, &nk, &sk) == HK_ERROR_SUCCESS, "list of 0x%x", off);
        VERIFY(subkeys_at(c->img, &sk, i, &child) == HK_ERROR_SUCCESS, "subkey %u of key 0x%x", i,
               off);
        check_key(c, child, off, depth + 1);
    }
}

static void check_ring(struct vctx *c)
{
    if (c->nsks == 0)
        return;
    uint32_t head = c->sks[0].off, cur = head, steps = 0;
    do {
        struct sk sk;
        VERIFY(sk_read(c->img, cur, &sk) == HK_ERROR_SUCCESS, "sk 0x%x", cur);
        bool used = false;
        for (uint32_t i = 0; i < c->nsks; i++) {
            if (c->sks[i].off == cur) {
                used = true;
                VERIFY(sk.refcount == c->sks[i].uses, "sk 0x%x counts %u, used by %u", cur,
                       sk.refcount, c->sks[i].uses);
            }
        }
        VERIFY(used, "sk 0x%x in the ring is used by no key", cur);
        struct sk next;
        VERIFY(sk_read(c->img, sk.flink, &next) == HK_ERROR_SUCCESS, "sk 0x%x: flink", cur);
        VERIFY(next.blink == cur, "sk ring: 0x%x -> 0x%x <- 0x%x", cur, sk.flink, next.blink);
        cur = sk.flink;
        steps++;
        VERIFY(steps <= c->nsks, "sk ring longer than the sks in use");
    } while (cur != head);
    VERIFY(steps == c->nsks, "sk ring shorter than the sks in use");
    c->r->sks = steps;
}

static void count_cells(struct vctx *c)
{
    const uint8_t *bins = c->img->file.data + HBIN_START;
    for (uint32_t bin = 0; bin < c->img->bins_size; bin += le32_unchecked(bins + bin + 8)) {
        uint32_t end = bin + le32_unchecked(bins + bin + 8);
        bool prev_free = false;
        for (uint32_t off = bin + 32; off < end;) {
            int32_t raw = (int32_t)le32_unchecked(bins + off);
            uint32_t size = raw < 0 ? (uint32_t)-raw : (uint32_t)raw;
            uint32_t bit = off / 8;
            if (raw < 0 && !(c->seen[bit / 8] & (1u << (bit % 8))))
                c->r->unreferenced++;
            if (raw > 0) {
                c->r->free_cells++;
                if (prev_free)
                    c->r->free_pairs++;
            }
            prev_free = raw > 0;
            off += size;
        }
    }
}

void verify_hive(hk_hive *hive, struct verify_report *out)
{
    struct verify_report r = {0};
    struct vctx c = {&hive->img, NULL, NULL, 0, 0, &r};
    ck_assert_uint_eq(image_walk_all(c.img), HK_ERROR_SUCCESS);
    c.seen = calloc(c.img->bins_size / 64 + 1, 1);
    check_key(&c, c.img->bb.root, CELL_NIL, 0);
    check_ring(&c);
    count_cells(&c);
    free(c.seen);
    free(c.sks);
    if (out)
        *out = r;
}

void verify_file(const char *path, struct verify_report *out)
{
    hk_open_options o = HK_OPEN_OPTIONS_INIT;
    o.flags = HK_OPEN_WRITE;
    hk_hive *h;
    ck_assert_msg(hk_hive_open(path, &o, &h) == HK_ERROR_SUCCESS, "open %s: %s", path, hk_errmsg());
    hk_hive_info hi = HK_HIVE_INFO_INIT;
    ck_assert_uint_eq(hk_hive_info_get(h, &hi), HK_ERROR_SUCCESS);
    ck_assert_msg(!hi.dirty && hi.checksum_ok, "%s saved dirty", path);
    ck_assert_uint_eq(hi.file_size, 4096u + hi.bins_size);
    verify_hive(h, out);
    hk_hive_close(h);
}

/* ---- dumps ---------------------------------------------------------------- */

int dump_times;
int dump_classes;

struct sbuf {
    char *p;
    size_t len, cap;
};

static void sb_add(struct sbuf *b, const void *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->p = realloc(b->p, b->cap);
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void sb_str(struct sbuf *b, const char *s)
{
    sb_add(b, s, strlen(s));
}

static void sb_hex(struct sbuf *b, const uint8_t *d, size_t n)
{
    char two[3];
    for (size_t i = 0; i < n; i++) {
        snprintf(two, sizeof two, "%02x", d[i]);
        sb_add(b, two, 2);
    }
}

static void sb_value(struct sbuf *b, const char *name, uint32_t type, const uint8_t *d, size_t n)
{
    char line[64];
    sb_str(b, "  \"");
    sb_str(b, name);
    snprintf(line, sizeof line, "\" type %u len %zu ", type, n);
    sb_str(b, line);
    sb_hex(b, d, n);
    sb_str(b, "\n");
}

static void sb_time(struct sbuf *b, uint64_t t)
{
    char line[40];
    snprintf(line, sizeof line, "  @%llu\n", (unsigned long long)t);
    sb_str(b, line);
}

/* "  class HEX\n" of a class given as UTF-16LE bytes (nothing for none). */
static void sb_class(struct sbuf *b, const uint8_t *units, size_t n)
{
    if (!n)
        return;
    sb_str(b, "  class ");
    sb_hex(b, units, n);
    sb_str(b, "\n");
}

static void dump_key(struct sbuf *b, hk_key *k, const char *path)
{
    sb_str(b, "[");
    sb_str(b, path);
    sb_str(b, "]\n");
    if (dump_times) {
        hk_key_info ki = HK_KEY_INFO_INIT;
        ck_assert_uint_eq(hk_query_info_key(k, NULL, NULL, &ki), HK_ERROR_SUCCESS);
        sb_time(b, ki.last_write);
    }
    if (dump_classes) {
        /* The class through the API (UTF-8), back to UTF-16LE: the classes
         * the suites use are ASCII. */
        char cls[1024];
        size_t csz = sizeof cls;
        hk_key_info ki = HK_KEY_INFO_INIT;
        ck_assert_uint_eq(hk_query_info_key(k, cls, &csz, &ki), HK_ERROR_SUCCESS);
        uint8_t u[2048];
        for (size_t i = 0; i < csz; i++) {
            ck_assert_uint_lt((unsigned char)cls[i], 0x80);
            u[2 * i] = (uint8_t)cls[i];
            u[2 * i + 1] = 0;
        }
        sb_class(b, u, 2 * csz);
    }
    for (uint32_t i = 0;; i++) {
        char name[65536];
        size_t nsz = sizeof name, dsz = 0;
        uint32_t type;
        hk_status st = hk_enum_value(k, i, name, &nsz, &type, NULL, &dsz);
        if (st == HK_ERROR_NO_MORE_ITEMS)
            break;
        ck_assert_uint_eq(st, HK_ERROR_SUCCESS);
        uint8_t *d = malloc(dsz + 1);
        ck_assert_uint_eq(hk_query_value_ex(k, name, &type, d, &dsz), HK_ERROR_SUCCESS);
        sb_value(b, name, type, d, dsz);
        free(d);
    }
    for (uint32_t i = 0;; i++) {
        hk_key *child;
        hk_status st = hk_open_subkey_at(k, i, HK_KEY_READ, &child);
        if (st == HK_ERROR_NO_MORE_ITEMS)
            break;
        ck_assert_msg(st == HK_ERROR_SUCCESS, "subkey %u of %s: %u", i, path, st);
        char name[1024];
        size_t nsz = sizeof name;
        ck_assert_uint_eq(hk_key_name(child, name, &nsz), HK_ERROR_SUCCESS);
        char *sub = malloc(strlen(path) + nsz + 2);
        sprintf(sub, "%s\\%s", path, name);
        dump_key(b, child, sub);
        free(sub);
        hk_close_key(child);
    }
}

char *dump_hivekit(hk_hive *hive)
{
    struct sbuf b = {NULL, 0, 0};
    sb_str(&b, "");
    hk_key *root;
    ck_assert_uint_eq(hk_hive_root(hive, &root), HK_ERROR_SUCCESS);
    dump_key(&b, root, "");
    hk_close_key(root);
    return b.p;
}

char *dump_hivekit_key(hk_key *key)
{
    struct sbuf b = {NULL, 0, 0};
    sb_str(&b, "");
    dump_key(&b, key, "");
    return b.p;
}

char *dump_hivekit_file(const char *path)
{
    hk_hive *h;
    ck_assert_uint_eq(hk_hive_open(path, NULL, &h), HK_ERROR_SUCCESS);
    char *s = dump_hivekit(h);
    hk_hive_close(h);
    return s;
}

/* The file dump_hivex_file reads, for the classes libhivex has no call for:
 * its node handles are file offsets of key cells, and the class is read
 * from there by the format's offsets (nk +0x30 class cell, +0x4A length). */
static const uint8_t *hx_file;
static size_t hx_len;

static void hx_class(struct sbuf *b, hive_node_h node)
{
    size_t nk = (size_t)node + 4;
    ck_assert_uint_le(nk + 0x4C, hx_len);
    uint32_t off = (uint32_t)hx_file[nk + 0x30] | (uint32_t)hx_file[nk + 0x31] << 8 |
                   (uint32_t)hx_file[nk + 0x32] << 16 | (uint32_t)hx_file[nk + 0x33] << 24;
    size_t len = (size_t)hx_file[nk + 0x4A] | (size_t)hx_file[nk + 0x4B] << 8;
    if (off == 0xFFFFFFFFu || len == 0)
        return;
    ck_assert_uint_le((size_t)off + 0x1004 + len, hx_len);
    sb_class(b, hx_file + 0x1004 + off, len);
}

static void dump_hx_key(void *ctx, hive_h *h, hive_node_h node, const char *path)
{
    struct sbuf *b = ctx;
    (void)h;
    sb_str(b, "[");
    sb_str(b, path);
    sb_str(b, "]\n");
    if (dump_times)
        sb_time(b, (uint64_t)hivex_node_timestamp(h, node));
    if (dump_classes)
        hx_class(b, node);
}

static void dump_hx_value(void *ctx, const char *path, const char *name, uint32_t type,
                          const uint8_t *data, size_t len)
{
    (void)path;
    sb_value(ctx, name, type, data, len);
}

char *dump_hivex_file(const char *path)
{
    hive_h *h = hivex_open(path, 0);
    ck_assert_msg(h != NULL, "hivex cannot open %s", path);
    uint8_t *file = dump_classes ? slurp(path, &hx_len) : NULL;
    hx_file = file;
    struct sbuf b = {NULL, 0, 0};
    sb_str(&b, "");
    const struct hx_visit v = {dump_hx_key, dump_hx_value, &b};
    hx_walk(h, hivex_root(h), "", &v);
    hivex_close(h);
    free(file);
    hx_file = NULL;
    return b.p;
}

void temp_path(char *buf, size_t size, const char *tag)
{
    static unsigned seq;
    const char *dir = getenv("TMPDIR");
    snprintf(buf, size, "%s/hk-edit-%ld-%u-%s", dir && *dir ? dir : "/tmp", (long)getpid(), seq++,
             tag);
    unlink(buf);
}

/* ---- small helpers of the API suites ------------------------------------ */

hk_hive *new_hive(uint32_t minor)
{
    hk_hive *h;
    ck_assert_uint_eq(hk_hive_create(minor, "ROOT", &h), HK_ERROR_SUCCESS);
    hk_hive_set_clock(h, CLOCK);
    return h;
}

hk_key *root_of(hk_hive *h)
{
    hk_key *r;
    ck_assert_uint_eq(hk_hive_root(h, &r), HK_ERROR_SUCCESS);
    return r;
}

/* Saves, checks deeply, compares hivekit's and libhivex's dumps; returns the path. */
void save_check(hk_hive *h, char *path, size_t size, struct verify_report *r)
{
    temp_path(path, size, "hive");
    ck_assert_msg(hk_hive_save(h, path, 0) == HK_ERROR_SUCCESS, "save: %s", hk_errmsg());
    verify_file(path, r);
    char *a = dump_hivekit_file(path), *b = dump_hivex_file(path);
    ck_assert_str_eq(a, b);
    free(a);
    free(b);
}
