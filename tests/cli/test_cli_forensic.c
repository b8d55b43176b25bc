/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The forensic commands of the built hivekit program (HIVEKIT_BIN): deleted,
 * check, timeline and --salvage, output checked byte for byte on corpus
 * hives (corpus.h; without it those tests pass with a note and the suite reports a skip) and on hives
 * built by the test-side builder.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_run.h"
#include "tempdir.h"
#include "hive_builder.h"
#include "corpus.h"

Suite *test_suite(void);

#ifndef HIVEKIT_BIN
#error "HIVEKIT_BIN must name the built hivekit program"
#endif

/* ---- deleted ------------------------------------------------------------ */

START_TEST(deleted_text_and_jsonl_on_the_corpus_hive)
{
    char path[4096];
    if (!corpus_have("yarp/DeletedDataHive.gz", path, sizeof path))
        return;
    struct run r;
    RUN(&r, "deleted", path);
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.err, "");
    ck_assert_str_eq(r.out, "value 0x188 free 123 : \"v2\" REG_SZ 8 3400350036000000\n"
                            "key   0x230 free 2017-03-20T21:15:37.9802944Z 456\n"
                            "value 0x2c8 free 456 : \"v\" REG_SZ 14 3100320033003400350036000000\n");
    run_free(&r);
    RUN(&r, "deleted", path, "--format", "jsonl");
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(
        r.out,
        "{\"type\":\"value\",\"path\":\"123\",\"name\":\"v2\",\"offset\":392,\"where\":\"free\","
        "\"path_complete\":true,\"reg_type\":1,\"type_name\":\"REG_SZ\",\"size\":8,"
        "\"data_state\":\"ok\",\"data_hex\":\"3400350036000000\",\"complete\":true}\n"
        "{\"type\":\"key\",\"path\":\"456\",\"name\":\"456\",\"offset\":560,\"where\":\"free\","
        "\"path_complete\":true,\"last_write\":131345181379802944,"
        "\"last_write_utc\":\"2017-03-20T21:15:37.9802944Z\",\"subkeys\":0,\"values\":1,"
        "\"complete\":true}\n"
        "{\"type\":\"value\",\"path\":\"456\",\"name\":\"v\",\"offset\":712,\"where\":\"free\","
        "\"path_complete\":true,\"reg_type\":1,\"type_name\":\"REG_SZ\",\"size\":14,"
        "\"data_state\":\"ok\",\"data_hex\":\"3100320033003400350036000000\",\"complete\":true}\n");
    run_free(&r);
    RUN(&r, "deleted", path, "--format", "xml");
    ck_assert_int_eq(r.status, 2);
    ck_assert_str_eq(r.out, "");
    ck_assert_str_eq(r.err, "hivekit: deleted: unknown format 'xml' (see 'hivekit help deleted')\n");
    run_free(&r);
}
END_TEST

/* ---- check -------------------------------------------------------------- */

START_TEST(check_exit_status_and_findings)
{
    char path[4096];
    struct run r;
    if (!corpus_have("yarp/WrongOrderHive.gz", path, sizeof path))
        return;
    RUN(&r, "check", path);
    ck_assert_int_eq(r.status, 1);
    ck_assert_str_eq(r.err, "");
    ck_assert_str_eq(r.out,
                     "error 0x14f8 list-order: subkey list of key 0x258: entry 1 (key 0x370) sorts "
                     "before the one before it\n"
                     "error 0x1698 list-order: subkey list of key 0x2d8: entry 3 (key 0x5e8) sorts "
                     "before the one before it\n"
                     "warning 0x2000 trailing-data: 253952 bytes after the last hive bin (0 of them "
                     "not zero)\n"
                     "2 errors, 1 warning\n");
    run_free(&r);
    corpus_have("yarp/DeletedDataHive.gz", path, sizeof path);
    RUN(&r, "check", path);
    ck_assert_int_eq(r.status, 0); /* a warning keeps exit 0 */
    ck_assert_str_eq(r.out, "warning 0x2000 trailing-data: 253952 bytes after the last hive bin "
                            "(0 of them not zero)\n"
                            "0 errors, 1 warning\n");
    run_free(&r);
    corpus_have("yarp/OldDirtyHive/OldDirtyHive.LOG1.gz", path, sizeof path);
    RUN(&r, "check", path);
    ck_assert_int_eq(r.status, 2);
    ck_assert_str_eq(r.out, "");
    run_free(&r);
}
END_TEST

/* ---- timeline ------------------------------------------------------------- */

#define T_1970 116444736000000000ull
#define T_2020 132223104000000000ull

/* A new temporary file holding the hive; its path (unlink, free). */
static char *write_timeline_hive(void)
{
    struct hb *b = hb_new(5, "ROOT");
    uint32_t root = hb_root(b);
    uint32_t ka = hb_key(b, root, "a"); /* the builder keeps this order: sorted */
    uint32_t kb = hb_key(b, root, "b");
    uint32_t kc = hb_key(b, root, "c,d|e");
    hb_key_time(b, root, T_1970);
    hb_key_time(b, ka, T_2020);
    hb_key_time(b, kb, T_2020);
    hb_key_time(b, kc, T_2020 + 1);
    size_t len;
    uint8_t *img = hb_finish(b, &len);
    char *file = tempfile_new("timeline", img, len);
    free(img);
    return file;
}

START_TEST(timeline_formats)
{
    char *file = write_timeline_hive();
    struct run r;
    RUN(&r, "timeline", file);
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.err, "");
    ck_assert_str_eq(r.out, "last_write_utc,filetime,path\n"
                            "1970-01-01T00:00:00.0000000Z,116444736000000000,\n"
                            "2020-01-01T00:00:00.0000000Z,132223104000000000,a\n"
                            "2020-01-01T00:00:00.0000000Z,132223104000000000,b\n"
                            "2020-01-01T00:00:00.0000001Z,132223104000000001,\"c,d|e\"\n");
    run_free(&r);
    RUN(&r, "timeline", file, "--format", "bodyfile");
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, "0|\\|0|0|0|0|0|0|0|0|0\n"
                            "0|\\a|0|0|0|0|0|0|1577836800|0|0\n"
                            "0|\\b|0|0|0|0|0|0|1577836800|0|0\n"
                            "0|\\c,d%7Ce|0|0|0|0|0|0|1577836800|0|0\n");
    run_free(&r);
    RUN(&r, "timeline", "--format=jsonl", file);
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(
        r.out,
        "{\"path\":\"\",\"name\":\"ROOT\",\"last_write\":116444736000000000,"
        "\"last_write_utc\":\"1970-01-01T00:00:00.0000000Z\"}\n"
        "{\"path\":\"a\",\"name\":\"a\",\"last_write\":132223104000000000,"
        "\"last_write_utc\":\"2020-01-01T00:00:00.0000000Z\"}\n"
        "{\"path\":\"b\",\"name\":\"b\",\"last_write\":132223104000000000,"
        "\"last_write_utc\":\"2020-01-01T00:00:00.0000000Z\"}\n"
        "{\"path\":\"c,d|e\",\"name\":\"c,d|e\",\"last_write\":132223104000000001,"
        "\"last_write_utc\":\"2020-01-01T00:00:00.0000001Z\"}\n");
    run_free(&r);
    unlink(file);
    free(file);
}
END_TEST

/* ---- salvage -------------------------------------------------------------- */

START_TEST(strict_reading_suggests_salvage_and_salvage_skips)
{
    char path[4096];
    struct run r;
    if (!corpus_have("yarp/BadListHive.gz", path, sizeof path))
        return;
    RUN(&r, "query", path, "-s");
    ck_assert_int_eq(r.status, 2);
    char want[12288];
    snprintf(want, sizeof want,
             "hivekit: %s: corrupt hive at offset 0x470 (file offset 0x1470): key listed under "
             "0x2e8 names 0x380 as its parent (the hive is corrupt; try --salvage)\n",
             path);
    ck_assert_str_eq(r.err, want);
    run_free(&r);
    RUN(&r, "export", path, "--format", "jsonl", "--salvage");
    ck_assert_int_eq(r.status, 0);
    snprintf(want, sizeof want,
             "hivekit: warning: %s: skipped subkey 0 of \"2\": corrupt hive at offset 0x470 (file "
             "offset 0x1470): key listed under 0x2e8 names 0x380 as its parent\n",
             path);
    ck_assert_str_eq(r.err, want);
    ck_assert_ptr_nonnull(strstr(r.out, "{\"type\":\"key\",\"path\":\"3\\\\subkey\",\"name\":\"subkey\""));
    run_free(&r);
    corpus_have("yarp/TruncatedHive.gz", path, sizeof path);
    RUN(&r, "timeline", path, "--salvage");
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, "last_write_utc,filetime,path\n"
                            "2017-03-04T14:50:13.0833872Z,131331126130833872,\n"
                            "2017-03-04T14:50:13.1506016Z,131331126131506016,key_with_many_subkeys\n");
    snprintf(want, sizeof want,
             "hivekit: warning: %s: hive bins size 0x77000 runs past the end of the 12288-byte "
             "file: reading the first 0x2000 bytes of bins\n"
             "hivekit: warning: %s: skipped subkey 0 of \"key_with_many_subkeys\": corrupt hive at "
             "offset 0xc020 (file offset 0xd020): cell offset lies outside the hive bins\n",
             path, path);
    ck_assert_str_eq(r.err, want);
    run_free(&r);
    RUN(&r, "timeline", path);
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "(truncated?) (try --salvage)\n"));
    run_free(&r);
}
END_TEST

Suite *test_suite(void)
{
    corpus_optional(); /* the corpus tests below pass with a note without it */
    Suite *s = suite_create("cli_forensic");
    TCase *tc = tcase_create("forensic");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, deleted_text_and_jsonl_on_the_corpus_hive);
    tcase_add_test(tc, check_exit_status_and_findings);
    tcase_add_test(tc, timeline_formats);
    tcase_add_test(tc, strict_reading_suggests_salvage_and_salvage_skips);
    suite_add_tcase(s, tc);
    return s;
}
