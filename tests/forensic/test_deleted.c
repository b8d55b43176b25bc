/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hk_deleted_scan on hives built by the test-side builder with deleted keys
 * and values crafted into free cells and slack: the exact records, paths,
 * timestamps and data. */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hive_builder.h"
#include "hivekit.h"

Suite *test_suite(void);

#define T_GONE 0x01D0000011112222ull
#define T_CHILD 0x01D0000033334444ull

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, (uint16_t)v);
    put16(p + 2, (uint16_t)(v >> 16));
}

/* An nk record (Latin-1 name) as Windows leaves it when it frees a key. */
static size_t nk_rec(uint8_t *p, const char *name, uint32_t parent, uint64_t time,
                     uint32_t values, uint32_t list)
{
    size_t n = strlen(name);
    memset(p, 0, HB_NK_NAME + n);
    p[0] = 'n';
    p[1] = 'k';
    put16(p + HB_NK_FLAGS, HB_NK_COMP_NAME);
    put32(p + HB_NK_TIME, (uint32_t)time);
    put32(p + HB_NK_TIME + 4, (uint32_t)(time >> 32));
    put32(p + HB_NK_PARENT, parent);
    put32(p + HB_NK_SUBKEY_LIST, HB_NIL);
    put32(p + HB_NK_VOL_SUBKEY_LIST, HB_NIL);
    put32(p + HB_NK_VALUE_COUNT, values);
    put32(p + HB_NK_VALUE_LIST, values ? list : HB_NIL);
    put32(p + HB_NK_SK, HB_NIL);
    put32(p + HB_NK_CLASS, HB_NIL);
    put16(p + HB_NK_NAME_LEN, (uint16_t)n);
    memcpy(p + HB_NK_NAME, name, n);
    return HB_NK_NAME + n;
}

static size_t vk_rec(uint8_t *p, const char *name, uint32_t type, uint32_t size, uint32_t data)
{
    size_t n = strlen(name);
    memset(p, 0, HB_VK_NAME + n);
    p[0] = 'v';
    p[1] = 'k';
    put16(p + HB_VK_NAME_LEN, (uint16_t)n);
    put32(p + HB_VK_DATA_SIZE, size);
    put32(p + HB_VK_DATA, data);
    put32(p + HB_VK_TYPE, type);
    put16(p + HB_VK_FLAGS, HB_VK_COMP_NAME);
    memcpy(p + HB_VK_NAME, name, n);
    return HB_VK_NAME + n;
}

/* One line per record: "K off path complete last_write" or
 * "V off where path|owner name type size state hex". */
struct seen {
    char text[4096];
    int stop_after;
    int count;
};

static const char *where_name(uint32_t where)
{
    static const char *const names[] = {"?", "free", "slack", "remnant", "unref"};
    return where < 5 ? names[where] : "?";
}

static int collect(const hk_deleted_record *r, void *ctx)
{
    struct seen *s = ctx;
    size_t n = strlen(s->text);
    char *w = s->text + n;
    size_t room = sizeof s->text - n;
    ck_assert_int_eq(r->path[r->path_len], 0);
    ck_assert_int_eq(r->name[r->name_len], 0);
    if (r->kind == HK_DELETED_KEY) {
        snprintf(w, room, "K 0x%x %s %s %d %llx\n", r->offset, where_name(r->where), r->path,
                 r->path_complete,
                 (unsigned long long)r->last_write);
    } else {
        char hex[256] = "";
        for (uint32_t i = 0; r->data && i < r->data_size && i < 100; i++)
            snprintf(hex + 2 * i, 3, "%02x", r->data[i]);
        snprintf(w, room, "V 0x%x %s %s@%x %s %u %u %u %s\n", r->offset, where_name(r->where),
                 r->path, r->key_offset,
                 r->name, r->reg_type, r->data_size, r->data_state, hex);
    }
    return ++s->count == s->stop_after;
}

static void scan(const uint8_t *img, size_t len, struct seen *s)
{
    hk_hive *h = NULL;
    ck_assert_uint_eq(hk_hive_open_memory(img, len, NULL, &h), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_deleted_scan(h, collect, s),
                      s->stop_after ? HK_ERROR_CANCELLED : HK_ERROR_SUCCESS);
    ck_assert_str_eq(hk_errmsg(), "");
    hk_hive_close(h);
}

/* "cell offset len first-12-bytes-hex" per slack. */
static int collect_slack(const hk_slack *sl, void *ctx)
{
    struct seen *s = ctx;
    size_t n = strlen(s->text);
    n += (size_t)snprintf(s->text + n, sizeof s->text - n, "0x%x 0x%x %zu ", sl->cell, sl->offset,
                          sl->len);
    for (size_t i = 0; i < sl->len && i < 12; i++)
        n += (size_t)snprintf(s->text + n, sizeof s->text - n, "%02x", sl->bytes[i]);
    snprintf(s->text + n, sizeof s->text - n, "\n");
    return ++s->count == s->stop_after;
}

static const char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static const char *fmt(const char *f, ...)
{
    static char buf[2048];
    va_list ap;
    va_start(ap, f);
    vsnprintf(buf, sizeof buf, f, ap);
    va_end(ap);
    return buf;
}

/* Live\Gone (deleted, one value "val" with data in a free cell) and
 * Live\Gone\Child (deleted, below the deleted key). */
START_TEST(deleted_key_with_value_and_deleted_child)
{
    struct hb *b = hb_new(5, "ROOT");
    uint32_t live = hb_key(b, hb_root(b), "Live");
    uint8_t r[256];
    uint32_t data = hb_free_cell(b, "h\0i\0\0\0", 6);
    uint32_t val = hb_free_cell(b, r, (uint32_t)vk_rec(r, "val", HK_REG_SZ, 6, data));
    put32(r, val);
    uint32_t list = hb_free_cell(b, r, 4);
    uint32_t gone = hb_free_cell(b, r, (uint32_t)nk_rec(r, "Gone", live, T_GONE, 1, list));
    uint32_t child = hb_free_cell(b, r, (uint32_t)nk_rec(r, "Child", gone, T_CHILD, 0, 0));
    size_t len;
    uint8_t *img = hb_finish(b, &len);
    struct seen s = {"", 0, 0};
    scan(img, len, &s);
    char want[1024];
    snprintf(want, sizeof want,
             "V 0x%x free Live\\Gone@%x val 1 6 0 680069000000\n"
             "K 0x%x free Live\\Gone 1 %llx\n"
             "K 0x%x free Live\\Gone\\Child 1 %llx\n",
             val, gone, gone, (unsigned long long)T_GONE, child, (unsigned long long)T_CHILD);
    ck_assert_str_eq(s.text, want);
    /* A nonzero return stops the scan: CANCELLED, no record after it. */
    struct seen one = {"", 1, 0};
    scan(img, len, &one);
    ck_assert_int_eq(one.count, 1);
    free(img);
}
END_TEST

/* A parent that is no key node leaves the path partial; a value whose data
 * cell a live key uses again has no data; a value nobody lists has no path. */
START_TEST(partial_path_and_reused_data)
{
    struct hb *b = hb_new(5, "ROOT");
    uint32_t live = hb_key(b, hb_root(b), "Live");
    uint32_t other = hb_cell(b, "not a key node, just data", 25);
    uint8_t r[256];
    uint32_t orphan = hb_free_cell(b, r, (uint32_t)nk_rec(r, "Orphan", other, T_GONE, 0, 0));
    uint32_t val = hb_free_cell(b, r, (uint32_t)vk_rec(r, "lost", HK_REG_BINARY, 25, live));
    size_t len;
    uint8_t *img = hb_finish(b, &len);
    struct seen s = {"", 0, 0};
    scan(img, len, &s);
    ck_assert_str_eq(s.text, fmt("K 0x%x free Orphan 0 %llx\n"
                                 "V 0x%x free @ffffffff lost 3 25 1 \n",
                                 orphan, (unsigned long long)T_GONE, val));
    free(img);
}
END_TEST

/* A value record in the slack of a live value's data cell (its record
 * declares fewer bytes than the cell holds), with inline data. */
START_TEST(value_in_slack)
{
    struct hb *b = hb_new(5, "ROOT");
    uint32_t k = hb_key(b, hb_root(b), "k");
    static const uint8_t zeros[60];
    uint32_t v = hb_value(b, k, "d", HK_REG_BINARY, zeros, sizeof zeros);
    size_t len;
    uint8_t *img = hb_finish(b, &len);
    uint32_t data = hb_get32(img, hb_rec(v) + HB_VK_DATA);
    hb_put32(img, hb_rec(v) + HB_VK_DATA_SIZE, 8); /* uses 4 + 8: slack from data + 16 */
    uint8_t r[64];
    put32(r, 0x28); /* the old cell's size, freed */
    size_t n = vk_rec(r + 4, "dw", HK_REG_DWORD, 0x80000004u, 0x04030201u);
    memcpy(img + HB_BASE_BLOCK_SIZE + data + 16, r, 4 + n);
    struct seen s = {"", 0, 0};
    scan(img, len, &s);
    ck_assert_str_eq(s.text, fmt("V 0x%x slack @ffffffff dw 4 4 0 01020304\n", data + 16));
    /* The slack itself: the data cell's bytes after the 8 in use. */
    memset(&s, 0, sizeof s);
    hk_hive *h = NULL;
    ck_assert_uint_eq(hk_hive_open_memory(img, len, NULL, &h), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_slack_scan(h, collect_slack, &s), HK_ERROR_SUCCESS);
    uint32_t cell = (uint32_t)-(int32_t)hb_get32(img, HB_BASE_BLOCK_SIZE + data);
    /* (Key nodes end in slack too: name bytes short of a multiple of 8.) */
    ck_assert_ptr_nonnull(strstr(s.text, fmt("\n0x%x 0x%x %u 0000000028000000766b0200\n", data,
                                             data + 12, cell - 12)));
    ck_assert_int_ge(s.count, 2);
    /* A stop request: CANCELLED, no slack after it. */
    struct seen one = {"", 1, 0};
    ck_assert_uint_eq(hk_slack_scan(h, collect_slack, &one), HK_ERROR_CANCELLED);
    ck_assert_int_eq(one.count, 1);
    ck_assert_uint_eq(hk_slack_scan(h, NULL, &s), HK_ERROR_INVALID_PARAMETER);
    hk_hive_close(h);
    free(img);
}
END_TEST

/* Garbage the scan decodes and rejects (a key node whose name runs past its
 * cell) is not the hive's detail, not even while the scan runs. */
struct probe {
    hk_hive *h;
    int count;
    char details[256];
};

static int probe_detail(const hk_deleted_record *r, void *ctx)
{
    struct probe *p = ctx;
    (void)r;
    size_t n = strlen(p->details);
    snprintf(p->details + n, sizeof p->details - n, "%s", hk_errmsg());
    p->count++;
    return 0;
}

START_TEST(rejected_candidates_leave_no_detail)
{
    struct hb *b = hb_new(5, "ROOT");
    uint32_t live = hb_key(b, hb_root(b), "Live");
    uint8_t r[256];
    size_t n = nk_rec(r, "Bad", live, T_GONE, 0, 0);
    put16(r + HB_NK_NAME_LEN, 0x4000);
    hb_free_cell(b, r, (uint32_t)n);
    uint32_t gone = hb_free_cell(b, r, (uint32_t)nk_rec(r, "Gone", live, T_GONE, 0, 0));
    size_t len;
    uint8_t *img = hb_finish(b, &len);
    hk_hive *h = NULL;
    ck_assert_uint_eq(hk_hive_open_memory(img, len, NULL, &h), HK_ERROR_SUCCESS);
    struct probe p = {h, 0, ""};
    ck_assert_uint_eq(hk_deleted_scan(h, probe_detail, &p), HK_ERROR_SUCCESS);
    ck_assert_int_eq(p.count, 1); /* Gone only */
    ck_assert_str_eq(p.details, "");
    ck_assert_str_eq(hk_errmsg(), "");
    struct seen s = {"", 0, 0};
    ck_assert_uint_eq(hk_deleted_scan(h, collect, &s), HK_ERROR_SUCCESS);
    ck_assert_str_eq(s.text, fmt("K 0x%x free Live\\Gone 1 %llx\n", gone,
                                 (unsigned long long)T_GONE));
    hk_hive_close(h);
    free(img);
}
END_TEST

/* Data of a deleted value that the free cell cannot hold is unavailable. */
START_TEST(data_larger_than_its_free_cell_is_invalid)
{
    struct hb *b = hb_new(5, "ROOT");
    uint8_t r[256];
    uint32_t data = hb_free_cell(b, "abcd", 4); /* an 8-byte cell */
    uint32_t val = hb_free_cell(b, r, (uint32_t)vk_rec(r, "big", HK_REG_BINARY, 64, data));
    size_t len;
    uint8_t *img = hb_finish(b, &len);
    struct seen s = {"", 0, 0};
    scan(img, len, &s);
    ck_assert_str_eq(s.text, fmt("V 0x%x free @ffffffff big 3 64 2 \n", val));
    free(img);
}
END_TEST

/* A clean hive has nothing deleted; a broken tiling is BADDB unless the
 * hive was opened for salvage. */
START_TEST(clean_hive_and_broken_tiling)
{
    struct hb *b = hb_new(5, "ROOT");
    uint32_t k = hb_key(b, hb_root(b), "k");
    static uint8_t blob[6000];
    hb_value(b, k, "blob", HK_REG_BINARY, blob, sizeof blob); /* a second bin */
    size_t len;
    uint8_t *img = hb_finish(b, &len);
    struct seen s = {"", 0, 0};
    scan(img, len, &s);
    ck_assert_str_eq(s.text, "");
    uint32_t bin2 = hb_get32(img, HB_BASE_BLOCK_SIZE + HB_HBIN_SIZE);
    ck_assert_uint_lt(bin2, hb_get32(img, HB_REGF_BINS_SIZE));
    uint32_t last = hb_last_cell(img, bin2);
    hb_put32(img, HB_BASE_BLOCK_SIZE + last, 12);
    hk_hive *h = NULL;
    ck_assert_uint_eq(hk_hive_open_memory(img, len, NULL, &h), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_deleted_scan(h, collect, &s), HK_ERROR_BADDB);
    ck_assert_ptr_nonnull(strstr(hk_errmsg(), "cell size 12 is not a multiple of 8"));
    hk_hive_close(h);
    hk_open_options o = HK_OPEN_OPTIONS_INIT;
    o.flags = HK_OPEN_SALVAGE;
    ck_assert_uint_eq(hk_hive_open_memory(img, len, &o, &h), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_deleted_scan(h, collect, &s), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_deleted_scan(NULL, collect, &s), HK_ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(hk_deleted_scan(h, NULL, &s), HK_ERROR_INVALID_PARAMETER);
    hk_hive_close(h);
    free(img);
}
END_TEST

static int compare_big(const hk_deleted_record *r, void *ctx)
{
    ck_assert_uint_eq(r->data_size, 20000);
    ck_assert_ptr_nonnull(r->data);
    ck_assert_int_eq(memcmp(r->data, ctx, 20000), 0);
    return 0;
}

/* Deleting a key's last value leaves its offset in the list's tail: the
 * freed value belongs to the live key. Big data comes back from free db,
 * segment list and segment cells. */
START_TEST(values_in_a_live_list_tail_with_big_data)
{
    struct hb *b = hb_new(5, "ROOT");
    uint32_t k = hb_key(b, hb_root(b), "Keep");
    static uint8_t big[20000];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (uint8_t)(i * 7);
    hb_value(b, k, "stay", HK_REG_BINARY, "0123456789ab", 12);
    uint32_t vbig = hb_value(b, k, "big", HK_REG_BINARY, big, sizeof big);
    size_t len;
    uint8_t *img = hb_finish(b, &len);
    /* Free what deleting "big" frees: the vk, db, segment list, segments. */
    uint32_t db = hb_get32(img, hb_rec(vbig) + HB_VK_DATA);
    uint32_t list = hb_get32(img, hb_rec(db) + HB_DB_LIST);
    uint32_t frees[5] = {vbig, db, list, hb_get32(img, hb_rec(list)),
                         hb_get32(img, hb_rec(list) + 4)};
    for (int i = 0; i < 5; i++) {
        size_t at = HB_BASE_BLOCK_SIZE + frees[i];
        hb_put32(img, at, (uint32_t)0 - hb_get32(img, at));
    }
    hb_put32(img, hb_rec(k) + HB_NK_VALUE_COUNT, 1);
    struct seen s = {"", 0, 0};
    scan(img, len, &s);
    char hex[201];
    for (int i = 0; i < 100; i++)
        snprintf(hex + 2 * i, 3, "%02x", big[i]);
    ck_assert_str_eq(s.text, fmt("V 0x%x free Keep@%x big 3 20000 0 %s\n", vbig, k, hex));
    /* All 20000 bytes, across both segments. */
    hk_hive *h = NULL;
    ck_assert_uint_eq(hk_hive_open_memory(img, len, NULL, &h), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_deleted_scan(h, compare_big, big), HK_ERROR_SUCCESS);
    /* A segment allocated again, unreferenced ("healed"): no live record
     * uses it, the data is still there. */
    size_t seg2 = HB_BASE_BLOCK_SIZE + frees[4];
    hb_put32(img, seg2, (uint32_t)0 - hb_get32(img, seg2));
    memset(&s, 0, sizeof s);
    scan(img, len, &s);
    ck_assert_ptr_nonnull(strstr(s.text, fmt("V 0x%x free Keep@%x big 3 20000 0 %s\n", vbig, k, hex)));
    /* A segment a live record uses: the data is reused. */
    hb_put32(img, hb_rec(list) + 4, k);
    memset(&s, 0, sizeof s);
    scan(img, len, &s);
    ck_assert_str_eq(s.text, fmt("V 0x%x free Keep@%x big 3 20000 1 \n", vbig, k));
    hk_hive_close(h);
    free(img);
}
END_TEST

/* Flags, orphans and copies of each record, one line each:
 * "off where missing orphan copies". */
static int collect_flags(const hk_deleted_record *r, void *ctx)
{
    struct seen *s = ctx;
    size_t n = strlen(s->text);
    snprintf(s->text + n, sizeof s->text - n, "0x%x %s %x %d %u\n", r->offset,
             where_name(r->where), r->missing, r->orphan, r->copies);
    return 0;
}

static void scan_flags(const uint8_t *img, size_t len, struct seen *s)
{
    hk_hive *h = NULL;
    ck_assert_uint_eq(hk_hive_open_memory(img, len, NULL, &h), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_deleted_scan(h, collect_flags, s), HK_ERROR_SUCCESS);
    hk_hive_close(h);
}

/* Deleted "3" whose parent link points at no key node, its deleted child
 * "4" and grandchild "5": each path starts at "3", marked partial. */
START_TEST(broken_parent_chain_keeps_the_partial_path)
{
    struct hb *b = hb_new(5, "ROOT");
    uint8_t r[256];
    uint32_t k3 = hb_free_cell(b, r, (uint32_t)nk_rec(r, "3", 0x7777770u, T_GONE, 0, 0));
    uint32_t k4 = hb_free_cell(b, r, (uint32_t)nk_rec(r, "4", k3, T_GONE, 0, 0));
    uint32_t k5 = hb_free_cell(b, r, (uint32_t)nk_rec(r, "5", k4, T_CHILD, 0, 0));
    size_t len;
    uint8_t *img = hb_finish(b, &len);
    struct seen s = {"", 0, 0};
    scan(img, len, &s);
    ck_assert_str_eq(s.text, fmt("K 0x%x free 3 0 %llx\n"
                                 "K 0x%x free 3\\4 0 %llx\n"
                                 "K 0x%x free 3\\4\\5 0 %llx\n",
                                 k3, (unsigned long long)T_GONE, k4, (unsigned long long)T_GONE,
                                 k5, (unsigned long long)T_CHILD));
    memset(&s, 0, sizeof s);
    scan_flags(img, len, &s);
    ck_assert_str_eq(s.text, fmt("0x%x free 1 0 1\n0x%x free 1 0 1\n0x%x free 1 0 1\n", k3, k4, k5));
    free(img);
}
END_TEST

/* Bytes after the last bin (an old bin of a larger file): a deleted default
 * value REG_DWORD 1 and a key whose parent is a live key, at offsets that
 * continue the bins'. A copy of the key in a free cell is folded into the
 * first found. */
START_TEST(remnant_data_after_the_last_bin)
{
    struct hb *b = hb_new(5, "ROOT");
    uint32_t live = hb_key(b, hb_root(b), "Live");
    uint8_t r[256];
    size_t kn = nk_rec(r, "Old", live, T_GONE, 1, 0x2000 + 0x40);
    uint32_t copy = hb_free_cell(b, r, (uint32_t)kn);
    size_t len;
    uint8_t *img = hb_finish(b, &len);
    uint32_t bins = hb_get32(img, HB_REGF_BINS_SIZE);
    ck_assert_uint_eq(len, HB_BASE_BLOCK_SIZE + bins);
    uint8_t *grown = calloc(1, len + 0x1000);
    memcpy(grown, img, len);
    uint8_t *old = grown + len; /* an old bin: its header, then cells */
    memcpy(old, "hbin", 4);
    put32(old + 4, bins);
    put32(old + 8, 0x1000);
    put32(old + 0x20, 0x58); /* the key "Old", allocated once */
    memcpy(old + 0x24, r, kn);
    put32(old + 0x20 + 0x58, 0x20); /* its value list: one entry */
    put32(old + 0x20 + 0x58 + 4, bins + 0x20 + 0x58 + 0x20);
    put32(old + 0x20 + 0x78, (uint32_t)-0x20); /* the default value, 1 inline */
    vk_rec(old + 0x20 + 0x78 + 4, "", HK_REG_DWORD, 0x80000004u, 1);
    put32(old + 0x20 + 0x98, 0xF48);
    /* The copy in the live bins names the remnant list as its own. */
    hb_put32(grown, hb_rec(copy) + HB_NK_VALUE_LIST, bins + 0x78);
    put32(old + 0x24 + HB_NK_VALUE_LIST, bins + 0x78);
    struct seen s = {"", 0, 0};
    scan(grown, len + 0x1000, &s);
    ck_assert_str_eq(s.text, fmt("K 0x%x free Live\\Old 1 %llx\n"
                                 "V 0x%x remnant Live\\Old@%x  4 4 0 01000000\n",
                                 copy, (unsigned long long)T_GONE, bins + 0x98, copy));
    memset(&s, 0, sizeof s);
    scan_flags(grown, len + 0x1000, &s);
    ck_assert_str_eq(s.text, fmt("0x%x free 0 0 2\n0x%x remnant 0 0 1\n", copy, bins + 0x98));
    free(grown);
    free(img);
}
END_TEST

/* "Healed" space: a deleted key node at the start of a cell allocated
 * again but referenced by nothing (an intact record: orphan), its value
 * list likewise, and its value inside a larger allocated cell behind its
 * old cell size, with its data in a free cell. */
START_TEST(allocated_cells_no_key_reaches)
{
    struct hb *b = hb_new(5, "ROOT");
    uint8_t r[256];
    uint32_t data = hb_free_cell(b, "t\0e\0s\0t\0\0\0", 10);
    uint8_t big[96] = {0};
    put32(big + 4, 0x28);
    size_t vn = vk_rec(big + 8, "123", HK_REG_SZ, 10, data);
    uint32_t holder = hb_cell(b, big, (uint32_t)(8 + vn + 16));
    put32(r, holder + 8);
    uint32_t list = hb_cell(b, r, 4);
    uint32_t key = hb_cell(b, r, (uint32_t)nk_rec(r, "cccc", hb_root(b), T_GONE, 1, list));
    size_t len;
    uint8_t *img = hb_finish(b, &len);
    struct seen s = {"", 0, 0};
    scan(img, len, &s);
    ck_assert_str_eq(s.text, fmt("V 0x%x unref cccc@%x 123 1 10 0 74006500730074000000\n"
                                 "K 0x%x unref cccc 0 %llx\n",
                                 holder + 8, key, key, (unsigned long long)T_GONE));
    /* The orphan's path starts at itself, partial, though its parent link
     * names the root: no path from the root reaches it. */
    memset(&s, 0, sizeof s);
    scan_flags(img, len, &s);
    ck_assert_str_eq(s.text, fmt("0x%x unref 1 0 1\n0x%x unref 1 1 1\n", holder + 8, key));
    free(img);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("deleted");
    TCase *tc = tcase_create("deleted");
    tcase_add_test(tc, deleted_key_with_value_and_deleted_child);
    tcase_add_test(tc, partial_path_and_reused_data);
    tcase_add_test(tc, value_in_slack);
    tcase_add_test(tc, data_larger_than_its_free_cell_is_invalid);
    tcase_add_test(tc, clean_hive_and_broken_tiling);
    tcase_add_test(tc, values_in_a_live_list_tail_with_big_data);
    tcase_add_test(tc, broken_parent_chain_keeps_the_partial_path);
    tcase_add_test(tc, remnant_data_after_the_last_bin);
    tcase_add_test(tc, allocated_cells_no_key_reaches);
    tcase_add_test(tc, rejected_candidates_leave_no_detail);
    suite_add_tcase(s, tc);
    return s;
}
