/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Resource caps on hand-built hostile hives: every count and length a file
 * states is checked against what the file holds before it is used, so a
 * claim of 2 GB of data or a million entries in an 8 KB hive fails with a
 * BADDB naming the rule, and no allocation is larger than the file (the
 * allocator seam's largest-request counter says so); key depth stops at
 * exactly 512 levels and a cycle back to the root fails at its first step.
 * On write, Windows' name limits hold: 255 UTF-16 units for a key, 16,383
 * for a value name.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "base/alloc.h"
#include "hive_builder.h"
#include "hivekit.h"

Suite *test_suite(void);

static size_t file_len;

static hk_hive *open_img(uint8_t *img, size_t len)
{
    hk_hive *h = NULL;
    alloc_stats_reset_largest();
    file_len = len;
    ck_assert_uint_eq(hk_hive_open_memory(img, len, NULL, &h), HK_ERROR_SUCCESS);
    free(img);
    return h;
}

/* st is BADDB and the detail holds rule; nothing allocated exceeded
 * the file's size. */
static void expect_rule(hk_status st, const char *rule)
{
    ck_assert_msg(st == HK_ERROR_BADDB, "status %u, want BADDB (%s)", st, hk_errmsg());
    ck_assert_msg(strstr(hk_errmsg(), rule) != NULL, "detail \"%s\" lacks \"%s\"",
                  hk_errmsg(), rule);
    struct alloc_stats as;
    alloc_stats_get(&as);
    ck_assert_msg(as.largest <= file_len, "an allocation of %zu bytes for a %zu-byte file",
                  as.largest, file_len);
}

static hk_key *root_of(hk_hive *h)
{
    hk_key *r;
    ck_assert_uint_eq(hk_hive_root(h, &r), HK_ERROR_SUCCESS);
    return r;
}

static void close_all(hk_key *k, hk_hive *h)
{
    hk_close_key(k);
    hk_hive_close(h);
}

/* ---- values ------------------------------------------------------------ */

static const uint8_t eight[8] = {'a', 0, 'b', 0, 'c', 0, 0, 0};

START_TEST(value_claiming_2gb_in_one_cell)
{
    struct hb *b = hb_new(3, "ROOT");
    uint32_t vk = hb_value(b, hb_root(b), "", HK_REG_SZ, eight, sizeof eight);
    size_t len;
    uint8_t *img = hb_finish(b, &len);
    hb_put32(img, hb_rec(vk) + HB_VK_DATA_SIZE, 0x7FFFFFF8u);
    hk_hive *h = open_img(img, len);
    hk_key *r = root_of(h);
    char rule[128];
    snprintf(rule, sizeof rule, "value data of 2147483640 bytes (value at 0x%x) runs past its", vk);
    size_t ns = 0, ds = 0;
    expect_rule(hk_enum_value(r, 0, NULL, &ns, NULL, NULL, &ds), rule);
    ck_assert_uint_eq(ds, 0); /* nothing written on failure */
    expect_rule(hk_query_value_ex(r, "", NULL, NULL, &ds), rule);
    size_t qs = 0;
    expect_rule(hk_query_value(r, NULL, NULL, &qs), rule);
    close_all(r, h);
}
END_TEST

static uint8_t big[20000];

START_TEST(value_claiming_2gb_in_big_data)
{
    struct hb *b = hb_new(5, "ROOT");
    uint32_t vk = hb_value(b, hb_root(b), "big", HK_REG_BINARY, big, sizeof big);
    size_t len;
    uint8_t *img = hb_finish(b, &len);
    hb_put32(img, hb_rec(vk) + HB_VK_DATA_SIZE, 0x7FFFFFF8u);
    hk_hive *h = open_img(img, len);
    hk_key *r = root_of(h);
    char rule[128];
    snprintf(rule, sizeof rule, "big data record has 2 segments where 2147483640 bytes need %u",
             (0x7FFFFFF8u + 16343u) / 16344u);
    size_t ns = 0, ds = 0;
    expect_rule(hk_enum_value(r, 0, NULL, &ns, NULL, NULL, &ds), rule);
    expect_rule(hk_query_value_ex(r, "big", NULL, NULL, &ds), rule);
    close_all(r, h);
}
END_TEST

START_TEST(big_data_claiming_65535_segments)
{
    struct hb *b = hb_new(5, "ROOT");
    uint32_t vk = hb_value(b, hb_root(b), "big", HK_REG_BINARY, big, sizeof big);
    size_t len;
    uint8_t *img = hb_finish(b, &len);
    /* a size and a segment count that agree, both far beyond the file */
    hb_put32(img, hb_rec(vk) + HB_VK_DATA_SIZE, 65535u * 16344u);
    uint32_t db = hb_get32(img, hb_rec(vk) + HB_VK_DATA);
    hb_put16(img, hb_rec(db) + HB_DB_COUNT, 65535);
    hk_hive *h = open_img(img, len);
    hk_key *r = root_of(h);
    size_t ns = 0, ds = 0;
    expect_rule(hk_enum_value(r, 0, NULL, &ns, NULL, NULL, &ds), "cannot hold 65535 segments");
    close_all(r, h);
}
END_TEST

START_TEST(key_claiming_a_million_values)
{
    struct hb *b = hb_new(5, "ROOT");
    uint32_t root = hb_root(b);
    hb_value(b, root, "a", HK_REG_DWORD, "\1\0\0\0", 4);
    hb_value(b, root, "b", HK_REG_DWORD, "\2\0\0\0", 4);
    size_t len;
    uint8_t *img = hb_finish(b, &len);
    hb_put32(img, hb_rec(root) + HB_NK_VALUE_COUNT, 1000000);
    hk_hive *h = open_img(img, len);
    hk_key *r = root_of(h);
    char rule[128];
    snprintf(rule, sizeof rule, "value list of key 0x%x claims 1000000 values, more than its", root);
    size_t ns = 0;
    expect_rule(hk_enum_value(r, 0, NULL, &ns, NULL, NULL, NULL), rule);
    expect_rule(hk_query_value_ex(r, "a", NULL, NULL, NULL), rule);
    /* an index past the claimed count is still NO_MORE_ITEMS, unread */
    ck_assert_uint_eq(hk_enum_value(r, 1000000, NULL, &ns, NULL, NULL, NULL), HK_ERROR_NO_MORE_ITEMS);
    close_all(r, h);
}
END_TEST

/* ---- subkey lists ------------------------------------------------------- */

static uint8_t *two_subkeys(uint32_t *root, size_t *len)
{
    struct hb *b = hb_new(5, "ROOT");
    *root = hb_root(b);
    hb_key(b, *root, "a");
    hb_key(b, *root, "b");
    return hb_finish(b, len);
}

START_TEST(key_claiming_a_million_subkeys)
{
    uint32_t root;
    size_t len;
    uint8_t *img = two_subkeys(&root, &len);
    hb_put32(img, hb_rec(root) + HB_NK_SUBKEY_COUNT, 1000000);
    uint32_t list = hb_get32(img, hb_rec(root) + HB_NK_SUBKEY_LIST);
    hk_hive *h = open_img(img, len);
    hk_key *r = root_of(h);
    char rule[128];
    snprintf(rule, sizeof rule, "key counts 1000000 subkeys but its list at 0x%x holds 2", list);
    size_t ns = 0;
    expect_rule(hk_enum_key(r, 0, NULL, &ns), rule);
    hk_key *c;
    expect_rule(hk_open_subkey_at(r, 999999, HK_KEY_READ, &c), rule);
    expect_rule(hk_open_key(r, "a", 0, HK_KEY_READ, &c), rule);
    close_all(r, h);
}
END_TEST

START_TEST(list_claiming_65535_entries_in_one_cell)
{
    uint32_t root;
    size_t len;
    uint8_t *img = two_subkeys(&root, &len);
    uint32_t list = hb_get32(img, hb_rec(root) + HB_NK_SUBKEY_LIST);
    hb_put16(img, hb_rec(list) + HB_LIST_COUNT, 0xFFFF);
    hb_put32(img, hb_rec(root) + HB_NK_SUBKEY_COUNT, 0xFFFF);
    hk_hive *h = open_img(img, len);
    hk_key *r = root_of(h);
    size_t ns = 0;
    expect_rule(hk_enum_key(r, 0, NULL, &ns), "subkey list claims 65535 entries, more than its");
    close_all(r, h);
}
END_TEST

START_TEST(index_root_claiming_65535_leaves)
{
    struct hb *b = hb_new(5, "ROOT");
    uint32_t root = hb_root(b);
    hb_list_kind(b, root, 'h', 1);
    hb_key(b, root, "a");
    hb_key(b, root, "b");
    size_t len;
    uint8_t *img = hb_finish(b, &len);
    uint32_t ri = hb_get32(img, hb_rec(root) + HB_NK_SUBKEY_LIST);
    ck_assert_int_eq(hb_get8(img, hb_rec(ri)), 'r');
    hb_put16(img, hb_rec(ri) + HB_LIST_COUNT, 0xFFFF);
    hk_hive *h = open_img(img, len);
    hk_key *r = root_of(h);
    size_t ns = 0;
    expect_rule(hk_enum_key(r, 0, NULL, &ns), "subkey list claims 65535 entries, more than its");
    close_all(r, h);
}
END_TEST

/* ---- cycles and depth ----------------------------------------------------- */

START_TEST(root_listed_below_its_grandchild)
{
    /* ROOT -> a -> b -> c, then b's list names ROOT and ROOT names b as its
     * parent: each parent link checks out, only the root test sees the loop */
    struct hb *b = hb_new(5, "ROOT");
    uint32_t root = hb_root(b);
    uint32_t ka = hb_key(b, root, "a");
    uint32_t kb = hb_key(b, ka, "b");
    hb_key(b, kb, "c");
    size_t len;
    uint8_t *img = hb_finish(b, &len);
    uint32_t list = hb_get32(img, hb_rec(kb) + HB_NK_SUBKEY_LIST);
    hb_put32(img, hb_rec(list) + HB_LIST_ENTRIES, root);
    hb_put32(img, hb_rec(list) + HB_LIST_ENTRIES + 4, hb_name_hash("ROOT"));
    hb_put32(img, hb_rec(root) + HB_NK_PARENT, kb);
    hk_hive *h = open_img(img, len);
    hk_key *r = root_of(h), *k1, *k2, *k3;
    ck_assert_uint_eq(hk_open_subkey_at(r, 0, HK_KEY_READ, &k1), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_open_subkey_at(k1, 0, HK_KEY_READ, &k2), HK_ERROR_SUCCESS);
    char rule[128];
    snprintf(rule, sizeof rule, "the root key is listed as a subkey of 0x%x (a cycle)", kb);
    expect_rule(hk_open_subkey_at(k2, 0, HK_KEY_READ, &k3), rule);
    size_t ns = 0;
    expect_rule(hk_enum_key(k2, 0, NULL, &ns), rule);
    expect_rule(hk_open_key(r, "a\\b\\ROOT", 0, HK_KEY_READ, &k3), rule);
    hk_close_key(k2);
    hk_close_key(k1);
    close_all(r, h);
}
END_TEST

enum { CHAIN = 600 };

START_TEST(depth_stops_at_exactly_512_levels)
{
    struct hb *b = hb_new(5, "ROOT");
    uint32_t k = hb_root(b);
    for (int i = 0; i < CHAIN; i++)
        k = hb_key(b, k, "k");
    size_t len;
    uint8_t *img = hb_finish(b, &len);
    hk_hive *h = open_img(img, len);
    hk_key *cur = root_of(h);
    unsigned levels = 0;
    hk_status st;
    for (;;) {
        hk_key *c;
        st = hk_open_subkey_at(cur, 0, HK_KEY_READ, &c);
        if (st != HK_ERROR_SUCCESS)
            break;
        hk_close_key(cur);
        cur = c;
        levels++;
    }
    ck_assert_uint_eq(levels, HK_MAX_DEPTH);
    expect_rule(st, "key nesting deeper than 512 levels");
    hk_close_key(cur);
    /* the same limit through a path: 512 components open, 513 do not */
    hk_key *r = root_of(h), *c;
    char *path = malloc(2 * CHAIN);
    for (int i = 0; i < CHAIN; i++)
        memcpy(path + 2 * i, "k\\", 2);
    path[2 * HK_MAX_DEPTH - 1] = '\0';
    ck_assert_uint_eq(hk_open_key(r, path, 0, HK_KEY_READ, &c), HK_ERROR_SUCCESS);
    hk_close_key(c);
    path[2 * HK_MAX_DEPTH - 1] = '\\';
    path[2 * (HK_MAX_DEPTH + 1) - 1] = '\0';
    expect_rule(hk_open_key(r, path, 0, HK_KEY_READ, &c), "key nesting deeper than 512 levels");
    free(path);
    close_all(r, h);
}
END_TEST

/* ---- gzip ----------------------------------------------------------------- */

START_TEST(gzip_size_hint_of_4gib_is_not_trusted)
{
    struct hb *b = hb_new(5, "ROOT");
    hb_key(b, hb_root(b), "a");
    size_t len;
    uint8_t *img = hb_finish(b, &len);
    uint8_t gz[16384];
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    ck_assert_int_eq(deflateInit2(&zs, 9, Z_DEFLATED, 16 + 15, 8, Z_DEFAULT_STRATEGY), Z_OK);
    zs.next_in = img;
    zs.avail_in = (uInt)len;
    zs.next_out = gz;
    zs.avail_out = sizeof gz;
    ck_assert_int_eq(deflate(&zs, Z_FINISH), Z_STREAM_END);
    size_t n = zs.total_out;
    deflateEnd(&zs);
    free(img);
    /* the trailer's ISIZE: 4 GiB - 1 */
    memset(gz + n - 4, 0xFF, 4);
    alloc_stats_reset_largest();
    hk_hive *h = NULL;
    char msg[256] = "";
    hk_open_options o = HK_OPEN_OPTIONS_INIT;
    o.flags = HK_OPEN_READONLY;
    /* zlib checks ISIZE at the end: the lie is caught, after inflating into
     * a buffer the compressed size bounds, not the hint */
    ck_assert_uint_eq(hk_hive_open_memory(gz, n, &o, &h), HK_ERROR_CANTREAD);
    snprintf(msg, sizeof msg, "%s", hk_errmsg());
    ck_assert_msg(strstr(msg, "gzip data is corrupt") != NULL, "%s", msg);
    struct alloc_stats as;
    alloc_stats_get(&as);
    /* deflate expands at most ~1032:1: the most these n bytes can justify */
    ck_assert_uint_le(as.largest, 1032 * n);
}
END_TEST

/* ---- Windows' name limits on write ------------------------------------------ */

static char *repeat(char c, size_t n)
{
    char *s = malloc(n + 1);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

START_TEST(name_limits_on_write)
{
    hk_hive *h;
    ck_assert_uint_eq(hk_hive_create(5, "ROOT", &h), HK_ERROR_SUCCESS);
    hk_key *r = root_of(h), *w, *k;
    ck_assert_uint_eq(hk_open_key(r, NULL, 0, HK_KEY_ALL_ACCESS, &w), HK_ERROR_SUCCESS);
    /* keys: 255 UTF-16 units, counted as units (U+00E9 is one, 2 bytes of UTF-8) */
    char *name = repeat('k', HK_MAX_KEY_NAME);
    ck_assert_uint_eq(hk_create_key(w, name, &k), HK_ERROR_SUCCESS);
    char *longer = repeat('k', HK_MAX_KEY_NAME + 1);
    ck_assert_uint_eq(hk_create_key(w, longer, &k), HK_ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(hk_rename_key(k, NULL, longer), HK_ERROR_INVALID_PARAMETER);
    hk_close_key(k);
    free(longer);
    free(name);
    char accented[2 * HK_MAX_KEY_NAME + 3];
    for (unsigned i = 0; i < HK_MAX_KEY_NAME; i++)
        memcpy(accented + 2 * i, "\xC3\xA9", 2);
    accented[2 * HK_MAX_KEY_NAME] = '\0';
    ck_assert_uint_eq(hk_create_key(w, accented, &k), HK_ERROR_SUCCESS);
    hk_close_key(k);
    memcpy(accented + 2 * HK_MAX_KEY_NAME, "\xC3\xA9", 3);
    ck_assert_uint_eq(hk_create_key(w, accented, &k), HK_ERROR_INVALID_PARAMETER);
    /* values: 16,383 units */
    name = repeat('v', HK_MAX_VALUE_NAME);
    ck_assert_uint_eq(hk_set_value_ex(w, name, 0, HK_REG_DWORD, "\1\0\0\0", 4), HK_ERROR_SUCCESS);
    free(name);
    name = repeat('v', HK_MAX_VALUE_NAME + 1);
    ck_assert_uint_eq(hk_set_value_ex(w, name, 0, HK_REG_DWORD, "\1\0\0\0", 4),
                      HK_ERROR_INVALID_PARAMETER);
    free(name);
    hk_key_info info = HK_KEY_INFO_INIT;
    ck_assert_uint_eq(hk_query_info_key(w, NULL, NULL, &info), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(info.subkeys, 2);
    ck_assert_uint_eq(info.values, 1);
    hk_close_key(w);
    close_all(r, h);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("caps");
    TCase *tc = tcase_create("caps");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, value_claiming_2gb_in_one_cell);
    tcase_add_test(tc, value_claiming_2gb_in_big_data);
    tcase_add_test(tc, big_data_claiming_65535_segments);
    tcase_add_test(tc, key_claiming_a_million_values);
    tcase_add_test(tc, key_claiming_a_million_subkeys);
    tcase_add_test(tc, list_claiming_65535_entries_in_one_cell);
    tcase_add_test(tc, index_root_claiming_65535_leaves);
    tcase_add_test(tc, root_listed_below_its_grandchild);
    tcase_add_test(tc, depth_stops_at_exactly_512_levels);
    tcase_add_test(tc, gzip_size_hint_of_4gib_is_not_trusted);
    tcase_add_test(tc, name_limits_on_write);
    suite_add_tcase(s, tc);
    return s;
}
