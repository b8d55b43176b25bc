/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Read API, keys: hk_open_key paths and case folding, hk_enum_key order and
 * buffers, lists of every shape (li/lf/lh, ri), hk_query_info_key,
 * hk_key_name, hk_get_key_security. Hives come from the test-side builder
 * and are opened from memory; only the public header is used.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_fixture.h"
#include "hivekit.h"

Suite *test_suite(void);

#define CAFE "caf\xc3\xa9"                       /* café, stored Latin-1 */
#define CAFE_UP "CAF\xc3\x89"                    /* CAFÉ */
#define KLYUCH "\xd0\x9a\xd0\xbb\xd1\x8e\xd1\x87" /* Ключ, stored UTF-16 */
#define KLYUCH_MIX "\xd0\xba\xd0\x9b\xd0\xae\xd0\xa7" /* кЛЮЧ */

static hk_key *must_open(hk_key *k, const char *path)
{
    hk_key *out = NULL;
    const hk_status st = hk_open_key(k, path, 0, HK_KEY_READ, &out);
    ck_assert_msg(st == HK_ERROR_SUCCESS, "open_key(%s): %u", path, st);
    ck_assert_ptr_nonnull(out);
    return out;
}

static hk_status try_open(hk_key *k, const char *path)
{
    hk_key *out = (hk_key *)&out; /* sentinel: must stay on failure */
    const hk_status st = hk_open_key(k, path, 0, HK_KEY_READ, &out);
    if (st == HK_ERROR_SUCCESS)
        hk_close_key(out);
    else
        ck_assert_ptr_eq(out, (hk_key *)&out);
    return st;
}

static void expect_name(hk_key *k, const char *want)
{
    char buf[512];
    size_t n = sizeof buf;
    ck_assert_uint_eq(hk_key_name(k, buf, &n), HK_ERROR_SUCCESS);
    ck_assert_str_eq(buf, want);
    ck_assert_uint_eq(n, strlen(want));
}

static void expect_enum(hk_key *k, uint32_t i, const char *want)
{
    char buf[512];
    size_t n = sizeof buf;
    const hk_status st = hk_enum_key(k, i, buf, &n);
    ck_assert_msg(st == HK_ERROR_SUCCESS, "enum_key(%u): %u", i, st);
    ck_assert_str_eq(buf, want);
    ck_assert_uint_eq(n, strlen(want));
}

/* ---- open_key -------------------------------------------------------- */

static const struct { unsigned minor; char kind; unsigned leaf_max; } shapes[] = {
    {5, 'h', 0}, {3, 'f', 0}, {3, 'i', 0}, {5, 'h', 2}, {4, 'f', 1}, {5, 'i', 2},
};

static struct fx names_hive(int shape)
{
    struct hb *b = hb_new(shapes[shape].minor, "ROOT");
    const uint32_t r = hb_root(b);
    hb_list_kind(b, r, shapes[shape].kind, shapes[shape].leaf_max);
    hb_key(b, r, CAFE);
    const uint32_t sw = hb_key(b, r, "Software");
    hb_key(b, r, KLYUCH);
    const uint32_t ms = hb_key(b, sw, "Microsoft");
    hb_key(b, ms, "Windows");
    return open_built(b);
}

START_TEST(open_key_is_case_insensitive_in_every_list_shape)
{
    struct fx f = names_hive(_i);
    static const char *const hits[][2] = {
        {"Software", "Software"}, {"SOFTWARE", "Software"}, {"sOfTwArE", "Software"},
        {CAFE, CAFE}, {CAFE_UP, CAFE}, {"CAF\xc3\xa9", CAFE},
        {KLYUCH, KLYUCH}, {KLYUCH_MIX, KLYUCH},
    };
    for (size_t i = 0; i < sizeof hits / sizeof hits[0]; i++) {
        hk_key *k = must_open(f.root, hits[i][0]);
        expect_name(k, hits[i][1]);
        hk_close_key(k);
    }
    close_fx(&f);
}
END_TEST

START_TEST(open_key_walks_paths_and_tolerates_one_trailing_backslash)
{
    struct fx f = names_hive(0);
    hk_key *k = must_open(f.root, "software\\MICROSOFT\\windows");
    expect_name(k, "Windows");
    hk_close_key(k);
    k = must_open(f.root, "Software\\Microsoft\\");
    expect_name(k, "Microsoft");
    hk_key *w = must_open(k, "Windows\\");
    expect_name(w, "Windows");
    hk_close_key(w);
    hk_close_key(k);
    k = must_open(f.root, "Software\\");
    expect_name(k, "Software");
    hk_close_key(k);
    /* repeated and trailing separators are tolerated, as RegOpenKeyEx does */
    k = must_open(f.root, "Software\\\\");
    expect_name(k, "Software");
    hk_close_key(k);
    k = must_open(f.root, "Software\\\\Microsoft\\\\\\Windows\\\\");
    expect_name(k, "Windows");
    hk_close_key(k);
    close_fx(&f);
}
END_TEST

START_TEST(open_key_rejects_bad_paths)
{
    struct fx f = names_hive(0);
    ck_assert_uint_eq(try_open(f.root, "\\Software"), HK_ERROR_BAD_PATHNAME);
    ck_assert_uint_eq(try_open(f.root, "\\"), HK_ERROR_BAD_PATHNAME);
    ck_assert_uint_eq(try_open(f.root, "\\\\Software"), HK_ERROR_BAD_PATHNAME);
    ck_assert_uint_eq(try_open(f.root, "Nope"), HK_ERROR_FILE_NOT_FOUND);
    ck_assert_uint_eq(try_open(f.root, "Softwar"), HK_ERROR_FILE_NOT_FOUND);
    ck_assert_uint_eq(try_open(f.root, "Software2"), HK_ERROR_FILE_NOT_FOUND);
    ck_assert_uint_eq(try_open(f.root, "Software\\Nope"), HK_ERROR_FILE_NOT_FOUND);
    ck_assert_uint_eq(try_open(f.root, "Software\\Microsoft\\Windows\\X"),
                      HK_ERROR_FILE_NOT_FOUND);
    ck_assert_uint_eq(try_open(f.root, "ROOT"), HK_ERROR_FILE_NOT_FOUND);
    hk_key *out = (hk_key *)&out;
    ck_assert_uint_eq(hk_open_key(f.root, "Software", 1, HK_KEY_READ, &out),
                      HK_ERROR_INVALID_PARAMETER);
    ck_assert_ptr_eq(out, (hk_key *)&out);
    close_fx(&f);
}
END_TEST

START_TEST(open_key_rejects_invalid_utf8)
{
    struct fx f = names_hive(0);
    static const char *const bad[] = {
        "\xff", "Soft\xc3", "\xc0\xaf", "\xe0\x80\xaf", "\xf4\x90\x80\x80",
        "\xf8\x88\x80\x80\x80", "a\x80", "Software\\\xfe",
        "\xed\xa0\xbd\xed\xb8\x80", /* a surrogate pair as two WTF-8 halves */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(try_open(f.root, bad[i]) == HK_ERROR_NO_UNICODE_TRANSLATION, "case %zu", i);
    close_fx(&f);
}
END_TEST

START_TEST(open_key_null_or_empty_gives_a_new_handle_on_the_same_key)
{
    struct fx f = names_hive(0);
    hk_key *sw = must_open(f.root, "Software");
    hk_key *a = must_open(sw, NULL);
    hk_key *b = must_open(sw, "");
    ck_assert_ptr_ne(a, sw);
    ck_assert_ptr_ne(b, sw);
    ck_assert_ptr_ne(a, b);
    ck_assert_uint_eq(hk_close_key(sw), HK_ERROR_SUCCESS);
    expect_name(a, "Software");
    expect_enum(a, 0, "Microsoft");
    ck_assert_uint_eq(hk_close_key(a), HK_ERROR_SUCCESS);
    expect_name(b, "Software");
    ck_assert_uint_eq(hk_close_key(b), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_close_key(NULL), HK_ERROR_SUCCESS);
    close_fx(&f);
}
END_TEST

START_TEST(keys_outlive_the_hive_handle)
{
    struct fx f = names_hive(0);
    hk_key *sw = must_open(f.root, "Software");
    hk_close_key(f.root);
    hk_hive_close(f.hive);
    expect_enum(sw, 0, "Microsoft");
    hk_close_key(sw);
}
END_TEST

/* ---- enum_key -------------------------------------------------------- */

START_TEST(enum_key_lists_in_stored_order_then_no_more_items)
{
    struct fx f = names_hive(_i);
    expect_enum(f.root, 0, CAFE);
    expect_enum(f.root, 1, "Software");
    expect_enum(f.root, 2, KLYUCH);
    char buf[64];
    size_t n = sizeof buf;
    ck_assert_uint_eq(hk_enum_key(f.root, 3, buf, &n), HK_ERROR_NO_MORE_ITEMS);
    n = sizeof buf;
    ck_assert_uint_eq(hk_enum_key(f.root, 0xFFFFFFFFu, buf, &n), HK_ERROR_NO_MORE_ITEMS);
    close_fx(&f);
}
END_TEST

START_TEST(enum_key_short_buffer_gives_more_data_and_copies_nothing)
{
    struct fx f = names_hive(0);
    char buf[32];
    memset(buf, 'X', sizeof buf);
    size_t n = strlen(KLYUCH); /* 8 bytes: no room for the NUL */
    ck_assert_uint_eq(hk_enum_key(f.root, 2, buf, &n), HK_ERROR_MORE_DATA);
    ck_assert_uint_eq(n, strlen(KLYUCH) + 1);
    for (size_t i = 0; i < sizeof buf; i++)
        ck_assert_int_eq(buf[i], 'X');
    n = 0;
    ck_assert_uint_eq(hk_enum_key(f.root, 1, buf, &n), HK_ERROR_MORE_DATA);
    ck_assert_uint_eq(n, 9);
    n = 9;
    ck_assert_uint_eq(hk_enum_key(f.root, 1, buf, &n), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(n, 8);
    ck_assert_str_eq(buf, "Software");
    n = strlen(CAFE) + 1;
    ck_assert_uint_eq(hk_enum_key(f.root, 0, buf, &n), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(n, 5);
    ck_assert_str_eq(buf, CAFE);
    close_fx(&f);
}
END_TEST

START_TEST(enum_key_ex_reports_each_last_write_time)
{
    struct hb *b = hb_new(5, "ROOT");
    const uint32_t r = hb_root(b);
    const uint32_t a = hb_key(b, r, "a");
    hb_key(b, r, "b");
    hb_key_time(b, a, 0x01D0AABBCCDDEEFFull);
    struct fx f = open_built(b);
    char buf[16];
    size_t n = sizeof buf;
    uint64_t t = 0;
    ck_assert_uint_eq(hk_enum_key_ex(f.root, 0, buf, &n, &t), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(t, 0x01D0AABBCCDDEEFFull);
    n = sizeof buf;
    ck_assert_uint_eq(hk_enum_key_ex(f.root, 1, buf, &n, &t), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(t, HB_DEFAULT_TIME);
    n = sizeof buf;
    ck_assert_uint_eq(hk_enum_key_ex(f.root, 1, buf, &n, NULL), HK_ERROR_SUCCESS);
    close_fx(&f);
}
END_TEST

static void expect_baddb_at(hk_key *k, uint32_t bad_index)
{
    for (uint32_t i = 0; i < bad_index; i++) {
        char buf[64];
        size_t n = sizeof buf;
        ck_assert_msg(hk_enum_key(k, i, buf, &n) == HK_ERROR_SUCCESS, "index %u", i);
    }
    char buf[64];
    size_t n = sizeof buf;
    ck_assert_uint_eq(hk_enum_key(k, bad_index, buf, &n), HK_ERROR_BADDB);
    /* every later index fails the same way, never one in the middle alone
     * (in {b, a, c, d}, "c" sorts after "a" but the list is broken) */
    for (uint32_t i = bad_index + 1; i < 4; i++) {
        n = sizeof buf;
        ck_assert_msg(hk_enum_key(k, i, buf, &n) == HK_ERROR_BADDB, "index %u", i);
        hk_key *sub = NULL;
        ck_assert_uint_eq(hk_open_subkey_at(k, i, HK_KEY_READ, &sub), HK_ERROR_BADDB);
    }
    /* a new handle on the key knows it too */
    hk_key *again;
    ck_assert_uint_eq(hk_open_key(k, NULL, 0, HK_KEY_READ, &again), HK_ERROR_SUCCESS);
    n = sizeof buf;
    ck_assert_uint_eq(hk_enum_key(again, 3, buf, &n), HK_ERROR_BADDB);
    hk_close_key(again);
}

/* The root's subkeys named as given, in that order, in list shape s. */
static struct fx listed_hive(size_t s, const char *const *names, int n)
{
    struct hb *b = hb_new(shapes[s].minor, "ROOT");
    const uint32_t r = hb_root(b);
    hb_list_kind(b, r, shapes[s].kind, shapes[s].leaf_max);
    for (int i = 0; i < n; i++)
        hb_key(b, r, names[i]);
    return open_built(b);
}

START_TEST(enum_key_reports_baddb_at_the_first_out_of_order_index)
{
    static const char *const orders[][4] = {
        {"a", "c", "b", "d"}, /* b < c: index 2 */
        {"a", "B", "b", "d"}, /* case-insensitive duplicate: index 2 */
        {"b", "a", "c", "d"}, /* index 1 */
        {"a", "b", "d", "c"}, /* index 3 */
    };
    static const uint32_t bad_at[] = {2, 2, 1, 3};
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        for (size_t o = 0; o < 4; o++) {
            struct fx f = listed_hive(s, orders[o], 4);
            expect_baddb_at(f.root, bad_at[o]);
            ck_assert_str_ne(hk_errmsg(), "");
            close_fx(&f);
        }
    }
}
END_TEST

/* Whichever index is asked first, and in whatever order the rest: the
 * indexes before the first bad entry succeed, it and every later one fail
 * with BADDB (a walk skipping ahead checks the entries it skipped). */
START_TEST(out_of_order_lists_fail_from_the_same_index_in_any_call_order)
{
    static const char *const orders[][5] = {
        {"a", "c", "b", "d", "e"}, /* bad at 2 */
        {"b", "a", "c", "d", "e"}, /* bad at 1 */
        {"a", "b", "c", "e", "d"}, /* bad at 4 */
    };
    static const uint32_t bad_at[] = {2, 1, 4};
    /* call orders: descending, the last index then ascending, one past
     * the bad entry first, open_subkey_at first */
    static const uint32_t calls[][5] = {
        {4, 3, 2, 1, 0}, {4, 0, 1, 2, 3}, {3, 0, 4, 2, 1}, {4, 3, 1, 0, 2},
    };
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        for (size_t o = 0; o < 3; o++) {
            for (size_t c = 0; c < 4; c++) {
                struct fx f = listed_hive(s, orders[o], 5);
                for (int k = 0; k < 5; k++) {
                    uint32_t i = calls[c][k];
                    hk_status want = i < bad_at[o] ? HK_ERROR_SUCCESS : HK_ERROR_BADDB;
                    char buf[8];
                    size_t n = sizeof buf;
                    hk_status got;
                    if (c == 3 && k == 0) {
                        hk_key *sub = NULL;
                        got = hk_open_subkey_at(f.root, i, HK_KEY_READ, &sub);
                        hk_close_key(sub);
                    } else {
                        got = hk_enum_key(f.root, i, buf, &n);
                    }
                    ck_assert_msg(got == want, "shape %zu order %zu calls %zu index %u: %u", s,
                                  o, c, i, got);
                    if (got == HK_ERROR_SUCCESS && !(c == 3 && k == 0))
                        ck_assert_str_eq(buf, orders[o][i]);
                }
                close_fx(&f);
            }
        }
    }
}
END_TEST

/* 3000 subkeys key0000..key2999 under "many", in the given list shape. */
static struct fx many_hive(unsigned minor, char kind, unsigned leaf_max)
{
    struct hb *b = hb_new(minor, "ROOT");
    const uint32_t r = hb_root(b);
    hb_key(b, r, "before");
    const uint32_t m = hb_key(b, r, "many");
    hb_key(b, r, "zafter");
    hb_list_kind(b, m, kind, leaf_max);
    for (unsigned i = 0; i < 3000; i++) {
        char name[16];
        snprintf(name, sizeof name, "key%04u", i);
        const uint32_t k = hb_key(b, m, name);
        if (i % 500 == 7)
            hb_key(b, k, "leaf");
    }
    return open_built(b);
}

START_TEST(ri_lists_enumerate_and_look_up_every_key)
{
    static const struct { unsigned minor; char kind; unsigned leaf_max; } ri[] = {
        {5, 'h', 1012}, {5, 'i', 1012}, {5, 'i', 300}, {3, 'f', 506}, {5, 'h', 0},
    };
    struct fx f = many_hive(ri[_i].minor, ri[_i].kind, ri[_i].leaf_max);
    hk_key *m = must_open(f.root, "MANY");
    hk_key_info info = HK_KEY_INFO_INIT;
    ck_assert_uint_eq(hk_query_info_key(m, NULL, NULL, &info), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(info.subkeys, 3000);
    ck_assert_uint_eq(info.max_subkey_name_len, 7);
    for (uint32_t i = 0; i < 3000; i++) {
        char want[16];
        snprintf(want, sizeof want, "key%04u", i);
        expect_enum(m, i, want);
    }
    char buf[16];
    size_t n = sizeof buf;
    ck_assert_uint_eq(hk_enum_key(m, 3000, buf, &n), HK_ERROR_NO_MORE_ITEMS);
    for (unsigned i = 0; i < 3000; i += 7) {
        char q[16];
        snprintf(q, sizeof q, "KEY%04u", i);
        hk_key *k = must_open(m, q);
        hk_close_key(k);
    }
    hk_key *k = must_open(m, "key2999");
    hk_close_key(k);
    k = must_open(f.root, "many\\Key1507\\LEAF");
    expect_name(k, "leaf");
    hk_close_key(k);
    ck_assert_uint_eq(try_open(m, "key3000"), HK_ERROR_FILE_NOT_FOUND);
    ck_assert_uint_eq(try_open(m, "key"), HK_ERROR_FILE_NOT_FOUND);
    ck_assert_uint_eq(try_open(m, "key00000"), HK_ERROR_FILE_NOT_FOUND);
    ck_assert_uint_eq(try_open(m, "a"), HK_ERROR_FILE_NOT_FOUND);
    ck_assert_uint_eq(try_open(m, "zzz"), HK_ERROR_FILE_NOT_FOUND);
    hk_close_key(m);
    close_fx(&f);
}
END_TEST

START_TEST(lone_surrogate_names_round_trip_as_wtf8)
{
    struct hb *b = hb_new(5, "ROOT");
    const uint32_t s = hb_key(b, hb_root(b), "sur");
    static const uint16_t lone_hi[] = {'a', 0xD800, 'z'};
    static const uint16_t pair[] = {0xD83D, 0xDE00};
    static const uint16_t lone_lo[] = {0xDC00};
    hb_key_raw(b, s, lone_hi, 3);
    hb_key_raw(b, s, pair, 2);
    hb_key_raw(b, s, lone_lo, 1);
    struct fx f = open_built(b);
    hk_key *k = must_open(f.root, "sur");
    expect_enum(k, 0, "a\xed\xa0\x80z");
    expect_enum(k, 1, "\xf0\x9f\x98\x80");
    expect_enum(k, 2, "\xed\xb0\x80");
    hk_key *c = must_open(k, "A\xed\xa0\x80Z");
    expect_name(c, "a\xed\xa0\x80z");
    hk_close_key(c);
    c = must_open(k, "\xf0\x9f\x98\x80");
    hk_close_key(c);
    c = must_open(f.root, "sur\\\xed\xb0\x80");
    expect_name(c, "\xed\xb0\x80");
    hk_close_key(c);
    ck_assert_uint_eq(try_open(k, "\xed\xa0\x80"), HK_ERROR_FILE_NOT_FOUND);
    hk_close_key(k);
    close_fx(&f);
}
END_TEST

/* ---- query_info_key, key_name, security -------------------------------- */

START_TEST(query_info_key_reports_counts_maxima_class_and_time)
{
    struct hb *b = hb_new(5, "ROOT");
    const uint32_t k = hb_key(b, hb_root(b), "k");
    hb_class(b, k, "Klass\xc3\xa9"); /* 7 bytes of UTF-8 */
    hb_key_time(b, k, 0x01D71234567890ABull);
    const uint32_t c1 = hb_key(b, k, "a");
    hb_key(b, k, "bbbbbbbbbb");
    hb_key(b, k, KLYUCH);
    hb_class(b, c1, "longer class");
    hb_value(b, k, "", 1, "x\0\0\0", 4);
    hb_value(b, k, "\xd0\x97\xd0\xb2\xd0\xb7", 3, "0123456789", 10); /* 3 units */
    hb_value(b, k, "v", 3, NULL, 0);
    struct fx f = open_built(b);
    hk_key *key = must_open(f.root, "k");
    char cls[64];
    size_t n = sizeof cls;
    hk_key_info info = HK_KEY_INFO_INIT;
    memset(&info, 0xAB, sizeof info);
    info.size = sizeof info;
    ck_assert_uint_eq(hk_query_info_key(key, cls, &n, &info), HK_ERROR_SUCCESS);
    ck_assert_str_eq(cls, "Klass\xc3\xa9");
    ck_assert_uint_eq(n, 7);
    ck_assert_uint_eq(info.subkeys, 3);
    ck_assert_uint_eq(info.max_subkey_name_len, 10);
    ck_assert_uint_eq(info.max_class_len, 12);
    ck_assert_uint_eq(info.values, 3);
    ck_assert_uint_eq(info.max_value_name_len, 3);
    ck_assert_uint_eq(info.max_value_data_len, 10);
    uint32_t sdlen;
    hb_default_sd(&sdlen);
    ck_assert_uint_eq(info.security_descriptor_size, sdlen);
    ck_assert_uint_eq(info.last_write, 0x01D71234567890ABull);
    /* the same maxima in UTF-8 bytes, the units of the buffers: 3 per unit */
    ck_assert_uint_eq(info.max_subkey_name_size, 30);
    ck_assert_uint_eq(info.max_class_size, 36);
    ck_assert_uint_eq(info.max_value_name_size, 9);

    /* class MORE_DATA: needs 8 with the NUL, copies nothing, info untouched */
    memset(cls, 'X', sizeof cls);
    memset(&info, 0xAB, sizeof info);
    info.size = sizeof info;
    hk_key_info untouched = HK_KEY_INFO_INIT;
    memset(&untouched, 0xAB, sizeof untouched);
    untouched.size = sizeof untouched;
    n = 7;
    ck_assert_uint_eq(hk_query_info_key(key, cls, &n, &info), HK_ERROR_MORE_DATA);
    ck_assert_uint_eq(n, 8);
    ck_assert_int_eq(cls[0], 'X');
    ck_assert_int_eq(memcmp(&info, &untouched, sizeof info), 0);
    n = 8;
    ck_assert_uint_eq(hk_query_info_key(key, cls, &n, &info), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(n, 7);
    ck_assert_uint_eq(hk_query_info_key(key, cls, NULL, &info), HK_ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(hk_query_info_key(key, NULL, NULL, &info), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(info.subkeys, 3);
    hk_close_key(key);

    /* a key without class, subkeys or values */
    key = must_open(f.root, "k\\bbbbbbbbbb");
    n = sizeof cls;
    ck_assert_uint_eq(hk_query_info_key(key, cls, &n, &info), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(n, 0);
    ck_assert_str_eq(cls, "");
    ck_assert_uint_eq(info.subkeys, 0);
    ck_assert_uint_eq(info.values, 0);
    ck_assert_uint_eq(info.max_subkey_name_len, 0);
    ck_assert_uint_eq(info.max_value_data_len, 0);
    ck_assert_uint_eq(info.last_write, HB_DEFAULT_TIME);
    hk_close_key(key);
    close_fx(&f);
}
END_TEST

START_TEST(query_info_key_returns_the_cached_maxima_of_the_key_node)
{
    struct hb *b = hb_new(5, "ROOT");
    const uint32_t k = hb_key(b, hb_root(b), "k");
    hb_key(b, k, "a");
    size_t len;
    uint8_t *img = hb_finish(b, &len);
    /* high-water marks bigger than reality; bytes 54-55 hold flags */
    hb_put32(img, hb_rec(k) + HB_NK_MAX_SUBKEY_NAME, 0x00320200);
    hb_put32(img, hb_rec(k) + HB_NK_MAX_SUBKEY_CLASS, 0x40);
    hb_put32(img, hb_rec(k) + HB_NK_MAX_VALUE_NAME, 0x30);
    hb_put32(img, hb_rec(k) + HB_NK_MAX_VALUE_DATA, 12345);
    hk_hive *h;
    ck_assert_uint_eq(hk_hive_open_memory(img, len, NULL, &h), HK_ERROR_SUCCESS);
    free(img);
    hk_key *root, *key;
    ck_assert_uint_eq(hk_hive_root(h, &root), HK_ERROR_SUCCESS);
    key = must_open(root, "k");
    hk_key_info info = HK_KEY_INFO_INIT;
    ck_assert_uint_eq(hk_query_info_key(key, NULL, NULL, &info), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(info.max_subkey_name_len, 0x100);
    ck_assert_uint_eq(info.max_class_len, 0x20);
    ck_assert_uint_eq(info.max_value_name_len, 0x18);
    ck_assert_uint_eq(info.max_value_data_len, 12345);
    hk_close_key(key);
    hk_close_key(root);
    hk_hive_close(h);
}
END_TEST

START_TEST(key_name_of_root_and_children_with_buffer_rules)
{
    struct hb *b = hb_new(3, "$$$PROTO.HIV");
    hb_key(b, hb_root(b), KLYUCH);
    struct fx f = open_built(b);
    expect_name(f.root, "$$$PROTO.HIV");
    char buf[32];
    memset(buf, 'X', sizeof buf);
    size_t n = 12;
    ck_assert_uint_eq(hk_key_name(f.root, buf, &n), HK_ERROR_MORE_DATA);
    ck_assert_uint_eq(n, 13);
    ck_assert_int_eq(buf[0], 'X');
    hk_key *k = must_open(f.root, KLYUCH_MIX);
    expect_name(k, KLYUCH);
    hk_close_key(k);
    close_fx(&f);
}
END_TEST

START_TEST(get_key_security_returns_the_stored_descriptor)
{
    static const uint8_t own_sd[] = {
        1, 0, 0x00, 0x80, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0, /* owner S-1-5-18 only */
    };
    struct hb *b = hb_new(5, "ROOT");
    const uint32_t own = hb_key(b, hb_root(b), "own");
    hb_key(b, hb_root(b), "shared");
    hb_key_sd(b, own, own_sd, sizeof own_sd);
    struct fx f = open_built(b);
    uint32_t sdlen;
    const uint8_t *sd = hb_default_sd(&sdlen);
    uint8_t buf[256];
    size_t n = sizeof buf;
    ck_assert_uint_eq(hk_get_key_security(f.root, buf, &n), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(n, sdlen);
    ck_assert_int_eq(memcmp(buf, sd, sdlen), 0);

    hk_key *k = must_open(f.root, "own");
    n = sizeof buf;
    ck_assert_uint_eq(hk_get_key_security(k, buf, &n), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(n, sizeof own_sd);
    ck_assert_int_eq(memcmp(buf, own_sd, sizeof own_sd), 0);
    hk_key_info info = HK_KEY_INFO_INIT;
    ck_assert_uint_eq(hk_query_info_key(k, NULL, NULL, &info), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(info.security_descriptor_size, sizeof own_sd);
    memset(buf, 'X', sizeof buf);
    n = sizeof own_sd - 1;
    ck_assert_uint_eq(hk_get_key_security(k, buf, &n), HK_ERROR_INSUFFICIENT_BUFFER);
    ck_assert_uint_eq(n, sizeof own_sd);
    ck_assert_int_eq(buf[0], 'X');
    hk_close_key(k);

    k = must_open(f.root, "shared");
    n = sizeof buf;
    ck_assert_uint_eq(hk_get_key_security(k, buf, &n), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(n, sdlen);
    ck_assert_int_eq(memcmp(buf, sd, sdlen), 0);
    hk_close_key(k);
    close_fx(&f);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("read_api_keys");
    const int nshapes = (int)(sizeof shapes / sizeof shapes[0]);
    TCase *tc = tcase_create("open_key");
    tcase_add_loop_test(tc, open_key_is_case_insensitive_in_every_list_shape, 0, nshapes);
    tcase_add_test(tc, open_key_walks_paths_and_tolerates_one_trailing_backslash);
    tcase_add_test(tc, open_key_rejects_bad_paths);
    tcase_add_test(tc, open_key_rejects_invalid_utf8);
    tcase_add_test(tc, open_key_null_or_empty_gives_a_new_handle_on_the_same_key);
    tcase_add_test(tc, keys_outlive_the_hive_handle);
    tcase_add_test(tc, lone_surrogate_names_round_trip_as_wtf8);
    suite_add_tcase(s, tc);

    tc = tcase_create("enum_key");
    tcase_add_loop_test(tc, enum_key_lists_in_stored_order_then_no_more_items, 0, nshapes);
    tcase_add_test(tc, enum_key_short_buffer_gives_more_data_and_copies_nothing);
    tcase_add_test(tc, enum_key_ex_reports_each_last_write_time);
    tcase_add_test(tc, enum_key_reports_baddb_at_the_first_out_of_order_index);
    tcase_add_test(tc, out_of_order_lists_fail_from_the_same_index_in_any_call_order);
    tcase_add_loop_test(tc, ri_lists_enumerate_and_look_up_every_key, 0, 5);
    tcase_set_timeout(tc, 30);
    suite_add_tcase(s, tc);

    tc = tcase_create("key_info");
    tcase_add_test(tc, query_info_key_reports_counts_maxima_class_and_time);
    tcase_add_test(tc, query_info_key_returns_the_cached_maxima_of_the_key_node);
    tcase_add_test(tc, key_name_of_root_and_children_with_buffer_rules);
    tcase_add_test(tc, get_key_security_returns_the_stored_descriptor);
    suite_add_tcase(s, tc);
    return s;
}
