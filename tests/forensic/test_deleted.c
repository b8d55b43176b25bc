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

static int collect(const hk_deleted_record *r, void *ctx)
{
    struct seen *s = ctx;
    size_t n = strlen(s->text);
    char *w = s->text + n;
    size_t room = sizeof s->text - n;
    ck_assert_int_eq(r->path[r->path_len], 0);
    ck_assert_int_eq(r->name[r->name_len], 0);
    if (r->kind == HK_DELETED_KEY) {
        snprintf(w, room, "K 0x%x %s %s %d %llx\n", r->offset,
                 r->where == HK_DELETED_IN_SLACK ? "slack" : "free", r->path, r->path_complete,
                 (unsigned long long)r->last_write);
    } else {
        char hex[256] = "";
        for (uint32_t i = 0; r->data && i < r->data_size && i < 100; i++)
            snprintf(hex + 2 * i, 3, "%02x", r->data[i]);
        snprintf(w, room, "V 0x%x %s %s@%x %s %u %u %u %s\n", r->offset,
                 r->where == HK_DELETED_IN_SLACK ? "slack" : "free", r->path, r->key_offset,
                 r->name, r->reg_type, r->data_size, r->data_state, hex);
    }
    return ++s->count == s->stop_after;
}

static void scan(const uint8_t *img, size_t len, struct seen *s)
{
    hk_hive *h = NULL;
    ck_assert_uint_eq(hk_hive_open_memory(img, len, NULL, &h), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_deleted_scan(h, collect, s), HK_ERROR_SUCCESS);
    ck_assert_str_eq(hk_hive_errmsg(h), "");
    hk_hive_close(h);
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
    /* A nonzero return stops the scan. */
    struct seen one = {"", 1, 0};
    scan(img, len, &one);
    ck_assert_int_eq(one.count, 1);
    free(img);
}
END_TEST

/* A parent that is no key node leaves the path partial; a value whose data
 * cell was allocated again has no data; a value nobody lists has no path. */
START_TEST(partial_path_and_reused_data)
{
    struct hb *b = hb_new(5, "ROOT");
    uint32_t other = hb_cell(b, "not a key node, just data", 25);
    uint8_t r[256];
    uint32_t orphan = hb_free_cell(b, r, (uint32_t)nk_rec(r, "Orphan", other, T_GONE, 0, 0));
    uint32_t val = hb_free_cell(b, r, (uint32_t)vk_rec(r, "lost", HK_REG_BINARY, 25, other));
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

/* A value record in the slack of an allocated cell (after an empty lf
 * list), with inline data. */
START_TEST(value_in_slack)
{
    struct hb *b = hb_new(5, "ROOT");
    uint8_t r[256] = {'l', 'f', 0, 0};
    put32(r + 4, 0x20); /* the old cell's size, freed */
    size_t n = vk_rec(r + 8, "dw", HK_REG_DWORD, 0x80000004u, 0x04030201u);
    uint32_t cell = hb_cell(b, r, (uint32_t)(8 + n));
    size_t len;
    uint8_t *img = hb_finish(b, &len);
    struct seen s = {"", 0, 0};
    scan(img, len, &s);
    ck_assert_str_eq(s.text, fmt("V 0x%x slack @ffffffff dw 4 4 0 01020304\n", cell + 8));
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
    ck_assert_ptr_nonnull(strstr(hk_hive_errmsg(h), "cell size 12 is not a multiple of 8"));
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
    /* A segment allocated again: the data is reused. */
    size_t seg2 = HB_BASE_BLOCK_SIZE + frees[4];
    hb_put32(img, seg2, (uint32_t)0 - hb_get32(img, seg2));
    memset(&s, 0, sizeof s);
    scan(img, len, &s);
    ck_assert_str_eq(s.text, fmt("V 0x%x free Keep@%x big 3 20000 1 \n", vbig, k));
    hk_hive_close(h);
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
    suite_add_tcase(s, tc);
    return s;
}
