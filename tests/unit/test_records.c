/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* record/{nk,vk,subkeys,sk,name}: every record decoded from hives made by the
 * test-side builder and opened with image_open, then broken one field at a
 * time (the builder's offsets come from the format sheet, not from lib/).
 * This file: nk, sk, names and the suite; vk and subkey lists in
 * records_vk.c and records_subkeys.c. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "base/upcase.h"
#include "hive_builder.h"
#include "record/name.h"
#include "record/sk.h"
#include "record/vk.h"
#include "records_fixture.h"

Suite *test_suite(void);

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
    expect_baddb(nk_class(&img, &nk, &cs), "class name");
    expect_baddb(nk_read(&img, f.sub_a, &nk), "runs past");
    char at[32];
    snprintf(at, sizeof at, "offset 0x%x", f.sub_a);
    ck_assert_ptr_nonnull(strstr(diag_detail(), at));
    expect_baddb(nk_read(&img, f.sub_b, &nk), "runs past");
    expect_baddb(nk_read(&img, f.shortnk, &nk), "shorter than");
    expect_baddb(nk_read(&img, f.shortnk + 8, &nk), "not the start of a cell");
    read_nk(&img, f.root, &nk);
    expect_baddb(nk_read(&img, nk.sk, &nk), "\"nk\" signature");
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
    expect_baddb(sk_read(&img, a, &sk), "\"sk\" signature");
    image_free(&img);
    /* descriptor sizes: all the cell's room fits, one byte more does not */
    const uint32_t room = body_len(c, s) - HB_SK_DESC;
    hb_put32(c, hb_rec(s) + HB_SK_DESC_SIZE, room);
    hb_put32(c, hb_rec(shared) + HB_SK_DESC_SIZE, body_len(c, shared) - HB_SK_DESC + 1);
    open_image(c, len, &img);
    ck_assert_uint_eq(sk_read(&img, s, &sk), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(sk.descriptor.len, room);
    expect_baddb(sk_read(&img, shared, &sk), "runs past");
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

/* name_cmp and name_cmp_upcased on names built in place. */
static int cmp(struct name_ref a, struct name_ref b)
{
    return name_cmp(&a, &b);
}

static int cmp_up(struct name_ref n, const uint16_t *up, size_t up_len)
{
    return name_cmp_upcased(&n, up, up_len);
}

START_TEST(name_order)
{
    static const uint8_t up16[] = {'C', 0, 'A', 0, 'F', 0, 0xC9, 0}; /* CAFÉ */
    static const uint8_t lo16[] = {'c', 0, 'a', 0, 'f', 0, 0xE9, 0}; /* café */
    static const uint8_t u100[] = {0x00, 0x01}, u178[] = {0x78, 0x01}, u8000[] = {0x00, 0x80};
    /* the same name, Latin-1 and UTF-16, in any case */
    ck_assert_int_eq(cmp(latin1("caf\xe9"), utf16(up16, 4)), 0);
    ck_assert_int_eq(cmp(utf16(lo16, 4), latin1("CaF\xc9")), 0);
    ck_assert_int_eq(cmp(utf16(lo16, 4), utf16(up16, 4)), 0);
    ck_assert_int_eq(cmp(latin1(""), utf16(up16, 0)), 0);
    /* a prefix sorts first */
    ck_assert_int_lt(cmp(latin1("ab"), latin1("abc")), 0);
    ck_assert_int_gt(cmp(latin1("ABC"), latin1("ab")), 0);
    ck_assert_int_lt(cmp(latin1(""), latin1("a")), 0);
    ck_assert_int_lt(cmp(utf16(up16, 3), latin1("caf\xe9")), 0);
    /* upcased before comparing: 'a' -> 'A' (0x41) sorts before '_' (0x5F) */
    ck_assert_int_lt(cmp(latin1("a"), latin1("_")), 0);
    ck_assert_int_gt(cmp(latin1("_"), latin1("A")), 0);
    /* units compared unsigned: U+00E9 (-> 0xC9) before U+0100, U+8000 after 'Z';
     * ÿ upcases to U+0178 */
    ck_assert_int_lt(cmp(latin1("\xe9"), utf16(u100, 1)), 0);
    ck_assert_int_gt(cmp(utf16(u8000, 1), latin1("z")), 0);
    ck_assert_int_eq(cmp(latin1("\xff"), utf16(u178, 1)), 0);
    /* an odd trailing byte of a UTF-16 name is ignored */
    struct name_ref odd = {up16, 7, false};
    ck_assert_int_lt(cmp(odd, latin1("caf\xe9")), 0);
    ck_assert_int_eq(cmp(odd, latin1("caf")), 0);

    /* against upcased units, as subkeys_find compares */
    static const uint16_t cafe[] = {'C', 'A', 'F', 0xC9}, under[] = {'_'}, high[] = {0x8000};
    ck_assert_int_eq(cmp_up(latin1("caf\xe9"), cafe, 4), 0);
    ck_assert_int_eq(cmp_up(latin1("CAF\xc9"), cafe, 4), 0);
    ck_assert_int_eq(cmp_up(utf16(lo16, 4), cafe, 4), 0);
    ck_assert_int_eq(cmp_up(utf16(up16, 4), cafe, 4), 0);
    ck_assert_int_lt(cmp_up(latin1("caf"), cafe, 4), 0); /* prefix first */
    ck_assert_int_gt(cmp_up(latin1("caf\xe9s"), cafe, 4), 0);
    ck_assert_int_gt(cmp_up(latin1("caf"), cafe, 2), 0);
    ck_assert_int_eq(cmp_up(latin1(""), cafe, 0), 0);
    ck_assert_int_lt(cmp_up(latin1("cafa"), cafe, 4), 0);  /* 'A' < 0xC9 */
    ck_assert_int_lt(cmp_up(latin1("z"), under, 1), 0);    /* 'Z' < '_' */
    ck_assert_int_lt(cmp_up(latin1("\xff"), high, 1), 0); /* 0x178 < 0x8000 */
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("records");
    TCase *nk = tcase_create("nk");
    tcase_add_test(nk, nk_fields);
    tcase_add_test(nk, nk_corrupt_is_baddb);
    suite_add_tcase(s, nk);
    suite_add_tcase(s, records_vk_tcase());
    suite_add_tcase(s, records_subkeys_tcase());
    TCase *other = tcase_create("sk_names");
    tcase_add_test(other, sk_descriptor_and_refcount);
    tcase_add_test(other, name_order);
    suite_add_tcase(s, other);
    return s;
}
