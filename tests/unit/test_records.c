/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* record/{nk,vk,subkeys,sk,name}: every record decoded from hives made by the
 * test-side builder and opened with image_open, then broken one field at a
 * time (the builder's offsets come from the format sheet, not from lib/). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/upcase.h"
#include "hive/image.h"
#include "hive_builder.h"
#include "record/name.h"
#include "record/nk.h"
#include "record/sk.h"
#include "record/subkeys.h"
#include "record/vk.h"

Suite *test_suite(void);

/* ---- helpers --------------------------------------------------------------- */

/* Opens a finished image; the image takes p (freed by image_free). */
static void open_image(uint8_t *p, size_t len, struct hive_image *img)
{
    struct file_buf fb = {p, len, 0};
    hk_status st = image_open(img, &fb);
    ck_assert_msg(st == HK_ERROR_SUCCESS, "image_open: %u %s", st, img->diag.msg);
}

/* Body bytes (after the size field) of the allocated cell at off. */
static uint32_t body_len(const uint8_t *p, uint32_t off)
{
    return (uint32_t)0 - hb_get32(p, HB_BASE_BLOCK_SIZE + (size_t)off) - 4u;
}

static void read_nk(struct hive_image *img, uint32_t off, struct nk *nk)
{
    hk_status st = nk_read(img, off, nk);
    ck_assert_msg(st == HK_ERROR_SUCCESS, "nk_read(0x%x): %u %s", off, st, img->diag.msg);
}

/* open_image, then nk_read of key (which must succeed). */
static void open_at(uint8_t *p, size_t len, struct hive_image *img, uint32_t key, struct nk *nk)
{
    open_image(p, len, img);
    read_nk(img, key, nk);
}

static void expect_baddb(struct hive_image *img, hk_status st, const char *says)
{
    ck_assert_msg(st == HK_ERROR_BADDB, "status %u, BADDB expected", st);
    ck_assert_msg(strstr(img->diag.msg, says) != NULL, "message \"%s\" lacks \"%s\"",
                  img->diag.msg, says);
}

/* A copy of a finished image, for a second set of pokes. */
static uint8_t *dup_image(const uint8_t *p, size_t len)
{
    uint8_t *c = malloc(len);
    ck_assert_ptr_nonnull(c);
    return memcpy(c, p, len);
}

static uint8_t *pattern(uint32_t n, uint32_t seed)
{
    uint8_t *p = malloc(n ? n : 1);
    ck_assert_ptr_nonnull(p);
    for (uint32_t i = 0; i < n; i++)
        p[i] = (uint8_t)(i * 13u + seed + (i >> 9));
    return p;
}

/* ---- nk -------------------------------------------------------------------- */

struct nk_fx {
    uint32_t root, child, sub_a, sub_b, omega, shortnk;
};

static uint8_t *build_nk_hive(struct nk_fx *f, size_t *len)
{
    struct hb *b = hb_new(5, "ROOT");
    f->root = hb_root(b);
    f->child = hb_key(b, f->root, "Child");
    f->sub_a = hb_key(b, f->child, "a");
    f->sub_b = hb_key(b, f->child, "LongerName");
    f->omega = hb_key(b, f->root, "\xce\xa9mega"); /* Ωmega: stored UTF-16 */
    hb_value(b, f->omega, "x", 4, "\1\0\0\0", 4);
    hb_value(b, f->child, "v1", 4, "\1\0\0\0", 4);
    hb_value(b, f->child, "value_two", 1, "0123456789abcdefghij", 20);
    hb_value(b, f->child, "", 3, NULL, 0);
    hb_class(b, f->child, "MyClass");
    hb_key_time(b, f->child, 0x0123456789ABCDEFull);
    static const uint8_t shortnk[40] = {'n', 'k'}; /* shorter than a key node's header */
    f->shortnk = hb_cell(b, shortnk, sizeof shortnk);
    uint8_t *p = hb_finish(b, len);
    hb_put8(p, hb_rec(f->child) + 12, 0x02);  /* access bits */
    hb_put8(p, hb_rec(f->child) + 13, 0x81);  /* layered */
    hb_put8(p, hb_rec(f->child) + 54, 0xA5);  /* virtualization 0xA, user 0x5 */
    /* a predefined-handle key: its value count (1) is a handle */
    hb_put16(p, hb_rec(f->omega) + HB_NK_FLAGS, NK_FLAG_PREDEF_HANDLE);
    return p;
}

/* Includes PREDEF_HANDLE forcing the value count to 0. */
START_TEST(nk_fields)
{
    struct nk_fx f;
    size_t len;
    uint8_t *p = build_nk_hive(&f, &len);
    const uint32_t shared_sk = hb_get32(p, hb_rec(f.root) + HB_NK_SK);
    const uint32_t values = hb_get32(p, hb_rec(f.child) + HB_NK_VALUE_LIST);
    const uint32_t class_cell = hb_get32(p, hb_rec(f.child) + HB_NK_CLASS);
    struct hive_image img;
    open_image(p, len, &img);

    struct nk nk;
    read_nk(&img, f.root, &nk);
    ck_assert_uint_eq(nk.off, f.root);
    ck_assert_uint_eq(nk.flags, NK_FLAG_HIVE_ENTRY | NK_FLAG_NO_DELETE | NK_FLAG_COMP_NAME);
    ck_assert_uint_eq(nk.parent, CELL_NIL);
    ck_assert_uint_eq(nk.subkey_count, 2);
    ck_assert_uint_eq(nk.value_count, 0);
    ck_assert_uint_eq(nk.name.len, 4);
    ck_assert(nk.name.compressed);
    ck_assert(memcmp(nk.name.ptr, "ROOT", 4) == 0);
    ck_assert_uint_eq(nk.max_name, 10); /* "Ωmega" and "Child": 5 units */

    read_nk(&img, f.child, &nk);
    ck_assert_uint_eq(nk.off, f.child);
    ck_assert_uint_eq(nk.flags, NK_FLAG_COMP_NAME);
    ck_assert_uint_eq(nk.last_write, 0x0123456789ABCDEFull);
    ck_assert_uint_eq(nk.access_bits, 0x02);
    ck_assert_uint_eq(nk.layered, 0x81);
    ck_assert_uint_eq(nk.parent, f.root);
    ck_assert_uint_eq(nk.subkey_count, 2);
    ck_assert_uint_eq(nk.value_count, 3);
    ck_assert_uint_eq(nk.values, values);
    ck_assert_uint_eq(nk.sk, shared_sk);
    ck_assert_uint_eq(nk.class_off, class_cell);
    ck_assert_uint_eq(nk.class_len, 14);
    ck_assert_uint_eq(nk.max_name, 20);       /* "LongerName" as UTF-16 */
    ck_assert_uint_eq(nk.max_class, 0);
    ck_assert_uint_eq(nk.max_value_name, 18); /* "value_two" as UTF-16 */
    ck_assert_uint_eq(nk.max_value_data, 20);
    ck_assert_uint_eq(nk.user_flags, 0x5);
    ck_assert_uint_eq(nk.virt_flags, 0xA);
    ck_assert_uint_eq(nk.name.len, 5);
    ck_assert(nk.name.compressed);
    ck_assert(memcmp(nk.name.ptr, "Child", 5) == 0);

    struct span cls;
    ck_assert_uint_eq(nk_class(&img, &nk, &cls), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(cls.len, 14);
    ck_assert(memcmp(cls.ptr, "M\0y\0C\0l\0a\0s\0s\0", 14) == 0);

    read_nk(&img, f.omega, &nk);
    ck_assert_uint_eq(nk.flags, NK_FLAG_PREDEF_HANDLE);
    ck_assert_uint_eq(hb_get32(img.file.data, hb_rec(f.omega) + HB_NK_VALUE_COUNT), 1);
    ck_assert_uint_eq(nk.value_count, 0);
    const uint8_t *entries = (const uint8_t *)&entries;
    ck_assert_uint_eq(vk_list(&img, &nk, &entries), HK_ERROR_SUCCESS);
    ck_assert_ptr_null(entries);
    ck_assert(!nk.name.compressed);
    ck_assert_uint_eq(nk.name.len, 10);
    ck_assert_uint_eq(name_units(nk.name), 5);
    ck_assert_uint_eq(name_unit(nk.name, 0), 0x3A9);
    ck_assert_uint_eq(name_unit(nk.name, 4), 'a');
    ck_assert_uint_eq(nk.user_flags, 0);
    ck_assert_uint_eq(nk.class_off, CELL_NIL);
    ck_assert_uint_eq(nk_class(&img, &nk, &cls), HK_ERROR_SUCCESS); /* none: empty */
    ck_assert_ptr_null(cls.ptr);
    ck_assert_uint_eq(cls.len, 0);

    read_nk(&img, f.sub_a, &nk);
    ck_assert_uint_eq(nk.parent, f.child);
    ck_assert_uint_eq(nk.subkey_count, 0);
    image_free(&img);
}
END_TEST

START_TEST(nk_corrupt_is_baddb)
{
    struct nk_fx f;
    size_t len;
    uint8_t *p = build_nk_hive(&f, &len);
    const uint32_t room = body_len(p, f.child) - HB_NK_NAME;
    ck_assert_uint_ge(room, 5);
    hb_put16(p, hb_rec(f.child) + HB_NK_NAME_LEN, (uint16_t)room); /* slack: still fits */
    hb_put16(p, hb_rec(f.sub_a) + HB_NK_NAME_LEN, (uint16_t)(body_len(p, f.sub_a) - HB_NK_NAME + 1));
    hb_put16(p, hb_rec(f.sub_b) + HB_NK_NAME_LEN, 0xFFFF);
    const uint32_t cls = hb_get32(p, hb_rec(f.child) + HB_NK_CLASS);
    hb_put16(p, hb_rec(f.child) + HB_NK_CLASS_LEN, (uint16_t)(body_len(p, cls) + 1));
    struct hive_image img;
    struct nk nk;
    open_at(p, len, &img, f.child, &nk);
    ck_assert_uint_eq(nk.name.len, room);
    struct span cs;
    expect_baddb(&img, nk_class(&img, &nk, &cs), "class name");
    expect_baddb(&img, nk_read(&img, f.sub_a, &nk), "runs past");
    char at[32];
    snprintf(at, sizeof at, "offset 0x%x", f.sub_a);
    ck_assert_ptr_nonnull(strstr(img.diag.msg, at));
    expect_baddb(&img, nk_read(&img, f.sub_b, &nk), "runs past");
    expect_baddb(&img, nk_read(&img, f.shortnk, &nk), "shorter than");
    expect_baddb(&img, nk_read(&img, f.shortnk + 8, &nk), "not the start of a cell");
    read_nk(&img, f.root, &nk);
    expect_baddb(&img, nk_read(&img, nk.sk, &nk), "\"nk\" signature");
    image_free(&img);
}
END_TEST

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
    ck_assert_msg(st == HK_ERROR_SUCCESS, "locate 0x%x: %u %s", off, st, img->diag.msg);
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
    expect_baddb(&img, locate(&img, f.vk[V_FOUR], 5, &d), "inline");
    uint8_t want[3] = {f.data[V_ONE][0], 0, 0};
    expect_value(&img, f.vk[V_ONE], want, 3);
    expect_baddb(&img, vk_read(&img, f.vk[V_CELL], &vk), "value name");
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
    expect_baddb(&img, vk_data_locate(&img, &vk, 5, &d), "runs past");
    /* a data offset that is no cell */
    vk.data_off = cell + 8;
    expect_baddb(&img, vk_data_locate(&img, &vk, 5, &d), "not the start of a cell");
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
        expect_baddb(&img, locate(&img, f.vk[V_BIG], 5, &d), says);
        image_free(&img);
    }
    /* a size whose last segment overruns the last segment's cell */
    uint8_t *c = dup_image(p, len);
    hb_put32(c, hb_rec(f.vk[V_BIG]) + HB_VK_DATA_SIZE, 2 * HB_BIG_SEGMENT + last_room + 1);
    open_image(c, len, &img);
    expect_baddb(&img, locate(&img, f.vk[V_BIG], 5, &d), "segment 2");
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
    expect_baddb(&img, locate(&img, f.vk[V_BIG], 3, &d), "runs past");
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
    expect_baddb(&img, vk_list(&img, &nk, &entries), "claims 4 values");
    nk.value_count = 0x40000001u; /* 4 * count wraps in 32 bits */
    ck_assert_uint_eq(vk_list(&img, &nk, &entries), HK_ERROR_BADDB);
    nk.value_count = 1;
    nk.values = CELL_NIL;
    ck_assert_uint_eq(vk_list(&img, &nk, &entries), HK_ERROR_BADDB);
    struct vk vk;
    expect_baddb(&img, vk_read(&img, k, &vk), "\"vk\" signature");
    image_free(&img);
}
END_TEST

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
    ck_assert_msg(st == HK_ERROR_SUCCESS, "find %s: %u %s", name, st, img->diag.msg);
    return off;
}

static void expect_at(struct hive_image *img, struct subkeys *sk, uint32_t i, uint32_t want)
{
    uint32_t off = 0;
    hk_status st = subkeys_at(img, sk, i, &off);
    ck_assert_msg(st == HK_ERROR_SUCCESS, "entry %u: %u %s", i, st, img->diag.msg);
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
            expect_baddb(&img, subkeys_open(&img, &nk, &sk), "holds 20");
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
    expect_baddb(&img, subkeys_open(&img, &nk, &sk), "more than its");
    image_free(&img);
    hb_put8(p, hb_rec(list) + 1, 'x'); /* "lx" */
    open_at(p, len, &img, parent, &nk);
    expect_baddb(&img, subkeys_open(&img, &nk, &sk), "signature \"lx\"");
    image_free(&img);
    /* an ri whose second leaf is the ri itself */
    const struct list_case c3 = {'h', 5, 20};
    uint32_t offs3[20];
    p = build_list(&c3, &parent, offs3, &len);
    const uint32_t ri = hb_get32(p, hb_rec(parent) + HB_NK_SUBKEY_LIST);
    ck_assert(memcmp(p + hb_rec(ri), "ri", 2) == 0);
    hb_put32(p, hb_rec(ri) + HB_LIST_ENTRIES + 4, ri);
    open_at(p, len, &img, parent, &nk);
    expect_baddb(&img, subkeys_open(&img, &nk, &sk), "inside an index root");
    image_free(&img);
}
END_TEST

/* ---- sk -------------------------------------------------------------------- */

START_TEST(sk_descriptor_and_refcount)
{
    static const uint8_t own[40] = {1, 0, 4, 0x80, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0xAA, 0xBB};
    struct hb *b = hb_new(5, "r");
    uint32_t a = hb_key(b, hb_root(b), "a");
    uint32_t bk = hb_key(b, hb_root(b), "b");
    hb_key(b, a, "c");
    hb_key(b, bk, "d");
    uint32_t s = hb_key_sd(b, a, own, sizeof own);
    uint32_t s2 = hb_key_sd(b, bk, own, 24); /* ring: shared -> s -> s2 -> shared */
    size_t len;
    uint8_t *p = hb_finish(b, &len);
    const uint32_t shared = hb_get32(p, hb_rec(hb_get32(p, HB_REGF_ROOT)) + HB_NK_SK);
    uint32_t dlen;
    const uint8_t *dsd = hb_default_sd(&dlen);
    uint8_t *c = dup_image(p, len);
    struct hive_image img;
    open_image(p, len, &img);
    struct sk sk;
    ck_assert_uint_eq(sk_read(&img, shared, &sk), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(sk.off, shared);
    ck_assert_uint_eq(sk.refcount, 3); /* root, c, d */
    ck_assert_uint_eq(sk.flink, s);
    ck_assert_uint_eq(sk.blink, s2);
    ck_assert_uint_eq(sk.descriptor.len, dlen);
    ck_assert(memcmp(sk.descriptor.ptr, dsd, dlen) == 0);
    ck_assert_uint_eq(sk_read(&img, s, &sk), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(sk.refcount, 1);
    ck_assert_uint_eq(sk.flink, s2);
    ck_assert_uint_eq(sk.blink, shared);
    ck_assert_uint_eq(sk.descriptor.len, sizeof own);
    ck_assert(memcmp(sk.descriptor.ptr, own, sizeof own) == 0);
    ck_assert_uint_eq(sk_read(&img, s2, &sk), HK_ERROR_SUCCESS);
    ck_assert(sk.flink == shared && sk.blink == s && sk.descriptor.len == 24);
    struct nk nk;
    read_nk(&img, a, &nk);
    ck_assert_uint_eq(nk.sk, s);
    expect_baddb(&img, sk_read(&img, a, &sk), "\"sk\" signature");
    image_free(&img);
    /* descriptor sizes: all the cell's room fits, one byte more does not */
    const uint32_t room = body_len(c, s) - HB_SK_DESC;
    hb_put32(c, hb_rec(s) + HB_SK_DESC_SIZE, room);
    hb_put32(c, hb_rec(shared) + HB_SK_DESC_SIZE, body_len(c, shared) - HB_SK_DESC + 1);
    open_image(c, len, &img);
    ck_assert_uint_eq(sk_read(&img, s, &sk), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(sk.descriptor.len, room);
    expect_baddb(&img, sk_read(&img, shared, &sk), "runs past");
    image_free(&img);
}
END_TEST

/* ---- names ----------------------------------------------------------------- */

static struct name_ref latin1(const char *s)
{
    return (struct name_ref){(const uint8_t *)s, (uint32_t)strlen(s), true};
}

/* UTF-16LE bytes as stored: n units in le (2n bytes). */
static struct name_ref utf16(const uint8_t *le, uint32_t units)
{
    return (struct name_ref){le, 2 * units, false};
}

START_TEST(name_order)
{
    static const uint8_t up16[] = {'C', 0, 'A', 0, 'F', 0, 0xC9, 0}; /* CAFÉ */
    static const uint8_t lo16[] = {'c', 0, 'a', 0, 'f', 0, 0xE9, 0}; /* café */
    static const uint8_t u100[] = {0x00, 0x01}, u178[] = {0x78, 0x01}, u8000[] = {0x00, 0x80};
    /* the same name, Latin-1 and UTF-16, in any case */
    ck_assert_int_eq(name_cmp(latin1("caf\xe9"), utf16(up16, 4)), 0);
    ck_assert_int_eq(name_cmp(utf16(lo16, 4), latin1("CaF\xc9")), 0);
    ck_assert_int_eq(name_cmp(utf16(lo16, 4), utf16(up16, 4)), 0);
    ck_assert_int_eq(name_cmp(latin1(""), utf16(up16, 0)), 0);
    /* a prefix sorts first */
    ck_assert_int_lt(name_cmp(latin1("ab"), latin1("abc")), 0);
    ck_assert_int_gt(name_cmp(latin1("ABC"), latin1("ab")), 0);
    ck_assert_int_lt(name_cmp(latin1(""), latin1("a")), 0);
    ck_assert_int_lt(name_cmp(utf16(up16, 3), latin1("caf\xe9")), 0);
    /* upcased before comparing: 'a' -> 'A' (0x41) sorts before '_' (0x5F) */
    ck_assert_int_lt(name_cmp(latin1("a"), latin1("_")), 0);
    ck_assert_int_gt(name_cmp(latin1("_"), latin1("A")), 0);
    /* units compared unsigned: U+00E9 (-> 0xC9) before U+0100, U+8000 after 'Z';
     * ÿ upcases to U+0178 */
    ck_assert_int_lt(name_cmp(latin1("\xe9"), utf16(u100, 1)), 0);
    ck_assert_int_gt(name_cmp(utf16(u8000, 1), latin1("z")), 0);
    ck_assert_int_eq(name_cmp(latin1("\xff"), utf16(u178, 1)), 0);
    /* an odd trailing byte of a UTF-16 name is ignored */
    struct name_ref odd = {up16, 7, false};
    ck_assert_int_lt(name_cmp(odd, latin1("caf\xe9")), 0);
    ck_assert_int_eq(name_cmp(odd, latin1("caf")), 0);

    /* against upcased units, as subkeys_find compares */
    static const uint16_t cafe[] = {'C', 'A', 'F', 0xC9}, under[] = {'_'}, high[] = {0x8000};
    ck_assert_int_eq(name_cmp_upcased(latin1("caf\xe9"), cafe, 4), 0);
    ck_assert_int_eq(name_cmp_upcased(latin1("CAF\xc9"), cafe, 4), 0);
    ck_assert_int_eq(name_cmp_upcased(utf16(lo16, 4), cafe, 4), 0);
    ck_assert_int_eq(name_cmp_upcased(utf16(up16, 4), cafe, 4), 0);
    ck_assert_int_lt(name_cmp_upcased(latin1("caf"), cafe, 4), 0); /* prefix first */
    ck_assert_int_gt(name_cmp_upcased(latin1("caf\xe9s"), cafe, 4), 0);
    ck_assert_int_gt(name_cmp_upcased(latin1("caf"), cafe, 2), 0);
    ck_assert_int_eq(name_cmp_upcased(latin1(""), cafe, 0), 0);
    ck_assert_int_lt(name_cmp_upcased(latin1("cafa"), cafe, 4), 0);  /* 'A' < 0xC9 */
    ck_assert_int_lt(name_cmp_upcased(latin1("z"), under, 1), 0);    /* 'Z' < '_' */
    ck_assert_int_lt(name_cmp_upcased(latin1("\xff"), high, 1), 0); /* 0x178 < 0x8000 */
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("records");
    TCase *nk = tcase_create("nk");
    tcase_add_test(nk, nk_fields);
    tcase_add_test(nk, nk_corrupt_is_baddb);
    suite_add_tcase(s, nk);
    TCase *vk = tcase_create("vk");
    tcase_add_test(vk, vk_fields_and_data);
    tcase_add_test(vk, vk_inline_over_four_or_long_name_is_baddb);
    tcase_add_test(vk, vk_data_past_cell_is_baddb);
    tcase_add_test(vk, vk_db_segments_checked);
    tcase_add_test(vk, vk_one_big_cell_on_1_3);
    tcase_add_test(vk, vk_db_ignored_below_1_4);
    tcase_add_test(vk, vk_list_past_cell_is_baddb);
    suite_add_tcase(s, vk);
    TCase *lists = tcase_create("subkeys");
    tcase_set_timeout(lists, 60);
    tcase_add_loop_test(lists, subkeys_every_shape, 0,
                        (int)(sizeof list_cases / sizeof list_cases[0]));
    tcase_add_test(lists, subkeys_of_a_leaf_key);
    tcase_add_test(lists, subkeys_count_mismatch_is_baddb);
    tcase_add_test(lists, subkeys_bad_list_cells_are_baddb);
    suite_add_tcase(s, lists);
    TCase *other = tcase_create("sk_names");
    tcase_add_test(other, sk_descriptor_and_refcount);
    tcase_add_test(other, name_order);
    suite_add_tcase(s, other);
    return s;
}
