/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hk_export's options: a key_path whose names hold a NUL (key_path_len),
 * so the exported paths name the key exactly instead of being cut at the
 * NUL; the progress callback of a jsonl export.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "api_fixture.h"

Suite *test_suite(void);

struct out {
    char *p;
    size_t len;
};

static int take(const void *data, size_t size, void *ctx)
{
    struct out *o = ctx;
    char *p = realloc(o->p, o->len + size + 1);
    ck_assert_ptr_nonnull(p);
    memcpy(p + o->len, data, size);
    o->p = p;
    o->len += size;
    p[o->len] = '\0';
    return 0;
}

/* ROOT\"a<NUL>b"\c, with a value on c; and ROOT\"a" does not exist. */
static struct fx nul_name_hive(void)
{
    struct hb *b = hb_new(5, "ROOT");
    static const uint16_t a_nul_b[] = {'a', 0, 'b'};
    uint32_t k = hb_key_raw(b, hb_root(b), a_nul_b, 3);
    uint32_t c = hb_key(b, k, "c");
    static const uint8_t dw[4] = {1, 0, 0, 0};
    hb_key_time(b, k, 0);
    hb_key_time(b, c, 0);
    hb_value(b, c, "v", HK_REG_DWORD, dw, sizeof dw);
    return open_built(b);
}

START_TEST(a_key_path_with_a_nul_names_the_key_exactly)
{
    struct fx f = nul_name_hive();
    hk_key *k, *missing = NULL;
    /* the name up to the NUL is another key, which does not exist */
    ck_assert_uint_eq(hk_open_key(f.root, "a", 0, HK_KEY_READ, &missing), HK_ERROR_FILE_NOT_FOUND);
    ck_assert_ptr_null(missing);
    ck_assert_uint_eq(hk_open_subkey_at(f.root, 0, HK_KEY_READ, &k), HK_ERROR_SUCCESS);
    hk_export_options o = HK_EXPORT_OPTIONS_INIT;
    o.format = HK_FORMAT_JSONL;
    o.key_path = "a\0b";
    o.key_path_len = 3;
    struct out got = {NULL, 0};
    ck_assert_uint_eq(hk_export(k, &o, take, &got), HK_ERROR_SUCCESS);
    /* every path names the key whole: cut at the NUL they were "a", "a\\c" */
    ck_assert_str_eq(got.p,
                     "{\"type\":\"key\",\"path\":\"a\\u0000b\",\"name\":\"a\\u0000b\",\"last_write\":0,"
                     "\"last_write_utc\":\"1601-01-01T00:00:00.0000000Z\",\"subkeys\":1,\"values\":0}\n"
                     "{\"type\":\"key\",\"path\":\"a\\u0000b\\\\c\",\"name\":\"c\",\"last_write\":0,"
                     "\"last_write_utc\":\"1601-01-01T00:00:00.0000000Z\",\"subkeys\":0,\"values\":1}\n"
                     "{\"type\":\"value\",\"path\":\"a\\u0000b\\\\c\",\"name\":\"v\",\"reg_type\":4,"
                     "\"type_name\":\"REG_DWORD\",\"size\":4,\"data_hex\":\"01000000\",\"data\":1}\n");
    free(got.p);
    /* the .reg formats cannot carry the NUL: refused, not cut to "a" */
    o.format = HK_FORMAT_REG;
    o.encoding = HK_ENCODING_UTF8;
    got = (struct out){NULL, 0};
    ck_assert_uint_eq(hk_export(k, &o, take, &got), HK_ERROR_INVALID_DATA);
    free(got.p);
    hk_close_key(k);
    close_fx(&f);
}
END_TEST

START_TEST(key_path_len_0_reads_key_path_up_to_its_nul)
{
    struct fx f = nul_name_hive();
    hk_key *k, *c;
    ck_assert_uint_eq(hk_open_subkey_at(f.root, 0, HK_KEY_READ, &k), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_open_key(k, "c", 0, HK_KEY_READ, &c), HK_ERROR_SUCCESS);
    hk_export_options o = HK_EXPORT_OPTIONS_INIT;
    o.format = HK_FORMAT_REG;
    o.encoding = HK_ENCODING_UTF8;
    o.prefix = "HKEY_CURRENT_USER";
    o.key_path = "Some\\Where\0ignored";
    struct out got = {NULL, 0};
    ck_assert_uint_eq(hk_export(c, &o, take, &got), HK_ERROR_SUCCESS);
    ck_assert_str_eq(got.p, "Windows Registry Editor Version 5.00\r\n\r\n"
                            "[HKEY_CURRENT_USER\\Some\\Where]\r\n\"v\"=dword:00000001\r\n\r\n");
    free(got.p);
    hk_close_key(c);
    hk_close_key(k);
    close_fx(&f);
}
END_TEST

struct progress {
    uint64_t calls, last;
};

static void on_progress(uint64_t keys, void *ctx)
{
    struct progress *p = ctx;
    p->calls++;
    ck_assert_uint_eq(keys, p->last + 1);
    p->last = keys;
}

static int discard(const void *data, size_t size, void *ctx)
{
    (void)data;
    (void)size;
    (void)ctx;
    return 0;
}

START_TEST(jsonl_progress_counts_each_key_line)
{
    struct fx f = nul_name_hive();
    hk_export_options o = HK_EXPORT_OPTIONS_INIT;
    o.format = HK_FORMAT_JSONL;
    struct progress p = {0, 0};
    o.progress = on_progress;
    o.progress_ctx = &p;
    ck_assert_uint_eq(hk_export(f.root, &o, discard, NULL), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(p.calls, 3); /* ROOT, a<NUL>b, c: 1, 2, 3 */
    ck_assert_uint_eq(p.last, 3);
    /* with max_depth 1: ROOT and its subkey's line only */
    p = (struct progress){0, 0};
    o.max_depth = 1;
    ck_assert_uint_eq(hk_export(f.root, &o, discard, NULL), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(p.calls, 2);
    ck_assert_uint_eq(p.last, 2);
    close_fx(&f);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("export_api");
    TCase *t = tcase_create("key_path");
    tcase_add_test(t, a_key_path_with_a_nul_names_the_key_exactly);
    tcase_add_test(t, key_path_len_0_reads_key_path_up_to_its_nul);
    suite_add_tcase(s, t);
    t = tcase_create("progress");
    tcase_add_test(t, jsonl_progress_counts_each_key_line);
    suite_add_tcase(s, t);
    return s;
}
