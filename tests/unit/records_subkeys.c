/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* record/subkeys in the records suite: every list shape (lf, lh, li, ri of
 * them), lookups in it, then broken lists. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/upcase.h"
#include "hive_builder.h"
#include "record/subkeys.h"
#include "records_fixture.h"

/* ---- subkey lists --------------------------------------------------------- */

struct list_case {
    char kind;
    unsigned leaf_max;
    uint32_t n;
};

static const struct list_case list_cases[] = {
    {'i', 0, 50}, {'f', 0, 50}, {'h', 0, 50}, {'h', 500, 3000}, {'h', 256, 3000}, {'f', 7, 40},
};

/* Key names KEY00000.. in mixed case, added in Windows' order. */
static void key_name(uint32_t i, char *buf, size_t cap)
{
    static const char *const prefix[3] = {"key", "KEY", "Key"};
    snprintf(buf, cap, "%s%05u", prefix[i % 3], i);
}

static uint8_t *build_list(const struct list_case *c, uint32_t *parent, uint32_t *offs,
                           size_t *len)
{
    struct hb *b = hb_new(5, "r");
    *parent = hb_key(b, hb_root(b), "P");
    char name[32];
    for (uint32_t i = 0; i < c->n; i++) {
        key_name(i, name, sizeof name);
        offs[i] = hb_key(b, *parent, name);
    }
    hb_list_kind(b, *parent, c->kind, c->leaf_max);
    return hb_finish(b, len);
}

/* subkeys_find with an ASCII name, upcased first as the function wants. */
static uint32_t find(struct hive_image *img, struct subkeys *sk, const char *name)
{
    uint16_t up[64];
    size_t n = strlen(name);
    for (size_t i = 0; i < n; i++)
        up[i] = upcase_unit((uint8_t)name[i]);
    uint32_t off = 0;
    hk_status st = subkeys_find(img, sk, up, n, &off);
    ck_assert_msg(st == HK_ERROR_SUCCESS, "find %s: %u %s", name, st, diag_detail());
    return off;
}

static void expect_at(struct hive_image *img, struct subkeys *sk, uint32_t i, uint32_t want)
{
    uint32_t off = 0;
    hk_status st = subkeys_at(img, sk, i, &off);
    ck_assert_msg(st == HK_ERROR_SUCCESS, "entry %u: %u %s", i, st, diag_detail());
    ck_assert_msg(off == want, "entry %u: 0x%x, 0x%x expected", i, off, want);
}

START_TEST(subkeys_every_shape)
{
    const struct list_case *c = &list_cases[_i];
    uint32_t *offs = malloc(c->n * sizeof *offs);
    ck_assert_ptr_nonnull(offs);
    uint32_t parent;
    size_t len;
    uint8_t *p = build_list(c, &parent, offs, &len);
    struct hive_image img;
    struct nk nk;
    open_at(p, len, &img, parent, &nk);
    struct subkeys sk;
    ck_assert_uint_eq(subkeys_open(&img, &nk, &sk), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(sk.total, c->n);
    ck_assert(sk.is_ri == (c->leaf_max != 0));
    if (c->leaf_max)
        ck_assert_uint_eq(sk.ri_count, (c->n + c->leaf_max - 1) / c->leaf_max);
    ck_assert_uint_eq(sk.leaf_stride, c->kind == 'i' ? 4 : 8);

    for (uint32_t i = 0; i < c->n; i++) /* in order */
        expect_at(&img, &sk, i, offs[i]);
    for (uint32_t i = c->n; i-- > 0;) /* backwards */
        expect_at(&img, &sk, i, offs[i]);
    for (uint32_t i = 0; i < c->n; i++) { /* jumping: 7919 is prime to n */
        uint32_t j = (uint32_t)(((uint64_t)i * 7919u + 13u) % c->n);
        expect_at(&img, &sk, j, offs[j]);
    }
    uint32_t off = 0;
    ck_assert_uint_eq(subkeys_at(&img, &sk, c->n, &off), HK_ERROR_NO_MORE_ITEMS);
    ck_assert_uint_eq(subkeys_at(&img, &sk, UINT32_MAX, &off), HK_ERROR_NO_MORE_ITEMS);

    char name[32];
    for (uint32_t i = 0; i < c->n; i++) { /* hits, whatever the stored case */
        snprintf(name, sizeof name, "kEy%05u", i);
        ck_assert_msg(find(&img, &sk, name) == offs[i], "%s not found", name);
    }
    /* misses: before the first, after the last, between neighbours, and
     * between the last entry of one leaf and the first of the next */
    static const char *const misses[] = {"", "A", "KEY", "KEY0000", "KEY000000", "KEY00001A",
                                         "KEY0", "KEZ", "ZZZ", "KEY99999", "KEY_", "KEY00000 "};
    for (size_t i = 0; i < sizeof misses / sizeof misses[0]; i++)
        ck_assert_msg(find(&img, &sk, misses[i]) == CELL_NIL, "\"%s\" found", misses[i]);
    snprintf(name, sizeof name, "KEY%05u", c->n);
    ck_assert_uint_eq(find(&img, &sk, name), CELL_NIL);
    if (c->leaf_max) {
        snprintf(name, sizeof name, "KEY%05uX", c->leaf_max - 1);
        ck_assert_uint_eq(find(&img, &sk, name), CELL_NIL);
        snprintf(name, sizeof name, "KEY%05u", c->leaf_max - 1);
        ck_assert_uint_eq(find(&img, &sk, name), offs[c->leaf_max - 1]);
        snprintf(name, sizeof name, "KEY%05u", c->leaf_max);
        ck_assert_uint_eq(find(&img, &sk, name), offs[c->leaf_max]);
    }
    /* the cursor moved by find does not spoil subkeys_at */
    expect_at(&img, &sk, 1, offs[1]);
    expect_at(&img, &sk, c->n - 1, offs[c->n - 1]);
    image_free(&img);
    free(offs);
}
END_TEST

START_TEST(subkeys_of_a_leaf_key)
{
    struct hb *b = hb_new(5, "r");
    uint32_t k = hb_key(b, hb_root(b), "k");
    size_t len;
    uint8_t *p = hb_finish(b, &len);
    struct hive_image img;
    struct nk nk;
    open_at(p, len, &img, k, &nk);
    struct subkeys sk;
    ck_assert_uint_eq(subkeys_open(&img, &nk, &sk), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(sk.total, 0);
    uint32_t off = 0;
    ck_assert_uint_eq(subkeys_at(&img, &sk, 0, &off), HK_ERROR_NO_MORE_ITEMS);
    ck_assert_uint_eq(find(&img, &sk, "k"), CELL_NIL);
    image_free(&img);
}
END_TEST

START_TEST(subkeys_count_mismatch_is_baddb)
{
    static const struct list_case cases[] = {{'h', 0, 20}, {'i', 0, 20}, {'h', 6, 20}};
    static const uint32_t counts[] = {19, 21, 1, 0x10014};
    for (size_t ci = 0; ci < sizeof cases / sizeof cases[0]; ci++) {
        for (size_t k = 0; k < sizeof counts / sizeof counts[0]; k++) {
            uint32_t offs[20], parent;
            size_t len;
            uint8_t *p = build_list(&cases[ci], &parent, offs, &len);
            hb_put32(p, hb_rec(parent) + HB_NK_SUBKEY_COUNT, counts[k]);
            struct hive_image img;
            struct nk nk;
            open_at(p, len, &img, parent, &nk);
            struct subkeys sk;
            expect_baddb(subkeys_open(&img, &nk, &sk), "holds 20");
            image_free(&img);
        }
    }
}
END_TEST

/* Counts past the cell, unknown signatures, ri inside ri. */
START_TEST(subkeys_bad_list_cells_are_baddb)
{
    const struct list_case c = {'f', 0, 10};
    uint32_t offs[10], parent;
    size_t len;
    uint8_t *p = build_list(&c, &parent, offs, &len);
    const uint32_t list = hb_get32(p, hb_rec(parent) + HB_NK_SUBKEY_LIST);
    const uint32_t room = (body_len(p, list) - HB_LIST_ENTRIES) / 8;
    struct hive_image img;
    struct nk nk;
    struct subkeys sk;
    uint8_t *c2 = dup_image(p, len);
    hb_put16(c2, hb_rec(list) + HB_LIST_COUNT, (uint16_t)(room + 1));
    open_at(c2, len, &img, parent, &nk);
    expect_baddb(subkeys_open(&img, &nk, &sk), "more than its");
    image_free(&img);
    hb_put8(p, hb_rec(list) + 1, 'x'); /* "lx" */
    open_at(p, len, &img, parent, &nk);
    expect_baddb(subkeys_open(&img, &nk, &sk), "signature \"lx\"");
    image_free(&img);
    /* an ri whose second leaf is the ri itself */
    const struct list_case c3 = {'h', 5, 20};
    uint32_t offs3[20];
    p = build_list(&c3, &parent, offs3, &len);
    const uint32_t ri = hb_get32(p, hb_rec(parent) + HB_NK_SUBKEY_LIST);
    ck_assert(memcmp(p + hb_rec(ri), "ri", 2) == 0);
    hb_put32(p, hb_rec(ri) + HB_LIST_ENTRIES + 4, ri);
    open_at(p, len, &img, parent, &nk);
    expect_baddb(subkeys_open(&img, &nk, &sk), "inside an index root");
    image_free(&img);
}
END_TEST

TCase *records_subkeys_tcase(void)
{
    TCase *lists = tcase_create("subkeys");
    tcase_set_timeout(lists, 60);
    tcase_add_loop_test(lists, subkeys_every_shape, 0,
                        (int)(sizeof list_cases / sizeof list_cases[0]));
    tcase_add_test(lists, subkeys_of_a_leaf_key);
    tcase_add_test(lists, subkeys_count_mismatch_is_baddb);
    tcase_add_test(lists, subkeys_bad_list_cells_are_baddb);
    return lists;
}
