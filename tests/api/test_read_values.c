/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Read API, values: hk_enum_value, hk_query_value_ex, hk_query_value on
 * inline, one-cell and big (db) data, and the typed decoders with winreg's
 * conversion rules; the JSON string helpers. Only the public header and the test-side builder.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_fixture.h"
#include "hivekit.h"

Suite *test_suite(void);

static hk_key *must_open(hk_key *k, const char *path)
{
    hk_key *out = NULL;
    const hk_status st = hk_open_key(k, path, 0, HK_KEY_READ, &out);
    ck_assert_msg(st == HK_ERROR_SUCCESS, "open_key(%s): %u", path, st);
    return out;
}

static uint8_t *pattern(uint32_t len, unsigned seed)
{
    uint8_t *p = malloc(len ? len : 1);
    ck_assert_ptr_nonnull(p);
    for (uint32_t i = 0; i < len; i++)
        p[i] = (uint8_t)(i * 13u + seed * 101u + (i >> 9));
    return p;
}

/* Checks value index of k: name, type and exact bytes, through enum_value
 * (with a size query first) and query_value_ex. */
static void expect_value(hk_key *k, uint32_t index, const char *name, uint32_t type,
                         const void *data, size_t len)
{
    char nbuf[256];
    size_t ns = sizeof nbuf, ds = 0;
    uint32_t t = 0xDEAD;
    hk_status st = hk_enum_value(k, index, nbuf, &ns, &t, NULL, &ds);
    ck_assert_msg(st == HK_ERROR_SUCCESS, "enum_value(%u) size query: %u", index, st);
    ck_assert_str_eq(nbuf, name);
    ck_assert_uint_eq(ns, strlen(name));
    ck_assert_uint_eq(t, type);
    ck_assert_uint_eq(ds, len);

    uint8_t *buf = malloc(len + 16);
    memset(buf, 0xEE, len + 16);
    ns = sizeof nbuf;
    ds = len + 16;
    t = 0xDEAD;
    st = hk_enum_value(k, index, nbuf, &ns, &t, buf, &ds);
    ck_assert_msg(st == HK_ERROR_SUCCESS, "enum_value(%u): %u", index, st);
    ck_assert_uint_eq(ds, len);
    ck_assert_uint_eq(t, type);
    if (len)
        ck_assert_int_eq(memcmp(buf, data, len), 0);
    for (size_t i = len; i < len + 16; i++)
        ck_assert_uint_eq(buf[i], 0xEE);

    memset(buf, 0xEE, len + 16);
    ds = len + 16;
    t = 0xDEAD;
    st = hk_query_value_ex(k, name, &t, buf, &ds);
    ck_assert_msg(st == HK_ERROR_SUCCESS, "query_value_ex(%s): %u", name, st);
    ck_assert_uint_eq(ds, len);
    ck_assert_uint_eq(t, type);
    if (len)
        ck_assert_int_eq(memcmp(buf, data, len), 0);
    free(buf);
}

static void expect_no_more(hk_key *k, uint32_t index)
{
    char nbuf[64];
    size_t ns = sizeof nbuf;
    ck_assert_uint_eq(hk_enum_value(k, index, nbuf, &ns, NULL, NULL, NULL),
                      HK_ERROR_NO_MORE_ITEMS);
}

/* ---- enum_value / query_value_ex ---------------------------------------- */

START_TEST(values_come_back_in_stored_order_with_their_types)
{
    struct hb *b = hb_new(5, "ROOT");
    const uint32_t r = hb_root(b);
    const uint32_t dw = 7;
    hb_value(b, r, "zeta", 4, &dw, 4);
    hb_value(b, r, "Alpha", 1, "A\0\0\0", 4);
    hb_value(b, r, "", 2, "%\0P\0%\0\0\0", 8);
    hb_value(b, r, "mid", 0x12345678u, "odd type", 8);
    hb_value(b, r, "W\xc3\xa9rt", 3, "x", 1);                /* Latin-1 name */
    hb_value(b, r, "\xd0\x97\xd0\xb2\xd0\xb7", 11, "12345678", 8); /* UTF-16 name */
    struct fx f = open_built(b);
    expect_value(f.root, 0, "zeta", 4, &dw, 4);
    expect_value(f.root, 1, "Alpha", 1, "A\0\0\0", 4);
    expect_value(f.root, 2, "", 2, "%\0P\0%\0\0\0", 8);
    expect_value(f.root, 3, "mid", 0x12345678u, "odd type", 8);
    expect_value(f.root, 4, "W\xc3\xa9rt", 3, "x", 1);
    expect_value(f.root, 5, "\xd0\x97\xd0\xb2\xd0\xb7", 11, "12345678", 8);
    expect_no_more(f.root, 6);
    expect_no_more(f.root, 1000);
    close_fx(&f);
}
END_TEST

START_TEST(data_of_every_size_class_is_exact)
{
    /* _i: 0 -> hive 1.5 (db above 16344), 1 -> hive 1.3 (one cell), 2 -> 1.4 */
    static const unsigned minors[] = {5, 3, 4};
    static const uint32_t sizes[] = {0, 1, 2, 3, 4, 5, 100, 4000, 16343, 16344,
                                     16345, 20000, 32688, 32689, 100000};
    const size_t n = sizeof sizes / sizeof sizes[0];
    struct hb *b = hb_new(minors[_i], "ROOT");
    const uint32_t k = hb_key(b, hb_root(b), "data");
    uint8_t *blobs[sizeof sizes / sizeof sizes[0]];
    for (size_t i = 0; i < n; i++) {
        char name[16];
        snprintf(name, sizeof name, "v%u", sizes[i]);
        blobs[i] = pattern(sizes[i], (unsigned)i);
        hb_value(b, k, name, 3, blobs[i], sizes[i]);
    }
    struct fx f = open_built(b);
    hk_key *key = must_open(f.root, "data");
    for (size_t i = 0; i < n; i++) {
        char name[16];
        snprintf(name, sizeof name, "v%u", sizes[i]);
        expect_value(key, (uint32_t)i, name, 3, blobs[i], sizes[i]);
        free(blobs[i]);
    }
    expect_no_more(key, (uint32_t)n);
    hk_key_info info = HK_KEY_INFO_INIT;
    ck_assert_uint_eq(hk_query_info_key(key, NULL, NULL, &info), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(info.values, n);
    ck_assert_uint_eq(info.max_value_data_len, 100000);
    hk_close_key(key);
    close_fx(&f);
}
END_TEST

START_TEST(short_buffers_give_more_data_with_both_needs_and_copy_nothing)
{
    struct hb *b = hb_new(5, "ROOT");
    uint8_t *big = pattern(20000, 9);
    hb_value(b, hb_root(b), "name", 3, "0123456789", 10);
    hb_value(b, hb_root(b), "big", 3, big, 20000);
    struct fx f = open_built(b);
    char nbuf[32];
    uint8_t dbuf[64];
    memset(nbuf, 'X', sizeof nbuf);
    memset(dbuf, 'Y', sizeof dbuf);
    size_t ns = sizeof nbuf, ds = 9;
    uint32_t t = 0xDEAD;
    ck_assert_uint_eq(hk_enum_value(f.root, 0, nbuf, &ns, &t, dbuf, &ds), HK_ERROR_MORE_DATA);
    ck_assert_uint_eq(ds, 10);
    ck_assert_uint_eq(ns, 5);
    ck_assert_int_eq(nbuf[0], 'X');
    ck_assert_int_eq(dbuf[0], 'Y');

    ns = 4; /* "name" needs 5 */
    ds = sizeof dbuf;
    ck_assert_uint_eq(hk_enum_value(f.root, 0, nbuf, &ns, &t, dbuf, &ds), HK_ERROR_MORE_DATA);
    ck_assert_uint_eq(ns, 5);
    ck_assert_uint_eq(ds, 10);
    ck_assert_int_eq(nbuf[0], 'X');
    ck_assert_int_eq(dbuf[0], 'Y');

    ds = 19999;
    ck_assert_uint_eq(hk_query_value_ex(f.root, "BIG", &t, dbuf, &ds), HK_ERROR_MORE_DATA);
    ck_assert_uint_eq(ds, 20000);
    ck_assert_int_eq(dbuf[0], 'Y');
    ds = 0;
    ck_assert_uint_eq(hk_query_value_ex(f.root, "big", NULL, NULL, &ds), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(ds, 20000);

    /* type and data_size may be NULL when no data is asked for */
    ns = sizeof nbuf;
    ck_assert_uint_eq(hk_enum_value(f.root, 1, nbuf, &ns, NULL, NULL, NULL), HK_ERROR_SUCCESS);
    ck_assert_str_eq(nbuf, "big");
    ck_assert_uint_eq(ns, 3);
    free(big);
    close_fx(&f);
}
END_TEST

START_TEST(query_value_ex_finds_names_case_insensitively)
{
    struct hb *b = hb_new(3, "ROOT");
    const uint32_t r = hb_root(b);
    static const uint16_t lone[] = {'v', 0xDFFF};
    hb_value(b, r, "Alpha", 4, "\1\0\0\0", 4);
    hb_value(b, r, "W\xc3\xa9rt", 3, "x", 1);
    hb_value(b, r, "\xd0\x97\xd0\xb2\xd0\xb7", 3, "y", 1);
    hb_value_raw(b, r, lone, 2, 3, "z", 1);
    struct fx f = open_built(b);
    uint8_t d[8];
    size_t ds = sizeof d;
    uint32_t t;
    ck_assert_uint_eq(hk_query_value_ex(f.root, "ALPHA", &t, d, &ds), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(t, 4);
    ds = sizeof d;
    ck_assert_uint_eq(hk_query_value_ex(f.root, "W\xc3\x89RT", &t, d, &ds), HK_ERROR_SUCCESS);
    ck_assert_int_eq(d[0], 'x');
    ds = sizeof d;
    ck_assert_uint_eq(hk_query_value_ex(f.root, "\xd0\xb7\xd0\x92\xd0\x97", &t, d, &ds),
                      HK_ERROR_SUCCESS);
    ck_assert_int_eq(d[0], 'y');
    expect_value(f.root, 3, "v\xed\xbf\xbf", 3, "z", 1);
    ds = sizeof d;
    ck_assert_uint_eq(hk_query_value_ex(f.root, "V\xed\xbf\xbf", &t, d, &ds), HK_ERROR_SUCCESS);
    ds = sizeof d;
    ck_assert_uint_eq(hk_query_value_ex(f.root, "Alph", &t, d, &ds), HK_ERROR_FILE_NOT_FOUND);
    ds = sizeof d;
    ck_assert_uint_eq(hk_query_value_ex(f.root, NULL, &t, d, &ds), HK_ERROR_FILE_NOT_FOUND);
    ds = sizeof d;
    ck_assert_uint_eq(hk_query_value_ex(f.root, "", &t, d, &ds), HK_ERROR_FILE_NOT_FOUND);
    ds = sizeof d;
    ck_assert_uint_eq(hk_query_value_ex(f.root, "\xff", &t, d, &ds),
                      HK_ERROR_NO_UNICODE_TRANSLATION);
    ds = sizeof d;
    ck_assert_uint_eq(hk_query_value_ex(f.root, "W\xe9rt", &t, d, &ds),
                      HK_ERROR_NO_UNICODE_TRANSLATION);
    char out[8];
    size_t os = sizeof out;
    ck_assert_uint_eq(hk_query_value(f.root, "\xc3", out, &os), HK_ERROR_NO_UNICODE_TRANSLATION);
    close_fx(&f);
}
END_TEST

START_TEST(default_value_is_reached_through_null_and_empty_name)
{
    struct hb *b = hb_new(5, "ROOT");
    hb_value(b, hb_root(b), "named", 3, "n", 1);
    hb_value(b, hb_root(b), "", 1, "h\0i\0\0\0", 6);
    struct fx f = open_built(b);
    expect_value(f.root, 1, "", 1, "h\0i\0\0\0", 6);
    uint8_t d[16];
    size_t ds = sizeof d;
    uint32_t t = 0;
    ck_assert_uint_eq(hk_query_value_ex(f.root, NULL, &t, d, &ds), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(ds, 6);
    ck_assert_uint_eq(t, 1);
    ck_assert_int_eq(memcmp(d, "h\0i\0\0\0", 6), 0);
    close_fx(&f);
}
END_TEST

/* ---- query_value (default value as a string) ------------------------------ */

START_TEST(query_value_follows_winreg_rules)
{
    struct hb *b = hb_new(5, "ROOT");
    const uint32_t r = hb_root(b);
    hb_value(b, r, "", 1, "h\0e\0l\0l\0o\0\0\0", 12);
    /* subkeys added in sorted order */
    hb_value(b, hb_key(b, r, "dword"), "", 4, "\1\0\0\0", 4);
    hb_value(b, hb_key(b, r, "expand"), "", 2, "%\0A\0%\0\0\0", 8);
    hb_value(b, hb_key(b, r, "nul"), "", 1, "a\0b\0\0\0c\0d\0\0\0", 12);
    hb_value(b, hb_key(b, r, "odd"), "", 1, "a\0b\0c\0Z", 7);
    hb_value(b, hb_key(b, r, "unset"), "named", 1, "x\0\0\0", 4);
    hb_value(b, hb_key(b, r, "utf"), "", 1, "\xe9\0\x1a\x04=\xd8\0\xde", 8);
    struct fx f = open_built(b);
    char out[32];
    size_t n = sizeof out;
    ck_assert_uint_eq(hk_query_value(f.root, NULL, out, &n), HK_ERROR_SUCCESS);
    ck_assert_str_eq(out, "hello");
    ck_assert_uint_eq(n, 6);
    n = sizeof out;
    ck_assert_uint_eq(hk_query_value(f.root, "", out, &n), HK_ERROR_SUCCESS);
    ck_assert_str_eq(out, "hello");
    n = sizeof out;
    memset(out, 'X', sizeof out);
    ck_assert_uint_eq(hk_query_value(f.root, "UNSET", out, &n), HK_ERROR_SUCCESS);
    ck_assert_str_eq(out, "");
    ck_assert_uint_eq(n, 1);
    n = sizeof out;
    ck_assert_uint_eq(hk_query_value(f.root, "expand", out, &n), HK_ERROR_INVALID_DATA);
    n = sizeof out;
    ck_assert_uint_eq(hk_query_value(f.root, "dword", out, &n), HK_ERROR_INVALID_DATA);
    n = sizeof out;
    ck_assert_uint_eq(hk_query_value(f.root, "nul", out, &n), HK_ERROR_SUCCESS);
    ck_assert_str_eq(out, "ab");
    ck_assert_uint_eq(n, 3);
    n = sizeof out;
    ck_assert_uint_eq(hk_query_value(f.root, "odd", out, &n), HK_ERROR_SUCCESS);
    ck_assert_str_eq(out, "abc");
    ck_assert_uint_eq(n, 4);
    n = sizeof out;
    ck_assert_uint_eq(hk_query_value(f.root, "utf", out, &n), HK_ERROR_SUCCESS);
    ck_assert_str_eq(out, "\xc3\xa9\xd0\x9a\xf0\x9f\x98\x80");
    ck_assert_uint_eq(n, 9);
    n = sizeof out;
    ck_assert_uint_eq(hk_query_value(f.root, "missing", out, &n), HK_ERROR_FILE_NOT_FOUND);
    n = sizeof out;
    ck_assert_uint_eq(hk_query_value(f.root, "\\unset", out, &n), HK_ERROR_BAD_PATHNAME);

    hk_key *k = must_open(f.root, "nul");
    n = sizeof out;
    ck_assert_uint_eq(hk_query_value(k, NULL, out, &n), HK_ERROR_SUCCESS);
    ck_assert_str_eq(out, "ab");
    hk_close_key(k);

    memset(out, 'X', sizeof out);
    n = 5; /* "hello" needs 6 */
    ck_assert_uint_eq(hk_query_value(f.root, NULL, out, &n), HK_ERROR_MORE_DATA);
    ck_assert_uint_eq(n, 6);
    ck_assert_int_eq(out[0], 'X');
    close_fx(&f);
}
END_TEST

/* ---- typed decoders (winreg-reference §1.3) -------------------------------- */

static void expect_string(const char *data, size_t size, const char *want)
{
    char out[64];
    memset(out, 'X', sizeof out);
    size_t n = sizeof out;
    ck_assert_uint_eq(hk_decode_string(data, size, out, &n), HK_ERROR_SUCCESS);
    ck_assert_str_eq(out, want);
    ck_assert_uint_eq(n, strlen(want) + 1);
}

START_TEST(decode_string_rules)
{
    expect_string("a\0b\0c", 5, "ab");            /* odd trailing byte dropped */
    expect_string("h\0i\0", 4, "hi");             /* no NUL: whole buffer */
    expect_string("a\0\0\0b\0", 6, "a");          /* cut at the first NUL */
    expect_string("", 0, "");
    expect_string("\0\0", 2, "");
    expect_string("x", 1, "");
    expect_string("\xe9\0\x1a\x04=\xd8\0\xde", 8, "\xc3\xa9\xd0\x9a\xf0\x9f\x98\x80");
    char out[8];
    memset(out, 'X', sizeof out);
    size_t n = 2;
    ck_assert_uint_eq(hk_decode_string("a\0b\0", 4, out, &n), HK_ERROR_MORE_DATA);
    ck_assert_uint_eq(n, 3);
    ck_assert_int_eq(out[0], 'X');
    n = 0;
    ck_assert_uint_eq(hk_decode_string("a\0b\0", 4, NULL, &n), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(n, 3);
}
END_TEST

static void expect_multi(const char *data, size_t size, const char *want, size_t want_len,
                         size_t want_count)
{
    char out[64];
    memset(out, 'X', sizeof out);
    size_t n = sizeof out, count = 999;
    ck_assert_uint_eq(hk_decode_multi_sz(data, size, out, &n, &count), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(count, want_count);
    ck_assert_uint_eq(n, want_len);
    ck_assert_int_eq(memcmp(out, want, want_len), 0);
}

START_TEST(decode_multi_sz_rules)
{
    expect_multi("a\0\0\0b\0\0\0\0\0", 10, "a\0b", 4, 2);
    expect_multi("\0\0", 2, "", 0, 0);
    expect_multi("\0\0\0\0", 4, "", 1, 1);
    expect_multi("a\0\0\0\0\0b\0\0\0\0\0", 12, "a\0\0b", 5, 3);
    expect_multi("a\0\0\0b\0", 6, "a\0b", 4, 2);
    expect_multi("", 0, "", 0, 0);
    expect_multi("a\0b\0c", 5, "ab", 3, 1);     /* odd byte dropped, no NUL */
    expect_multi("\xe9\0\0\0", 4, "\xc3\xa9", 3, 1);
    char out[4];
    memset(out, 'X', sizeof out);
    size_t n = 3, count = 999;
    ck_assert_uint_eq(hk_decode_multi_sz("a\0\0\0b\0\0\0\0\0", 10, out, &n, &count),
                      HK_ERROR_MORE_DATA);
    ck_assert_uint_eq(n, 4);
    ck_assert_int_eq(out[0], 'X');
}
END_TEST

START_TEST(decode_dword_and_qword_rules)
{
    ck_assert_uint_eq(hk_decode_dword("", 0), 0);
    ck_assert_uint_eq(hk_decode_dword(NULL, 0), 0);
    ck_assert_uint_eq(hk_decode_dword("\x34\x12", 2), 0x1234);
    ck_assert_uint_eq(hk_decode_dword("\x78\x56\x34\x12", 4), 0x12345678u);
    ck_assert_uint_eq(hk_decode_dword("\x78\x56\x34\x12\xff\xff", 6), 0x12345678u);
    ck_assert_uint_eq(hk_decode_dword("\xff", 1), 0xFF);
    ck_assert_uint_eq(hk_decode_qword("", 0), 0);
    ck_assert_uint_eq(hk_decode_qword("\x34\x12", 2), 0x1234);
    ck_assert_uint_eq(hk_decode_qword("\x08\x07\x06\x05\x04\x03\x02\x81", 8),
                      0x8102030405060708ull);
    ck_assert_uint_eq(hk_decode_qword("\x08\x07\x06\x05\x04\x03\x02\x01\xff", 9),
                      0x0102030405060708ull);
    ck_assert_uint_eq(hk_decode_qword("\x01\x02\x03\x04\x05", 5), 0x0504030201ull);
}
END_TEST

/* ---- the JSON string helpers of the public header ------------------------ */

START_TEST(json_escape_and_utf16_hex_are_exact)
{
    /* "a\"\\", ESC, LF, NUL, e-acute, a lone high surrogate (WTF-8 ED A0 80),
     * U+1F600, and a byte that is not UTF-8 */
    static const char in[] = "a\"\\\x1b\n\0\xc3\xa9\xed\xa0\x80\xf0\x9f\x98\x80\xff";
    size_t n = sizeof in - 1;
    char out[HK_JSON_ESCAPE_MAX(sizeof in)];
    int lossy = -1;
    size_t len = hk_json_escape(in, n, out, &lossy);
    static const char want[] =
        "a\\\"\\\\\\u001b\\u000a\\u0000\xc3\xa9\\ufffd\xf0\x9f\x98\x80\\ufffd";
    ck_assert_uint_eq(len, sizeof want - 1);
    ck_assert_mem_eq(out, want, len);
    ck_assert_int_eq(lossy, 1);
    len = hk_json_escape("plain \xc3\xa9", 8, out, &lossy);
    ck_assert_uint_eq(len, 8);
    ck_assert_int_eq(lossy, 0);
    ck_assert_uint_eq(hk_json_escape(NULL, 3, out, &lossy), 0);

    char hex[HK_UTF16_HEX_MAX(sizeof in)];
    len = hk_utf16_hex(in, n, hex);
    static const char want_hex[] = "610022005c001b000a000000e90000d83dd800deff00";
    ck_assert_uint_eq(len, sizeof want_hex - 1);
    ck_assert_mem_eq(hex, want_hex, len);
}
END_TEST

static int collect(void *ctx, const void *data, size_t size)
{
    char *b = ctx;
    if (!b)
        return -1; /* an output that refuses */
    size_t len = strlen(b);
    if (len + size >= 512)
        return -1;
    memcpy(b + len, data, size);
    b[len + size] = '\0';
    return 0;
}

START_TEST(deleted_record_line_is_strict_json_with_twins)
{
    static const uint8_t data[] = {0x41, 0};
    hk_deleted_record r = {0};
    r.kind = HK_DELETED_VALUE;
    r.where = HK_DELETED_IN_SLACK;
    r.offset = 0x2c8;
    r.name = "v\x1b";
    r.name_len = 2;
    r.path = "A\\b\xed\xb0\x80"; /* a lone low surrogate DC00 */
    r.path_len = 6;
    r.path_complete = 1;
    r.reg_type = 0x99;
    r.data_size = 2;
    r.data_state = HK_DELETED_DATA_OK;
    r.data = data;
    r.missing = HK_DELETED_MISSING_KEY | HK_DELETED_MISSING_VALUES;
    r.copies = 2;
    char out[512] = "";
    ck_assert_uint_eq(hk_deleted_record_jsonl(&r, collect, out), HK_ERROR_SUCCESS);
    ck_assert_str_eq(out, "{\"type\":\"value\",\"path\":\"A\\\\b\\ufffd\","
                          "\"path_utf16_hex\":\"41005c00620000dc\",\"name\":\"v\\u001b\","
                          "\"offset\":712,\"where\":\"slack\",\"path_complete\":true,"
                          "\"reg_type\":153,\"type_name\":\"REG_0x99\",\"size\":2,"
                          "\"data_state\":\"ok\",\"data_hex\":\"4100\",\"complete\":false,"
                          "\"missing\":[\"key\",\"values\"],\"copies\":2}\n");
    out[0] = '\0';
    ck_assert_uint_eq(hk_deleted_record_jsonl(&r, collect, NULL), HK_ERROR_CANTWRITE);
    ck_assert_uint_eq(hk_deleted_record_jsonl(NULL, collect, out), HK_ERROR_INVALID_PARAMETER);
    ck_assert_str_eq(hk_deleted_where_name(HK_DELETED_IN_UNREFERENCED), "unreferenced");
    ck_assert_str_eq(hk_deleted_data_state_name(HK_DELETED_DATA_REUSED), "reused");
    ck_assert_str_eq(hk_deleted_missing_name(HK_DELETED_MISSING_PATH), "path");
    ck_assert_ptr_null(hk_deleted_missing_name(0x10));
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("read_api_values");
    TCase *tc = tcase_create("values");
    tcase_add_test(tc, values_come_back_in_stored_order_with_their_types);
    tcase_add_loop_test(tc, data_of_every_size_class_is_exact, 0, 3);
    tcase_add_test(tc, short_buffers_give_more_data_with_both_needs_and_copy_nothing);
    tcase_add_test(tc, query_value_ex_finds_names_case_insensitively);
    tcase_add_test(tc, default_value_is_reached_through_null_and_empty_name);
    tcase_add_test(tc, query_value_follows_winreg_rules);
    suite_add_tcase(s, tc);

    tc = tcase_create("decoders");
    tcase_add_test(tc, json_escape_and_utf16_hex_are_exact);
    tcase_add_test(tc, deleted_record_line_is_strict_json_with_twins);
    tcase_add_test(tc, decode_string_rules);
    tcase_add_test(tc, decode_multi_sz_rules);
    tcase_add_test(tc, decode_dword_and_qword_rules);
    suite_add_tcase(s, tc);
    return s;
}
