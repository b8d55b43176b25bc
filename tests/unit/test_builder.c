/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Checks the test-side hive builder itself: base block, checksum, bin
 * tiling, list records, big data, and that libhivex (the oracle) reads the
 * built hives back with the same keys and values.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <check.h>
#include <errno.h>
#include <hivex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hive_builder.h"
#include "tempdir.h"

Suite *test_suite(void);

static uint8_t *pattern(uint32_t len, unsigned seed)
{
    uint8_t *p = malloc(len ? len : 1);
    ck_assert_ptr_nonnull(p);
    for (uint32_t i = 0; i < len; i++)
        p[i] = (uint8_t)(i * 31u + seed * 7u + (i >> 8));
    return p;
}

/* Walks every bin and cell; fails the test on any tiling rule broken.
 * Returns the number of bins. */
static unsigned check_tiling(const uint8_t *img, size_t len)
{
    const uint32_t bins_size = hb_get32(img, HB_REGF_BINS_SIZE);
    ck_assert_uint_eq(bins_size % 4096, 0);
    ck_assert_uint_eq(len, 4096u + bins_size);
    unsigned nbins = 0;
    uint32_t bin = 0;
    while (bin < bins_size) {
        const size_t fo = 4096u + bin;
        ck_assert_int_eq(memcmp(img + fo, "hbin", 4), 0);
        ck_assert_uint_eq(hb_get32(img, fo + HB_HBIN_OFFSET), bin);
        const uint32_t size = hb_get32(img, fo + HB_HBIN_SIZE);
        ck_assert_uint_ge(size, 4096);
        ck_assert_uint_eq(size % 4096, 0);
        ck_assert_uint_le(bin + size, bins_size);
        uint32_t cell = bin + HB_HBIN_HDR;
        while (cell < bin + size) {
            const int32_t sz = (int32_t)hb_get32(img, 4096u + cell);
            const uint32_t mag = (uint32_t)(sz < 0 ? -sz : sz);
            ck_assert_uint_ge(mag, 8);
            ck_assert_uint_eq(mag % 8, 0);
            cell += mag;
        }
        ck_assert_uint_eq(cell, bin + size);
        bin += size;
        nbins++;
    }
    ck_assert_uint_eq(bin, bins_size);
    return nbins;
}

START_TEST(checksum_is_xor_of_127_dwords_with_remap)
{
    struct hb *b = hb_new(5, "ROOT");
    size_t len;
    uint8_t *img = hb_finish(b, &len);
    uint32_t x = 0;
    for (size_t i = 0; i < 127; i++)
        x ^= (uint32_t)img[4 * i] | (uint32_t)img[4 * i + 1] << 8 |
             (uint32_t)img[4 * i + 2] << 16 | (uint32_t)img[4 * i + 3] << 24;
    ck_assert_uint_eq(hb_get32(img, 0x1FC), x);
    free(img);

    uint8_t blk[512] = {0};
    ck_assert_uint_eq(hb_checksum(blk), 1);
    memset(blk, 0xFF, 4);
    ck_assert_uint_eq(hb_checksum(blk), 0xFFFFFFFEu);
    blk[508] = 0x55; /* the checksum slot itself is not summed */
    ck_assert_uint_eq(hb_checksum(blk), 0xFFFFFFFEu);
}
END_TEST

START_TEST(base_block_fields_are_as_windows_writes)
{
    struct hb *b = hb_new(3, "ROOT");
    size_t len;
    uint8_t *img = hb_finish(b, &len);
    ck_assert_int_eq(memcmp(img, "regf", 4), 0);
    ck_assert_uint_eq(hb_get32(img, HB_REGF_SEQ1), 1);
    ck_assert_uint_eq(hb_get32(img, HB_REGF_SEQ2), 1);
    ck_assert_uint_eq(hb_get32(img, HB_REGF_MAJOR), 1);
    ck_assert_uint_eq(hb_get32(img, HB_REGF_MINOR), 3);
    ck_assert_uint_eq(hb_get32(img, HB_REGF_TYPE), 0);
    ck_assert_uint_eq(hb_get32(img, HB_REGF_FORMAT), 1);
    ck_assert_uint_eq(hb_get32(img, HB_REGF_ROOT), 0x20);
    ck_assert_uint_eq(hb_get32(img, HB_REGF_BINS_SIZE), 4096);
    ck_assert_uint_eq(hb_get32(img, HB_REGF_CLUSTER), 1);
    ck_assert_uint_eq(len, 8192);
    const size_t root = hb_rec(0x20);
    ck_assert_int_eq(memcmp(img + root, "nk", 2), 0);
    ck_assert_uint_eq(hb_get16(img, root + HB_NK_FLAGS), 0x2C);
    ck_assert_uint_eq(hb_get16(img, root + HB_NK_NAME_LEN), 4);
    ck_assert_int_eq(memcmp(img + root + HB_NK_NAME, "ROOT", 4), 0);
    /* the shared sk: a ring of one, referenced by the one key */
    const uint32_t sk = hb_get32(img, root + HB_NK_SK);
    ck_assert_int_eq(memcmp(img + hb_rec(sk), "sk", 2), 0);
    ck_assert_uint_eq(hb_get32(img, hb_rec(sk) + HB_SK_FLINK), sk);
    ck_assert_uint_eq(hb_get32(img, hb_rec(sk) + HB_SK_BLINK), sk);
    ck_assert_uint_eq(hb_get32(img, hb_rec(sk) + HB_SK_REFCOUNT), 1);
    uint32_t sdlen;
    const uint8_t *sd = hb_default_sd(&sdlen);
    ck_assert_uint_eq(hb_get32(img, hb_rec(sk) + HB_SK_DESC_SIZE), sdlen);
    ck_assert_int_eq(memcmp(img + hb_rec(sk) + HB_SK_DESC, sd, sdlen), 0);
    free(img);
}
END_TEST

START_TEST(hash_matches_the_format_examples)
{
    ck_assert_uint_eq(hb_name_hash("a"), 0x41);
    ck_assert_uint_eq(hb_name_hash("A"), 0x41);
    ck_assert_uint_eq(hb_name_hash("Software"), 0xE9FE1463u);
    ck_assert_uint_eq(hb_name_hash("\xc3\xa9"), 0xC9); /* é -> É */
    ck_assert_uint_eq(hb_upcase(0xFF), 0x178);
    ck_assert_uint_eq(hb_upcase(0xF7), 0xF7);
    ck_assert_uint_eq(hb_upcase(0x444), 0x424);
}
END_TEST

START_TEST(bins_are_tiled_and_big_cells_get_big_bins)
{
    struct hb *b = hb_new(5, "ROOT");
    const uint32_t k = hb_key(b, hb_root(b), "k");
    uint8_t *big = pattern(50000, 1);
    hb_value(b, k, "big", 3, big, 50000);     /* db: 4 segments */
    hb_value(b, k, "mid", 3, big, 10000);     /* one cell, bin > 4096 */
    hb_free_cell(b, "junk", 4);
    for (int i = 0; i < 200; i++) {
        char name[16];
        snprintf(name, sizeof name, "v%03d", i);
        hb_value(b, k, name, 4, &i, 4);
    }
    size_t len;
    uint8_t *img = hb_finish(b, &len);
    ck_assert_uint_ge(check_tiling(img, len), 5);
    free(img);
    free(big);
}
END_TEST

START_TEST(lists_hold_hints_hashes_and_ri_splits)
{
    struct hb *b = hb_new(5, "ROOT");
    const uint32_t r = hb_root(b);
    const uint32_t f = hb_key(b, r, "f"), h = hb_key(b, r, "h"), ri = hb_key(b, r, "ri");
    hb_list_kind(b, f, 'f', 0);
    hb_list_kind(b, ri, 'i', 2);
    const uint32_t c1 = hb_key(b, f, "Software");
    hb_key(b, f, "\xd0\xaf"); /* Я: no byte hint */
    hb_key(b, h, "Software");
    for (int i = 0; i < 5; i++)
        hb_key(b, ri, "x");
    size_t len;
    uint8_t *img = hb_finish(b, &len);
    check_tiling(img, len);

    size_t l = hb_rec(hb_get32(img, hb_rec(f) + HB_NK_SUBKEY_LIST));
    ck_assert_int_eq(memcmp(img + l, "lf", 2), 0);
    ck_assert_uint_eq(hb_get16(img, l + 2), 2);
    ck_assert_uint_eq(hb_get32(img, l + 4), c1);
    ck_assert_int_eq(memcmp(img + l + 8, "Soft", 4), 0);
    ck_assert_uint_eq(hb_get32(img, l + 16), 0);

    l = hb_rec(hb_get32(img, hb_rec(h) + HB_NK_SUBKEY_LIST));
    ck_assert_int_eq(memcmp(img + l, "lh", 2), 0);
    ck_assert_uint_eq(hb_get32(img, l + 8), 0xE9FE1463u);

    l = hb_rec(hb_get32(img, hb_rec(ri) + HB_NK_SUBKEY_LIST));
    ck_assert_int_eq(memcmp(img + l, "ri", 2), 0);
    ck_assert_uint_eq(hb_get16(img, l + 2), 3);
    const unsigned want[3] = {2, 2, 1};
    for (unsigned i = 0; i < 3; i++) {
        const size_t leaf = hb_rec(hb_get32(img, l + 4 + 4 * i));
        ck_assert_int_eq(memcmp(img + leaf, "li", 2), 0);
        ck_assert_uint_eq(hb_get16(img, leaf + 2), want[i]);
    }
    ck_assert_uint_eq(hb_get32(img, hb_rec(ri) + HB_NK_SUBKEY_COUNT), 5);
    /* max subkey name of the root: "ri" -> 4 UTF-16 bytes */
    ck_assert_uint_eq(hb_get32(img, hb_rec(r) + HB_NK_MAX_SUBKEY_NAME), 4);
    ck_assert_uint_eq(hb_get32(img, hb_rec(f) + HB_NK_MAX_SUBKEY_NAME), 16);
    free(img);
}
END_TEST

START_TEST(values_are_inline_cell_or_db_by_size_and_version)
{
    uint8_t *data = pattern(40000, 2);
    for (unsigned minor = 3; minor <= 5; minor += 2) {
        struct hb *b = hb_new(minor, "ROOT");
        const uint32_t r = hb_root(b);
        const uint32_t v3 = hb_value(b, r, "three", 3, data, 3);
        const uint32_t v0 = hb_value(b, r, "", 1, NULL, 0);
        const uint32_t vc = hb_value(b, r, "cell", 3, data, 16344);
        const uint32_t vb = hb_value(b, r, "big", 3, data, 40000);
        size_t len;
        uint8_t *img = hb_finish(b, &len);
        check_tiling(img, len);
        ck_assert_uint_eq(hb_get32(img, hb_rec(v3) + HB_VK_DATA_SIZE), 0x80000003u);
        ck_assert_int_eq(memcmp(img + hb_rec(v3) + HB_VK_DATA, data, 3), 0);
        ck_assert_uint_eq(hb_get32(img, hb_rec(v0) + HB_VK_DATA_SIZE), 0x80000000u);
        ck_assert_uint_eq(hb_get16(img, hb_rec(v0) + HB_VK_NAME_LEN), 0);
        ck_assert_uint_eq(hb_get16(img, hb_rec(v0) + HB_VK_FLAGS), 0);
        ck_assert_uint_eq(hb_get16(img, hb_rec(vc) + HB_VK_FLAGS), 1);
        const uint32_t cell = hb_get32(img, hb_rec(vc) + HB_VK_DATA);
        ck_assert_int_eq((int32_t)hb_get32(img, 4096u + cell), -16352);
        ck_assert_int_eq(memcmp(img + hb_rec(cell), data, 16344), 0);
        const uint32_t d = hb_get32(img, hb_rec(vb) + HB_VK_DATA);
        ck_assert_uint_eq(hb_get32(img, hb_rec(vb) + HB_VK_DATA_SIZE), 40000);
        if (minor == 3) {
            ck_assert_int_eq(memcmp(img + hb_rec(d), data, 40000), 0);
        } else {
            ck_assert_int_eq(memcmp(img + hb_rec(d), "db", 2), 0);
            ck_assert_uint_eq(hb_get16(img, hb_rec(d) + HB_DB_COUNT), 3);
            const uint32_t list = hb_get32(img, hb_rec(d) + HB_DB_LIST);
            for (uint32_t i = 0; i < 3; i++) {
                const uint32_t seg = hb_get32(img, hb_rec(list) + 4 * i);
                const uint32_t part = i < 2 ? 16344 : 40000 - 2 * 16344;
                ck_assert_int_eq(memcmp(img + hb_rec(seg), data + 16344 * i, part), 0);
            }
        }
        ck_assert_uint_eq(hb_get32(img, hb_rec(hb_get32(img, HB_REGF_ROOT)) + HB_NK_MAX_VALUE_DATA),
                          40000);
        free(img);
    }
    free(data);
}
END_TEST

START_TEST(sk_cells_form_a_ring_with_true_refcounts)
{
    static const uint8_t sd[] = {1, 0, 0x00, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    struct hb *b = hb_new(5, "ROOT");
    const uint32_t r = hb_root(b);
    hb_key(b, r, "a");
    const uint32_t own = hb_key(b, r, "b");
    hb_key(b, r, "c");
    const uint32_t sk2 = hb_key_sd(b, own, sd, sizeof sd);
    size_t len;
    uint8_t *img = hb_finish(b, &len);
    const uint32_t sk1 = hb_get32(img, hb_rec(r) + HB_NK_SK);
    ck_assert_uint_ne(sk1, sk2);
    ck_assert_uint_eq(hb_get32(img, hb_rec(own) + HB_NK_SK), sk2);
    ck_assert_uint_eq(hb_get32(img, hb_rec(sk1) + HB_SK_REFCOUNT), 3);
    ck_assert_uint_eq(hb_get32(img, hb_rec(sk2) + HB_SK_REFCOUNT), 1);
    ck_assert_uint_eq(hb_get32(img, hb_rec(sk1) + HB_SK_FLINK), sk2);
    ck_assert_uint_eq(hb_get32(img, hb_rec(sk1) + HB_SK_BLINK), sk2);
    ck_assert_uint_eq(hb_get32(img, hb_rec(sk2) + HB_SK_FLINK), sk1);
    ck_assert_uint_eq(hb_get32(img, hb_rec(sk2) + HB_SK_BLINK), sk1);
    ck_assert_uint_eq(hb_get32(img, hb_rec(sk2) + HB_SK_DESC_SIZE), sizeof sd);
    free(img);
}
END_TEST

/* ---- libhivex oracle -------------------------------------------------- */

/* libhivex on the image, written to a new file (*path: unlink, free). */
static hive_h *hivex_from_image(const uint8_t *img, size_t len, char **path)
{
    *path = tempfile_new("hb-test", img, len);
    hive_h *h = hivex_open(*path, 0);
    if (!h)
        ck_abort_msg("hivex_open failed: %s", strerror(errno));
    return h;
}

static void expect_value(hive_h *h, hive_value_h v, const char *name, hive_type type,
                         const void *data, size_t len)
{
    char *k = hivex_value_key(h, v);
    ck_assert_ptr_nonnull(k);
    ck_assert_str_eq(k, name);
    free(k);
    hive_type t;
    size_t got;
    char *bytes = hivex_value_value(h, v, &t, &got);
    ck_assert_ptr_nonnull(bytes);
    ck_assert_int_eq(t, type);
    ck_assert_uint_eq(got, len);
    ck_assert_int_eq(memcmp(bytes, data, len), 0);
    free(bytes);
}

static void expect_children(hive_h *h, hive_node_h node, const char *const *names, size_t n)
{
    hive_node_h *kids = hivex_node_children(h, node);
    ck_assert_ptr_nonnull(kids);
    size_t i = 0;
    for (; kids[i]; i++) {
        ck_assert_uint_lt(i, n);
        char *nm = hivex_node_name(h, kids[i]);
        ck_assert_str_eq(nm, names[i]);
        free(nm);
    }
    ck_assert_uint_eq(i, n);
    free(kids);
}

START_TEST(hivex_reads_keys_values_and_times)
{
    const unsigned minor = (unsigned)_i ? 5 : 3;
    uint8_t *big = pattern(40000, 3);
    struct hb *b = hb_new(minor, "ROOT");
    const uint32_t r = hb_root(b);
    const uint32_t a = hb_key(b, r, "Alpha");
    hb_key(b, r, "b\xc3\xa9ta");                 /* Latin-1 stored */
    const uint32_t cy = hb_key(b, r, "\xd0\x9a\xd0\xbb\xd1\x8e\xd1\x87"); /* Ключ, UTF-16 */
    hb_key(b, a, "Child");
    hb_key_time(b, a, 0x01D0000000000001ull);
    hb_class(b, a, "MyClass");
    const uint32_t dw = 0x12345678;
    hb_value(b, r, "", 1, "d\0e\0f\0\0\0", 8);
    hb_value(b, r, "dword", 4, &dw, 4);
    hb_value(b, r, "two", 3, "xy", 2);
    hb_value(b, r, "empty", 3, NULL, 0);
    hb_value(b, r, "cell", 3, big, 5000);
    hb_value(b, r, "big", 3, big, 40000);
    hb_value(b, cy, "\xd0\xb7", 7, "a\0\0\0", 4);
    size_t len;
    uint8_t *img = hb_finish(b, &len);
    char *path;
    hive_h *h = hivex_from_image(img, len, &path);

    const hive_node_h root = hivex_root(h);
    ck_assert_uint_eq(root, 4096 + 0x20);
    char *nm = hivex_node_name(h, root);
    ck_assert_str_eq(nm, "ROOT");
    free(nm);
    const char *const kids[] = {"Alpha", "b\xc3\xa9ta", "\xd0\x9a\xd0\xbb\xd1\x8e\xd1\x87"};
    expect_children(h, root, kids, 3);
    const hive_node_h ha = hivex_node_get_child(h, root, "alpha");
    ck_assert_uint_eq(ha, 4096u + a);
    ck_assert_int_eq(hivex_node_timestamp(h, ha), 0x01D0000000000001ll);
    ck_assert_int_eq(hivex_node_timestamp(h, root), (int64_t)HB_DEFAULT_TIME);
    const char *const sub[] = {"Child"};
    expect_children(h, ha, sub, 1);
    ck_assert_uint_eq(hivex_node_parent(h, ha), root);

    hive_value_h *vals = hivex_node_values(h, root);
    ck_assert_ptr_nonnull(vals);
    expect_value(h, vals[0], "", 1, "d\0e\0f\0\0\0", 8);
    expect_value(h, vals[1], "dword", 4, &dw, 4);
    expect_value(h, vals[2], "two", 3, "xy", 2);
    expect_value(h, vals[3], "empty", 3, "", 0);
    expect_value(h, vals[4], "cell", 3, big, 5000);
    expect_value(h, vals[5], "big", 3, big, 40000);
    ck_assert_uint_eq(vals[6], 0);
    free(vals);
    vals = hivex_node_values(h, 4096u + cy);
    expect_value(h, vals[0], "\xd0\xb7", 7, "a\0\0\0", 4);
    free(vals);

    hivex_close(h);
    unlink(path);
    free(path);
    free(img);
    free(big);
}
END_TEST

START_TEST(hivex_walks_ri_lists_of_every_leaf_kind)
{
    static const struct { unsigned minor; char kind; unsigned leaf_max; } shapes[] = {
        {5, 'h', 1012}, {5, 'i', 500}, {3, 'f', 506}, {3, 'h', 0}, {3, 'i', 0},
    };
    const unsigned n = 3000;
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        struct hb *b = hb_new(shapes[s].minor, "ROOT");
        const uint32_t k = hb_key(b, hb_root(b), "many");
        hb_list_kind(b, k, shapes[s].kind, shapes[s].leaf_max);
        for (unsigned i = 0; i < n; i++) {
            char name[16];
            snprintf(name, sizeof name, "key%04u", i);
            hb_key(b, k, name);
        }
        size_t len;
        uint8_t *img = hb_finish(b, &len);
        check_tiling(img, len);
        char *path;
        hive_h *h = hivex_from_image(img, len, &path);
        const hive_node_h many = hivex_node_get_child(h, hivex_root(h), "many");
        ck_assert_uint_eq(many, 4096u + k);
        ck_assert_uint_eq(hivex_node_nr_children(h, many), n);
        hive_node_h *kids = hivex_node_children(h, many);
        for (unsigned i = 0; i < n; i++) {
            char want[16];
            snprintf(want, sizeof want, "key%04u", i);
            char *nm = hivex_node_name(h, kids[i]);
            ck_assert_str_eq(nm, want);
            free(nm);
        }
        ck_assert_uint_eq(kids[n], 0);
        free(kids);
        ck_assert_uint_ne(hivex_node_get_child(h, many, "KEY2999"), 0);
        hivex_close(h);
        unlink(path);
        free(path);
        free(img);
    }
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("builder");
    TCase *tc = tcase_create("layout");
    tcase_add_test(tc, checksum_is_xor_of_127_dwords_with_remap);
    tcase_add_test(tc, base_block_fields_are_as_windows_writes);
    tcase_add_test(tc, hash_matches_the_format_examples);
    tcase_add_test(tc, bins_are_tiled_and_big_cells_get_big_bins);
    tcase_add_test(tc, lists_hold_hints_hashes_and_ri_splits);
    tcase_add_test(tc, values_are_inline_cell_or_db_by_size_and_version);
    tcase_add_test(tc, sk_cells_form_a_ring_with_true_refcounts);
    suite_add_tcase(s, tc);
    tc = tcase_create("hivex");
    tcase_add_loop_test(tc, hivex_reads_keys_values_and_times, 0, 2);
    tcase_add_test(tc, hivex_walks_ri_lists_of_every_leaf_kind);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    return s;
}
