/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* record/vk in the records suite: value fields and data (inline, in one
 * cell, in big-data segments) on every hive version, then broken. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hive_builder.h"
#include "record/vk.h"
#include "records_fixture.h"

static uint8_t *pattern(uint32_t n, uint32_t seed)
{
    uint8_t *p = malloc(n ? n : 1);
    ck_assert_ptr_nonnull(p);
    for (uint32_t i = 0; i < n; i++)
        p[i] = (uint8_t)(i * 13u + seed + (i >> 9));
    return p;
}

/* ---- vk -------------------------------------------------------------------- */

enum { V_ZERO, V_ONE, V_FOUR, V_CELL, V_BIG, V_COUNT };
static const uint32_t value_len[V_COUNT] = {0, 1, 4, 99, 40000};

struct vk_fx {
    uint32_t key;
    uint32_t vk[V_COUNT];
    uint8_t *data[V_COUNT];
};

static uint8_t *build_vk_hive(unsigned minor, struct vk_fx *f, size_t *len)
{
    static const char *const names[V_COUNT] = {"zero", "one", "four", "cell", "big"};
    struct hb *b = hb_new(minor, "r");
    f->key = hb_key(b, hb_root(b), "V");
    for (int i = 0; i < V_COUNT; i++) {
        f->data[i] = pattern(value_len[i], (uint32_t)i + 1);
        f->vk[i] = hb_value(b, f->key, names[i], (uint32_t)i + 1, f->data[i], value_len[i]);
    }
    return hb_finish(b, len);
}

static void free_vk_fx(struct vk_fx *f)
{
    for (int i = 0; i < V_COUNT; i++)
        free(f->data[i]);
}

static void expect_value(struct hive_image *img, uint32_t off, const uint8_t *want, uint32_t n)
{
    struct vk vk;
    struct vk_data d;
    ck_assert_uint_eq(vk_read(img, off, &vk), HK_ERROR_SUCCESS);
    hk_status st = vk_data_locate(img, &vk, img->bb.minor, &d);
    ck_assert_msg(st == HK_ERROR_SUCCESS, "locate 0x%x: %u %s", off, st, diag_detail());
    ck_assert_uint_eq(d.len, n);
    uint8_t *got = malloc(n + 1);
    ck_assert_ptr_nonnull(got);
    memset(got, 0xEE, n + 1);
    vk_data_copy(img, &d, got, n + 1); /* n clamped to d.len */
    ck_assert_msg(n == 0 || memcmp(got, want, n) == 0, "data of value 0x%x differs", off);
    ck_assert_uint_eq(got[n], 0xEE);
    free(got);
}

/* vk_read (which must succeed) then vk_data_locate. */
static hk_status locate(struct hive_image *img, uint32_t off, uint32_t minor, struct vk_data *d)
{
    struct vk vk;
    ck_assert_uint_eq(vk_read(img, off, &vk), HK_ERROR_SUCCESS);
    return vk_data_locate(img, &vk, minor, d);
}

START_TEST(vk_fields_and_data)
{
    struct vk_fx f;
    size_t len;
    uint8_t *p = build_vk_hive(5, &f, &len);
    struct hive_image img;
    open_image(p, len, &img);

    struct nk nk;
    read_nk(&img, f.key, &nk);
    const uint8_t *entries;
    ck_assert_uint_eq(vk_list(&img, &nk, &entries), HK_ERROR_SUCCESS);
    for (uint32_t i = 0; i < V_COUNT; i++)
        ck_assert_uint_eq(hb_get32(entries, 4 * (size_t)i), f.vk[i]);

    struct vk vk;
    ck_assert_uint_eq(vk_read(&img, f.vk[V_FOUR], &vk), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(vk.off, f.vk[V_FOUR]);
    ck_assert_uint_eq(vk.size_raw, 0x80000004u);
    ck_assert_uint_eq(vk.data_off, hb_get32(f.data[V_FOUR], 0));
    ck_assert_uint_eq(vk.type, V_FOUR + 1);
    ck_assert_uint_eq(vk.flags, VK_FLAG_COMP_NAME);
    ck_assert(vk.name.compressed);
    ck_assert_uint_eq(vk.name.len, 4);
    ck_assert(memcmp(vk.name.ptr, "four", 4) == 0);
    ck_assert_uint_eq(vk_read(&img, f.vk[V_ZERO], &vk), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(vk.size_raw, 0x80000000u);

    struct vk_data d;
    for (int i = 0; i < V_COUNT; i++)
        expect_value(&img, f.vk[i], f.data[i], value_len[i]);
    ck_assert_uint_eq(locate(&img, f.vk[V_ONE], 5, &d), HK_ERROR_SUCCESS);
    ck_assert(d.cell == NULL && d.segments == NULL);
    ck_assert_uint_eq(d.inline_bytes[0], f.data[V_ONE][0]);
    ck_assert_uint_eq(locate(&img, f.vk[V_CELL], 5, &d), HK_ERROR_SUCCESS);
    ck_assert_ptr_nonnull(d.cell);
    ck_assert_uint_eq(locate(&img, f.vk[V_BIG], 5, &d), HK_ERROR_SUCCESS);
    ck_assert_ptr_null(d.cell);
    ck_assert_ptr_nonnull(d.segments);
    /* a prefix ending inside the second segment */
    uint8_t *part = malloc(20000);
    ck_assert_ptr_nonnull(part);
    vk_data_copy(&img, &d, part, 20000);
    ck_assert(memcmp(part, f.data[V_BIG], 20000) == 0);
    free(part);
    image_free(&img);
    free_vk_fx(&f);
}
END_TEST

START_TEST(vk_inline_over_four_or_long_name_is_baddb)
{
    struct vk_fx f;
    size_t len;
    uint8_t *p = build_vk_hive(5, &f, &len);
    hb_put32(p, hb_rec(f.vk[V_FOUR]) + HB_VK_DATA_SIZE, 0x80000005u);
    hb_put32(p, hb_rec(f.vk[V_ONE]) + HB_VK_DATA_SIZE, 0x80000003u); /* 3 of 4 bytes: fine */
    const uint32_t room = body_len(p, f.vk[V_CELL]) - HB_VK_NAME;
    hb_put16(p, hb_rec(f.vk[V_CELL]) + HB_VK_NAME_LEN, (uint16_t)(room + 1));
    struct hive_image img;
    open_image(p, len, &img);
    struct vk vk;
    struct vk_data d;
    expect_baddb(locate(&img, f.vk[V_FOUR], 5, &d), "inline");
    uint8_t want[3] = {f.data[V_ONE][0], 0, 0};
    expect_value(&img, f.vk[V_ONE], want, 3);
    expect_baddb(vk_read(&img, f.vk[V_CELL], &vk), "value name");
    image_free(&img);
    free_vk_fx(&f);
}
END_TEST

START_TEST(vk_data_past_cell_is_baddb)
{
    struct vk_fx f;
    size_t len;
    uint8_t *p = build_vk_hive(5, &f, &len);
    const uint32_t cell = hb_get32(p, hb_rec(f.vk[V_CELL]) + HB_VK_DATA);
    const uint32_t room = body_len(p, cell);
    ck_assert_uint_eq(room, 100); /* 99 bytes rounded up to an 8-byte cell */
    uint8_t *copy = dup_image(p, len);
    hb_put32(p, hb_rec(f.vk[V_CELL]) + HB_VK_DATA_SIZE, room); /* slack byte included */
    hb_put32(copy, hb_rec(f.vk[V_CELL]) + HB_VK_DATA_SIZE, room + 1);
    struct hive_image img;
    open_image(p, len, &img);
    struct vk vk;
    struct vk_data d;
    ck_assert_uint_eq(locate(&img, f.vk[V_CELL], 5, &d), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(d.len, room);
    image_free(&img);
    open_image(copy, len, &img);
    ck_assert_uint_eq(vk_read(&img, f.vk[V_CELL], &vk), HK_ERROR_SUCCESS);
    expect_baddb(vk_data_locate(&img, &vk, 5, &d), "runs past");
    /* a data offset that is no cell */
    vk.data_off = cell + 8;
    expect_baddb(vk_data_locate(&img, &vk, 5, &d), "not the start of a cell");
    image_free(&img);
    free_vk_fx(&f);
}
END_TEST

START_TEST(vk_db_segments_checked)
{
    struct vk_fx f;
    size_t len;
    uint8_t *p = build_vk_hive(5, &f, &len);
    const uint32_t db = hb_get32(p, hb_rec(f.vk[V_BIG]) + HB_VK_DATA);
    ck_assert(memcmp(p + hb_rec(db), "db", 2) == 0);
    ck_assert_uint_eq(hb_get16(p, hb_rec(db) + HB_DB_COUNT), 3);
    const uint32_t list = hb_get32(p, hb_rec(db) + HB_DB_LIST);
    const uint32_t last = hb_get32(p, hb_rec(list) + 8);
    const uint32_t last_room = body_len(p, last);
    struct vk_data d;
    struct hive_image img;
    static const uint16_t bad_counts[] = {2, 4, 0};
    char says[64];
    for (size_t i = 0; i < sizeof bad_counts / sizeof bad_counts[0]; i++) {
        uint8_t *c = dup_image(p, len);
        hb_put16(c, hb_rec(db) + HB_DB_COUNT, bad_counts[i]);
        open_image(c, len, &img);
        snprintf(says, sizeof says, "has %u segments where 40000 bytes need 3", bad_counts[i]);
        expect_baddb(locate(&img, f.vk[V_BIG], 5, &d), says);
        image_free(&img);
    }
    /* a size whose last segment overruns the last segment's cell */
    uint8_t *c = dup_image(p, len);
    hb_put32(c, hb_rec(f.vk[V_BIG]) + HB_VK_DATA_SIZE, 2 * HB_BIG_SEGMENT + last_room + 1);
    open_image(c, len, &img);
    expect_baddb(locate(&img, f.vk[V_BIG], 5, &d), "segment 2");
    image_free(&img);
    /* a segment list entry that is no cell */
    hb_put32(p, hb_rec(list) + 4, last + 8);
    open_image(p, len, &img);
    ck_assert_uint_eq(locate(&img, f.vk[V_BIG], 5, &d), HK_ERROR_BADDB);
    image_free(&img);
    free_vk_fx(&f);
}
END_TEST

/* Version 1.3 has no db: data over 16344 bytes sits in one cell. */
START_TEST(vk_one_big_cell_on_1_3)
{
    struct hb *b = hb_new(3, "r");
    uint32_t k = hb_key(b, hb_root(b), "k");
    uint8_t *data = pattern(20000, 9);
    data[0] = 'd'; /* looks like a db record: must not matter */
    data[1] = 'b';
    uint32_t v = hb_value(b, k, "big", 3, data, 20000);
    size_t len;
    uint8_t *p = hb_finish(b, &len);
    const uint32_t cell = hb_get32(p, hb_rec(v) + HB_VK_DATA);
    ck_assert_uint_ge(body_len(p, cell), 20000);
    uint8_t *as15 = dup_image(p, len);
    hb_put32(as15, HB_REGF_MINOR, 5); /* the same hive as 1.5: hivex-style one cell */
    hb_fix_checksum(as15);
    struct hive_image img;
    open_image(p, len, &img);
    ck_assert_uint_eq(img.bb.minor, 3);
    expect_value(&img, v, data, 20000);
    image_free(&img);
    open_image(as15, len, &img);
    ck_assert_uint_eq(img.bb.minor, 5);
    expect_value(&img, v, data, 20000);
    image_free(&img);
    free(data);
}
END_TEST

/* Below 1.4 a db record is not followed: 40000 bytes do not fit its cell. */
START_TEST(vk_db_ignored_below_1_4)
{
    struct vk_fx f;
    size_t len;
    uint8_t *p = build_vk_hive(5, &f, &len);
    hb_put32(p, HB_REGF_MINOR, 3);
    hb_fix_checksum(p);
    struct hive_image img;
    open_image(p, len, &img);
    struct vk_data d;
    expect_baddb(locate(&img, f.vk[V_BIG], 3, &d), "runs past");
    ck_assert_uint_eq(locate(&img, f.vk[V_BIG], 4, &d), HK_ERROR_SUCCESS);
    ck_assert_ptr_nonnull(d.segments);
    expect_value(&img, f.vk[V_CELL], f.data[V_CELL], value_len[V_CELL]);
    image_free(&img);
    free_vk_fx(&f);
}
END_TEST

START_TEST(vk_list_past_cell_is_baddb)
{
    struct hb *b = hb_new(5, "r");
    uint32_t k = hb_key(b, hb_root(b), "k");
    hb_value(b, k, "a", 4, "abcd", 4);
    hb_value(b, k, "b", 4, "efgh", 4);
    size_t len;
    uint8_t *p = hb_finish(b, &len);
    const uint32_t list = hb_get32(p, hb_rec(k) + HB_NK_VALUE_LIST);
    ck_assert_uint_eq(body_len(p, list), 12); /* 2 entries + slack for a third */
    struct hive_image img;
    struct nk nk;
    const uint8_t *entries;
    open_at(p, len, &img, k, &nk);
    nk.value_count = 3;
    ck_assert_uint_eq(vk_list(&img, &nk, &entries), HK_ERROR_SUCCESS);
    nk.value_count = 4;
    expect_baddb(vk_list(&img, &nk, &entries), "claims 4 values");
    nk.value_count = 0x40000001u; /* 4 * count wraps in 32 bits */
    ck_assert_uint_eq(vk_list(&img, &nk, &entries), HK_ERROR_BADDB);
    nk.value_count = 1;
    nk.values = CELL_NIL;
    ck_assert_uint_eq(vk_list(&img, &nk, &entries), HK_ERROR_BADDB);
    struct vk vk;
    expect_baddb(vk_read(&img, k, &vk), "\"vk\" signature");
    image_free(&img);
}
END_TEST

TCase *records_vk_tcase(void)
{
    TCase *vk = tcase_create("vk");
    tcase_add_test(vk, vk_fields_and_data);
    tcase_add_test(vk, vk_inline_over_four_or_long_name_is_baddb);
    tcase_add_test(vk, vk_data_past_cell_is_baddb);
    tcase_add_test(vk, vk_db_segments_checked);
    tcase_add_test(vk, vk_one_big_cell_on_1_3);
    tcase_add_test(vk, vk_db_ignored_below_1_4);
    tcase_add_test(vk, vk_list_past_cell_is_baddb);
    return vk;
}
